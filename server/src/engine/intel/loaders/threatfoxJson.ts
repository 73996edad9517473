import { Tokenizer, TokenParser, TokenType } from '@streamparser/json';
import { Readable } from 'node:stream';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { LoadProblem } from '../../util/problems';
import { IndicatorSet } from '../model';
import { ProblemLog, SetCollector } from './collect';
import { addThreatFoxRecord, THREATFOX_SOURCE, ThreatFoxRecord } from './threatfoxRow';

// Reads ThreatFox JSON in its two shapes: the API response `{"query_status": "ok", "data":
// [...]}` and the export file, an object keyed by IOC id whose values are one-element arrays.
// A bare array of records is accepted too. The file is parsed as a stream, record by record,
// with a yield to the event loop after each chunk, and the records before a syntax error or a
// truncation still load.

/** Turns byte offsets of the streamed file into 1-based line numbers, as the offsets grow. */
class LineCounter {
  private chunk: Buffer = Buffer.alloc(0);
  private chunkStart = 0;
  private scanned = 0;
  private line = 1;

  startChunk(chunk: Buffer): void {
    this.advance(this.chunkStart + this.chunk.length);
    this.chunkStart += this.chunk.length;
    this.chunk = chunk;
    this.scanned = 0;
  }

  /** Line of `offset`; offsets must not go back before the current chunk. */
  lineAt(offset: number): number {
    this.advance(offset);
    return this.line;
  }

  private advance(offset: number): void {
    const end = Math.min(offset - this.chunkStart, this.chunk.length);
    for (; this.scanned < end; this.scanned++) if (this.chunk[this.scanned] === 0x0a) this.line++;
  }
}

function isRecord(value: unknown): value is ThreatFoxRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Rewrites the streaming parser's message as a short phrase: 'unexpected "x"'. */
function syntaxProblem(message: string): string {
  if (/ended in the middle of a token/i.test(message)) return 'the file ends in the middle of a value (truncated?)';
  const character = /^Unexpected ("[^"]*")/.exec(message);
  if (character) return `unexpected ${character[1]}`;
  const token = /^Unexpected \w+ \((.*)\) in state/.exec(message);
  return token ? `unexpected ${token[1]}` : message;
}

export async function loadThreatFoxJson(file: string, input: Readable, problems: LoadProblem[]): Promise<IndicatorSet[]> {
  const log = new ProblemLog(file, problems);
  const sets = new SetCollector(file, THREATFOX_SOURCE);
  const lines = new LineCounter();
  const state = { shapeKnown: false, ended: false, failed: false, queryStatus: undefined as string | undefined, records: 0 };

  const tokenizer = new Tokenizer();
  let parser: TokenParser | undefined;
  const openings: number[] = [];
  let lastOpening = 0;
  let lastToken = 0;

  // The records sit one level down in a top-level array and two levels down in an object.
  const createParser = (topLevel: TokenType): TokenParser => {
    const paths = topLevel === TokenType.LEFT_BRACKET ? ['$.*'] : ['$.*.*', '$.query_status'];
    const created = new TokenParser({ paths, keepStack: false });
    created.onValue = ({ value, key }) => {
      if (key === 'query_status' && typeof value === 'string') state.queryStatus = value;
      else onRecord(value, lines.lineAt(lastOpening));
    };
    created.onEnd = () => {
      state.ended = true;
    };
    created.onError = (error) => fail(error.message, lastToken);
    return created;
  };

  const onRecord = (value: unknown, line: number): void => {
    state.records++;
    if (!isRecord(value)) {
      log.row(line, undefined, 'Entry skipped: a ThreatFox record is a JSON object with an ioc (or ioc_value) field.');
      return;
    }
    addThreatFoxRecord(value, line, sets, log);
  };

  const fail = (message: string, offset?: number): void => {
    if (state.failed) return;
    state.failed = true;
    const line = offset === undefined ? undefined : lines.lineAt(offset);
    log.error(line, `Invalid JSON: ${syntaxProblem(message)}. Records before this point are loaded.`);
  };

  tokenizer.onToken = (info) => {
    lastToken = info.offset;
    if (!parser) {
      if (info.token !== TokenType.LEFT_BRACE && info.token !== TokenType.LEFT_BRACKET) {
        fail(`expected an object or an array, found ${JSON.stringify(info.value)}`, info.offset);
        return;
      }
      parser = createParser(info.token);
    }
    // The offset of the bracket that opens each value, so a record's line is where it starts.
    if (info.token === TokenType.LEFT_BRACE || info.token === TokenType.LEFT_BRACKET) openings.push(info.offset);
    if (info.token === TokenType.RIGHT_BRACE || info.token === TokenType.RIGHT_BRACKET) lastOpening = openings.pop() ?? info.offset;
    if (!state.failed) parser.write(info);
  };
  tokenizer.onError = (error) => {
    const position = /absolute position "(\d+)"/.exec(error.message);
    fail(error.message, position ? Number(position[1]) : undefined);
  };

  let first = true;
  for await (const chunk of input) {
    let bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    // A UTF-8 byte order mark is no JSON token; skip it (line counting is unaffected).
    if (first && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    first = false;
    lines.startChunk(bytes);
    tokenizer.write(bytes);
    if (state.failed) break;
    await yieldToEventLoop();
  }
  if (!state.failed) tokenizer.end();
  if (!state.failed && parser && !state.ended) fail('the file ends before its closing brackets (truncated?)', Number.MAX_SAFE_INTEGER);

  if (state.queryStatus !== undefined && state.queryStatus !== 'ok' && state.records === 0) {
    log.warning(undefined, `The ThreatFox API response has query_status '${state.queryStatus}' and no records.`);
  }
  log.finish();
  return sets.finish(log);
}
