import { LoadProblem } from '../../util/problems';
import { Indicator, IndicatorSet } from '../model';

/** Row problems reported one by one per file; past this, one summary line counts the rest. */
export const MAX_ROW_PROBLEMS = 20;

/**
 * Collects one file's row problems, so that a feed with thousands of bad rows gives a readable
 * list: the first MAX_ROW_PROBLEMS with their lines, then a count of the others.
 */
export class ProblemLog {
  private reported = 0;
  private suppressed = 0;
  private firstSuppressedLine: number | undefined;

  constructor(
    readonly file: string,
    private readonly problems: LoadProblem[],
  ) {}

  /** Reports a skipped or partly read row. */
  row(line: number | undefined, value: string | undefined, message: string): void {
    if (this.reported >= MAX_ROW_PROBLEMS) {
      this.suppressed++;
      this.firstSuppressedLine ??= line;
      return;
    }
    this.reported++;
    this.problems.push({ file: this.file, line, value, severity: 'warning', message });
  }

  /** Reports a problem with the file as a whole. Loading stops there, and rows read before it are kept. */
  error(line: number | undefined, message: string): void {
    this.problems.push({ file: this.file, line, severity: 'error', message });
  }

  warning(line: number | undefined, message: string): void {
    this.problems.push({ file: this.file, line, severity: 'warning', message });
  }

  /** Adds the summary of the row problems past the limit. */
  finish(): void {
    if (this.suppressed === 0) return;
    this.problems.push({
      file: this.file,
      line: this.firstSuppressedLine,
      severity: 'warning',
      message: `${this.suppressed} more rows had problems like the ones above and were skipped or read in part (first at this line).`,
    });
  }
}

/**
 * Groups a file's indicators into sets by family, keeping each value once per set. Repeats
 * within the file are counted and reported once by `finish`.
 */
export class SetCollector {
  private readonly sets = new Map<string, { set: IndicatorSet; seen: Set<string> }>();
  private duplicates = 0;
  private firstDuplicate: { line?: number; value: string } | undefined;

  constructor(
    private readonly file: string,
    private readonly source: string,
  ) {}

  add(family: string, indicator: Indicator): void {
    const key = family.toLowerCase();
    let entry = this.sets.get(key);
    if (!entry) {
      entry = { set: { family, source: this.source, origin: this.file, indicators: [] }, seen: new Set() };
      this.sets.set(key, entry);
    }
    const valueKey = `${indicator.type}\u0000${indicator.value}`;
    if (entry.seen.has(valueKey)) {
      this.duplicates++;
      this.firstDuplicate ??= { line: indicator.line, value: indicator.value };
      return;
    }
    entry.seen.add(valueKey);
    indicator.origin = this.file;
    entry.set.indicators.push(indicator);
  }

  get size(): number {
    let total = 0;
    for (const entry of this.sets.values()) total += entry.set.indicators.length;
    return total;
  }

  finish(log: ProblemLog): IndicatorSet[] {
    if (this.duplicates > 0 && this.firstDuplicate) {
      const first = this.firstDuplicate;
      log.warning(first.line, `${this.duplicates === 1 ? '1 indicator appears' : `${this.duplicates} indicators appear`} more than once in this file (first repeat: ${first.value}); each is loaded once.`);
    }
    return [...this.sets.values()].map((entry) => entry.set);
  }
}

/** Values feeds write for "no value". */
const NULL_MARKERS = new Set(['', 'none', 'null', 'n/a', 'unknown malware']);

export function nonNull(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value).trim();
  return NULL_MARKERS.has(text.toLowerCase()) ? undefined : text;
}

/** Reads a list field: an array, null, or a comma-separated string (ThreatFox writes all three). */
export function listField(value: unknown): string[] | undefined {
  if (Array.isArray(value)) {
    const items = value.map(nonNull).filter((item): item is string => item !== undefined);
    return items.length > 0 ? items : undefined;
  }
  const text = nonNull(value);
  if (!text) return undefined;
  const items = text.split(',').map((item) => item.trim()).filter(Boolean);
  return items.length > 0 ? items : undefined;
}

/**
 * Converts a feed timestamp to ISO 8601: `2026-06-14 09:12:44`, `2026-06-14 09:12:44 UTC` and
 * ISO input become `2026-06-14T09:12:44Z`, and a bare date stays a date. Undefined when invalid.
 */
export function isoTimestamp(value: unknown): string | undefined {
  const text = nonNull(value);
  if (!text) return undefined;
  const date = /^(\d{4}-\d{2}-\d{2})$/.exec(text);
  if (date) return Number.isNaN(Date.parse(date[1])) ? undefined : date[1];
  const stamp = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.\d+)?\s*(?:UTC|Z|\+00:?00)?$/i.exec(text);
  if (!stamp) return undefined;
  const iso = `${stamp[1]}T${stamp[2]}Z`;
  return Number.isNaN(Date.parse(iso)) ? undefined : iso;
}

/** Reads a confidence of 0-100 from a number or text such as `75` or `75%`. */
export function confidenceField(value: unknown): number | undefined {
  const text = nonNull(value);
  if (text === undefined) return undefined;
  const match = /^(\d{1,3})\s*%?$/.exec(text);
  if (!match) return undefined;
  const confidence = Number(match[1]);
  return confidence <= 100 ? confidence : undefined;
}

export function booleanField(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const text = nonNull(value)?.toLowerCase();
  if (text === '1' || text === 'true' || text === 'yes') return true;
  if (text === '0' || text === 'false' || text === 'no') return false;
  return undefined;
}
