import { FreshnessPolicy, isFresh } from './freshness';
import { HashType, Indicator, IndicatorSet, isHashType } from './model';

/**
 * The kinds of values a hunt lists: addresses (of `ip` and `ip:port` indicators), whole
 * `ip:port` values, domains, URLs and each hash type.
 */
export type ValueKind = 'address' | 'ip:port' | 'domain' | 'url' | HashType;

/** Returns the kind of a listed value. A bare address is the kind of `ip` and `ip:port` indicators. */
export function valueKindOf(indicator: Pick<Indicator, 'type'>): ValueKind {
  return indicator.type === 'ip' ? 'address' : indicator.type;
}

function valueOf(indicator: Indicator, kind: ValueKind): string | undefined {
  if (kind === 'address') return indicator.type === 'ip' || indicator.type === 'ip:port' ? indicator.ip : undefined;
  return indicator.type === kind ? indicator.value : undefined;
}

/**
 * Distinct values of one kind in a set, in file order; stale indicators are left out when a
 * policy is given.
 */
export function kindValues(set: IndicatorSet, kind: ValueKind, policy?: FreshnessPolicy): string[] {
  const values = new Set<string>();
  for (const indicator of set.indicators) {
    const value = valueOf(indicator, kind);
    if (value !== undefined && (!policy || isFresh(indicator, policy))) values.add(value);
  }
  return [...values];
}

/** Lists the kinds a hunt for the set matches: addresses, domains, URLs and hash types (not ip:port). */
export function huntKinds(set: IndicatorSet): ValueKind[] {
  const kinds = new Set<ValueKind>();
  for (const indicator of set.indicators) {
    if (indicator.type === 'ip' || indicator.type === 'ip:port') kinds.add('address');
    else if (indicator.type === 'domain' || indicator.type === 'url' || isHashType(indicator.type)) kinds.add(indicator.type);
  }
  const order: ValueKind[] = ['address', 'domain', 'url', 'md5_hash', 'sha1_hash', 'sha256_hash'];
  return order.filter((kind) => kinds.has(kind));
}

export const KIND_LABELS: Record<ValueKind, [singular: string, plural: string]> = {
  address: ['address', 'addresses'],
  'ip:port': ['ip:port value', 'ip:port values'],
  domain: ['domain', 'domains'],
  url: ['URL', 'URLs'],
  md5_hash: ['MD5 hash', 'MD5 hashes'],
  sha1_hash: ['SHA1 hash', 'SHA1 hashes'],
  sha256_hash: ['SHA256 hash', 'SHA256 hashes'],
};

export function kindLabel(kind: ValueKind, count: number): string {
  return KIND_LABELS[kind][count === 1 ? 0 : 1];
}
