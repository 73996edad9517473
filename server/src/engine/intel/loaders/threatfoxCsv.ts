import { parse, Info } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { Readable } from 'node:stream';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { LoadProblem } from '../../util/problems';
import { IndicatorSet } from '../model';
import { ProblemLog, SetCollector } from './collect';
import { addThreatFoxRecord, THREATFOX_SOURCE, ThreatFoxRecord } from './threatfoxRow';

// Reads ThreatFox CSV exports (full, recent and ip:port). Their shape: `#` comment lines, the
// header as one of those comments (`# "first_seen_utc","ioc_id",...`), then rows of quoted
// fields separated by `, `. Columns are read by header name because the column set changed over
// time (`is_compromised` is newer); `None` stands for no value.

/** Column order of the exports, used only when a file has no header line. */
export const THREATFOX_CSV_COLUMNS = [
  'first_seen_utc',
  'ioc_id',
  'ioc_value',
  'ioc_type',
  'threat_type',
  'fk_malware',
  'malware_alias',
  'malware_printable',
  'last_seen_utc',
  'confidence_level',
  'reference',
  'tags',
  'anonymous',
  'reporter',
];

const CSV_OPTIONS = { ltrim: true, rtrim: true, relax_column_count: true, skip_empty_lines: true, bom: true } as const;

function isHeader(fields: readonly string[]): boolean {
  return fields.some((field) => /^(ioc_value|ioc|first_seen_utc|ioc_id)$/i.test(field.trim()));
}

/** Finds the header among the leading `#` comment lines; undefined when none of them is one. */
export function findCommentHeader(head: string): { columns: string[]; line: number } | undefined {
  const lines = head.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (!line.startsWith('#')) {
      if (line.trim() === '') continue;
      return undefined;
    }
    const text = line.replace(/^#+\s*/, '');
    if (!/ioc_value|first_seen_utc|ioc_id/i.test(text)) continue;
    try {
      const [fields] = parseSync(text, CSV_OPTIONS) as string[][];
      if (fields && isHeader(fields)) return { columns: fields.map((field) => field.trim().toLowerCase()), line: index + 1 };
    } catch {
      // A comment that only mentions a column name is no header; keep looking.
    }
  }
  return undefined;
}

/**
 * Loads a ThreatFox CSV export. `head` is the start of the file, where the comment header is.
 * `input` is the whole file, read in chunks, so that a large export does not hold up the event
 * loop for long.
 */
interface ParsedRecord {
  record: string[];
  info: Info;
}

/**
 * Feeds the file to csv-parse one chunk at a time and yields the records of each chunk before
 * the next is read. A yield to the event loop follows each chunk, so one turn of the loop parses
 * at most one chunk.
 */
async function* csvRecords(input: Readable, onSkip: (error: Error & { lines?: number }) => void): AsyncGenerator<ParsedRecord[]> {
  const parser = parse({ ...CSV_OPTIONS, comment: '#', comment_no_infix: true, info: true, skip_records_with_error: true });
  const ready: ParsedRecord[] = [];
  let failure: Error | undefined;
  parser.on('readable', () => {
    let record: ParsedRecord | null;
    while ((record = parser.read() as ParsedRecord | null) !== null) ready.push(record);
  });
  parser.on('skip', onSkip);
  parser.on('error', (error) => (failure = error));
  const ended = new Promise<void>((resolve) => parser.once('end', resolve).once('error', () => resolve()));

  for await (const chunk of input) {
    parser.write(chunk);
    await yieldToEventLoop();
    if (failure) throw failure;
    yield ready.splice(0);
  }
  parser.end();
  await ended;
  if (failure) throw failure;
  yield ready.splice(0);
}

export async function loadThreatFoxCsv(file: string, head: string, input: Readable, problems: LoadProblem[]): Promise<IndicatorSet[]> {
  const log = new ProblemLog(file, problems);
  const sets = new SetCollector(file, THREATFOX_SOURCE);
  let columns = findCommentHeader(head)?.columns;
  const onSkip = (error: Error & { lines?: number }): void => log.row(error.lines, undefined, `Row skipped: invalid CSV (${error.message.replace(/ at line \d+/, '')}).`);

  try {
    for await (const batch of csvRecords(input, onSkip)) {
      for (const { record, info } of batch) {
        if (!columns) {
          if (isHeader(record)) {
            columns = record.map((field) => field.trim().toLowerCase());
            continue;
          }
          columns = THREATFOX_CSV_COLUMNS;
          log.warning(info.lines, `No header line found; reading the columns in ThreatFox's order (${THREATFOX_CSV_COLUMNS.join(', ')}).`);
        }
        if (!columns.includes('ioc_value') && !columns.includes('ioc')) {
          log.error(undefined, `The header names no ioc_value column (columns: ${columns.join(', ')}); this is not a ThreatFox CSV export.`);
          log.finish();
          return sets.finish(log);
        }
        addRow(record, columns, info.lines, sets, log);
      }
    }
  } catch (error) {
    log.error(undefined, `Reading stopped: ${(error as Error).message}. Rows read before this point are loaded.`);
  }

  log.finish();
  return sets.finish(log);
}

function addRow(record: string[], columns: readonly string[], line: number, sets: SetCollector, log: ProblemLog): void {
  if (record.length !== columns.length) {
    const value = record[columns.indexOf('ioc_value')];
    log.row(line, value, `Row skipped: it has ${record.length} fields, but the header names ${columns.length} columns.`);
    return;
  }
  const fields: ThreatFoxRecord = {};
  columns.forEach((column, index) => {
    fields[column] = record[index];
  });
  addThreatFoxRecord(fields, line, sets, log);
}
