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
  /** The feed's own id of the indicator (ThreatFox `ioc_id`). */
  id?: string;
  /** ThreatFox `is_compromised`: the value belongs to a compromised legitimate host. */
  compromised?: boolean;
  reporter?: string;
  /** Path of the file the indicator came from ("built-in" for the built-in set). */
  origin?: string;
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
  /** Every file a merged set came from, in load order, when there is more than one. */
  origins?: string[];
  indicators: Indicator[];
}

export type HashType = 'md5_hash' | 'sha1_hash' | 'sha256_hash';

export const HASH_TYPES: readonly HashType[] = ['md5_hash', 'sha1_hash', 'sha256_hash'];

export function isHashType(type: IndicatorType): type is HashType {
  return (HASH_TYPES as readonly string[]).includes(type);
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

/** Distinct values of a set's indicators of one type, in file order. */
export function setValues(set: IndicatorSet, type: IndicatorType): string[] {
  const values = new Set<string>();
  for (const indicator of set.indicators) if (indicator.type === type) values.add(indicator.value);
  return [...values];
}

/** The indicator types present in a set. */
export function setTypes(set: IndicatorSet): Set<IndicatorType> {
  return new Set(set.indicators.map((indicator) => indicator.type));
}
