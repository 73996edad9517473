import { classifyIndicator } from '../classify';
import { INDICATOR_TYPES, Indicator, IndicatorType } from '../model';
import { booleanField, confidenceField, isoTimestamp, listField, nonNull, ProblemLog, SetCollector } from './collect';

export const THREATFOX_SOURCE = 'ThreatFox';

/** The family of indicators whose malware ThreatFox does not know. */
export const UNKNOWN_FAMILY = 'Unknown';

/**
 * One ThreatFox record, whichever export wrote it: field names are those of the CSV header
 * (`ioc_value`, `first_seen_utc`) or of the JSON API and export (`ioc`, `first_seen`).
 */
export type ThreatFoxRecord = Record<string, unknown>;

function pick(record: ThreatFoxRecord, ...names: string[]): unknown {
  for (const name of names) if (record[name] !== undefined) return record[name];
  return undefined;
}

function familyOf(record: ThreatFoxRecord): string {
  const printable = nonNull(pick(record, 'malware_printable'));
  if (printable) return printable;
  const malware = nonNull(pick(record, 'fk_malware', 'malware'));
  return malware && malware.toLowerCase() !== 'unknown' ? malware : UNKNOWN_FAMILY;
}

/**
 * Adds one ThreatFox record to `sets`, or reports why it was skipped. A bad date or confidence
 * is reported and left out; the indicator still loads.
 */
export function addThreatFoxRecord(record: ThreatFoxRecord, line: number | undefined, sets: SetCollector, log: ProblemLog): void {
  const raw = nonNull(pick(record, 'ioc_value', 'ioc'));
  if (!raw) {
    log.row(line, undefined, 'Row skipped: it has no ioc_value (or ioc) field.');
    return;
  }
  const statedText = nonNull(pick(record, 'ioc_type'))?.toLowerCase();
  const stated = statedText as IndicatorType | undefined;
  if (statedText && !INDICATOR_TYPES.includes(stated!)) {
    log.row(line, raw, `Row skipped: indicator type '${statedText}' of '${raw}' is not supported; supported types are ${INDICATOR_TYPES.join(', ')}.`);
    return;
  }
  const classified = classifyIndicator(raw, stated);
  if (!classified || (stated && classified.type !== stated)) {
    log.row(line, raw, `Row skipped: '${raw}' is not a valid ${stated ?? 'indicator'}.`);
    return;
  }

  const indicator: Indicator = { ...classified, line, malware: familyOf(record) };
  readContext(record, indicator, line, log);
  sets.add(indicator.malware!, indicator);
}

function readContext(record: ThreatFoxRecord, indicator: Indicator, line: number | undefined, log: ProblemLog): void {
  indicator.threatType = nonNull(pick(record, 'threat_type'));
  indicator.aliases = listField(pick(record, 'malware_alias'));
  indicator.tags = listField(pick(record, 'tags'));
  indicator.reference = nonNull(pick(record, 'reference'));
  indicator.id = nonNull(pick(record, 'ioc_id', 'id'));
  indicator.reporter = nonNull(pick(record, 'reporter'));
  indicator.compromised = booleanField(pick(record, 'is_compromised'));

  const firstSeen = pick(record, 'first_seen_utc', 'first_seen');
  indicator.firstSeen = isoTimestamp(firstSeen);
  if (nonNull(firstSeen) && !indicator.firstSeen) log.row(line, String(firstSeen), `Invalid first-seen date '${String(firstSeen)}' for ${indicator.value}; the indicator loads without it.`);
  const lastSeen = pick(record, 'last_seen_utc', 'last_seen');
  indicator.lastSeen = isoTimestamp(lastSeen);
  if (nonNull(lastSeen) && !indicator.lastSeen) log.row(line, String(lastSeen), `Invalid last-seen date '${String(lastSeen)}' for ${indicator.value}; the indicator loads without it.`);

  const confidence = pick(record, 'confidence_level');
  indicator.confidence = confidenceField(confidence);
  if (nonNull(confidence) !== undefined && indicator.confidence === undefined) {
    log.row(line, String(confidence), `Invalid confidence_level '${String(confidence)}' for ${indicator.value}; use a whole number from 0 to 100. The indicator loads without it.`);
  }
  for (const key of Object.keys(indicator) as (keyof Indicator)[]) if (indicator[key] === undefined) delete indicator[key];
}
