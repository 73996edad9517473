import ipaddr from 'ipaddr.js';
import { IndicatorType } from './model';
import { refang } from './defang';

export interface ClassifiedValue {
  type: IndicatorType;
  /** Refanged, normalised value: lower-case host names and hashes, canonical IP text. */
  value: string;
  ip?: string;
  port?: number;
}

const HOST_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/i;
const HASH_TYPES: Record<number, IndicatorType> = { 32: 'md5_hash', 40: 'sha1_hash', 64: 'sha256_hash' };

/** A dotted quad without leading zeros: the canonical IPv4 text, once each part is at most 255. */
const DOTTED_QUAD = /^(?:0|[1-9]\d{0,2})(?:\.(?:0|[1-9]\d{0,2})){3}$/;

/** Text that can be an IPv6 address: hex digits, colons and dots, with at least two colons. */
const IPV6_CANDIDATE = /^[0-9a-f.]*:[0-9a-f.]*:[0-9a-f:.]*$/i;

/**
 * Strict dotted-quad IPv4 or any valid IPv6 text, normalised; undefined otherwise. The regular
 * expressions only skip ipaddr.js for text that cannot be an address, which keeps loading
 * large feeds fast.
 */
export function parseIp(text: string): string | undefined {
  if (DOTTED_QUAD.test(text)) return text.split('.').every((part) => Number(part) <= 255) ? text : undefined;
  if (!IPV6_CANDIDATE.test(text) || !ipaddr.IPv6.isValid(text)) return undefined;
  const address = ipaddr.IPv6.parse(text);
  // Keep the dotted form of IPv4-mapped addresses (`::ffff:1.2.3.4`), as RFC 5952 recommends.
  return address.isIPv4MappedAddress() ? `::ffff:${address.toIPv4Address().toString()}` : address.toRFC5952String();
}

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 0 && port <= 65535 ? port : undefined;
}

/**
 * Works out the indicator type of a value (defanged or not). Returns undefined for text that is
 * no indicator. `hint` is the type the source states, used where the text alone is ambiguous.
 */
export function classifyIndicator(raw: string, hint?: IndicatorType): ClassifiedValue | undefined {
  const text = refang(raw.trim());
  if (text === '') return undefined;

  const ip = parseIp(text);
  if (ip) return { type: 'ip', value: ip, ip };

  const bracketed = /^\[([0-9a-f:.]+)\]:(\d+)$/i.exec(text);
  const plain = /^([0-9.]+):(\d+)$/.exec(text);
  const ipPort = bracketed ?? plain;
  if (ipPort) {
    const address = parseIp(ipPort[1]);
    const port = parsePort(ipPort[2]);
    if (address && port !== undefined) {
      const value = address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
      return { type: 'ip:port', value, ip: address, port };
    }
    return undefined;
  }

  if (/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(text)) return { type: 'url', value: text };

  const hashType = /^[0-9a-f]+$/i.test(text) ? HASH_TYPES[text.length] : undefined;
  if (hashType && (!hint || hint === hashType || !hint.endsWith('_hash'))) return { type: hashType, value: text.toLowerCase() };

  if (HOST_NAME.test(text)) return { type: 'domain', value: text.toLowerCase().replace(/\.$/, '') };
  return undefined;
}
