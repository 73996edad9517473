import { classifyIndicator, ClassifiedValue } from '../classify';
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

  const indicator = readContext(record, classified, line, log);
  sets.add(indicator.malware!, indicator);
}

// Every indicator gets the same fields in the same order, undefined where the feed has no value:
// one object shape keeps loading hundreds of thousands of them fast.
function readContext(record: ThreatFoxRecord, classified: ClassifiedValue, line: number | undefined, log: ProblemLog): Indicator {
  const value = classified.value;
  const firstSeenText = pick(record, 'first_seen_utc', 'first_seen');
  const lastSeenText = pick(record, 'last_seen_utc', 'last_seen');
  const confidenceText = pick(record, 'confidence_level');
  const indicator: Indicator = {
    type: classified.type,
    value,
    ip: classified.ip,
    port: classified.port,
    threatType: nonNull(pick(record, 'threat_type')),
    malware: familyOf(record),
    aliases: listField(pick(record, 'malware_alias')),
    firstSeen: isoTimestamp(firstSeenText),
    lastSeen: isoTimestamp(lastSeenText),
    confidence: confidenceField(confidenceText),
    tags: listField(pick(record, 'tags')),
    reference: nonNull(pick(record, 'reference')),
    id: nonNull(pick(record, 'ioc_id', 'id')),
    compromised: booleanField(pick(record, 'is_compromised')),
    reporter: nonNull(pick(record, 'reporter')),
    origin: undefined,
    line,
  };

  if (nonNull(firstSeenText) && !indicator.firstSeen) log.row(line, String(firstSeenText), `Invalid first-seen date '${String(firstSeenText)}' for ${value}; the indicator loads without it.`);
  if (nonNull(lastSeenText) && !indicator.lastSeen) log.row(line, String(lastSeenText), `Invalid last-seen date '${String(lastSeenText)}' for ${value}; the indicator loads without it.`);
  if (nonNull(confidenceText) !== undefined && indicator.confidence === undefined) {
    log.row(line, String(confidenceText), `Invalid confidence_level '${String(confidenceText)}' for ${value}; use a whole number from 0 to 100. The indicator loads without it.`);
  }
  return indicator;
}
