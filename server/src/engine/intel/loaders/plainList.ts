import { basename, extname } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { LoadProblem } from '../../util/problems';
import { classifyIndicator } from '../classify';
import { Indicator, IndicatorSet } from '../model';
import { confidenceField, isoTimestamp, ProblemLog, SetCollector } from './collect';

// A plain list for ad-hoc hunts: one indicator a line, defanged or not, with `#` or `//`
// comments. Comment lines of the form `# family: Emotet` set the context of the lines below
// them: family, source, threat_type, confidence, first_seen and reference. Without a family
// line, the file name is the family.

export const PLAIN_LIST_SOURCE = 'Plain list';

const LINES_PER_YIELD = 5000;

const DIRECTIVE = /^(?:#|\/\/)\s*(family|source|threat[ _]type|confidence|first[ _]seen|reference)\s*:\s*(.+?)\s*$/i;

interface ListContext {
  family: string;
  source: string;
  threatType?: string;
  confidence?: number;
  firstSeen?: string;
  reference?: string;
}

function stripComment(line: string): string {
  return line.replace(/(^|\s)(#|\/\/).*$/, '').trim();
}

function applyDirective(context: ListContext, name: string, value: string, line: number, log: ProblemLog): void {
  const key = name.toLowerCase().replace(/[ _]/, '');
  if (key === 'family') context.family = value;
  else if (key === 'source') context.source = value;
  else if (key === 'threattype') context.threatType = value;
  else if (key === 'reference') context.reference = value;
  else if (key === 'confidence') {
    context.confidence = confidenceField(value);
    if (context.confidence === undefined) log.row(line, value, `Invalid confidence '${value}'; use a whole number from 0 to 100.`);
  } else if (key === 'firstseen') {
    context.firstSeen = isoTimestamp(value);
    if (!context.firstSeen) log.row(line, value, `Invalid first_seen date '${value}'; use YYYY-MM-DD.`);
  }
}

export async function loadPlainList(file: string, input: Readable, problems: LoadProblem[]): Promise<IndicatorSet[]> {
  const log = new ProblemLog(file, problems);
  const context: ListContext = { family: basename(file, extname(file)), source: PLAIN_LIST_SOURCE };
  const collectors = new Map<string, SetCollector>();
  const collector = (): SetCollector => {
    let found = collectors.get(context.source);
    if (!found) collectors.set(context.source, (found = new SetCollector(file, context.source)));
    return found;
  };

  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line++;
    if (line % LINES_PER_YIELD === 0) await yieldToEventLoop();
    const directive = DIRECTIVE.exec(text.trim());
    if (directive) {
      applyDirective(context, directive[1], directive[2], line, log);
      continue;
    }
    const value = stripComment(text.replace(/^\uFEFF/, ''));
    if (value === '') continue;

    const classified = classifyIndicator(value);
    if (!classified) {
      log.row(line, value, `Line skipped: '${value}' is not an IP address, ip:port, domain, URL or MD5/SHA1/SHA256 hash.`);
      continue;
    }
    const indicator: Indicator = { ...classified, malware: context.family, line };
    if (context.threatType) indicator.threatType = context.threatType;
    if (context.confidence !== undefined) indicator.confidence = context.confidence;
    if (context.firstSeen) indicator.firstSeen = context.firstSeen;
    if (context.reference) indicator.reference = context.reference;
    collector().add(context.family, indicator);
  }

  log.finish();
  return [...collectors.values()].flatMap((sets) => sets.finish(log));
}
