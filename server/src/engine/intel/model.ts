export type IndicatorType = 'ip:port' | 'ip' | 'domain' | 'url' | 'md5_hash' | 'sha1_hash' | 'sha256_hash';

export const INDICATOR_TYPES: readonly IndicatorType[] = ['ip:port', 'ip', 'domain', 'url', 'md5_hash', 'sha1_hash', 'sha256_hash'];

/** One indicator of compromise with its context. `value` is always refanged. */
export interface Indicator {
  type: IndicatorType;
  value: string;
  /** The address of an `ip` or `ip:port` indicator. */
  ip?: string;
  port?: number;
  threatType?: string;
  malware?: string;
  aliases?: string[];
  /** ISO 8601 date or date-time. */
  firstSeen?: string;
  lastSeen?: string;
  /** 0-100. */
  confidence?: number;
  tags?: string[];
  reference?: string;
  /** 1-based line in the source file, when known. */
  line?: number;
}

/** The indicators of one family from one source. */
export interface IndicatorSet {
  family: string;
  /** Feed or report name ("ThreatFox"). */
  source: string;
  /** Path of the file the set came from; "built-in" for the set shipped with the product. */
  origin: string;
  indicators: Indicator[];
}

/** A stable, readable name for a set: "ThreatFox - Mirai". */
export function setName(set: Pick<IndicatorSet, 'family' | 'source'>): string {
  return `${set.source} - ${set.family}`;
}

/** Distinct IP addresses of a set's `ip` and `ip:port` indicators, in first-seen order of the file. */
export function setAddresses(set: IndicatorSet): string[] {
  const addresses: string[] = [];
  for (const indicator of set.indicators) {
    if (indicator.ip && !addresses.includes(indicator.ip)) addresses.push(indicator.ip);
  }
  return addresses;
}
