import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import { LoadProblem } from '../../util/problems';
import { IndicatorSet } from '../model';
import { loadPlainList } from './plainList';
import { parseHuntReport } from './report';
import { loadThreatFoxCsv } from './threatfoxCsv';
import { loadThreatFoxJson } from './threatfoxJson';

export type IntelFormat = 'threatfox-csv' | 'threatfox-json' | 'hunt-report' | 'plain-list';

export const FORMAT_LABELS: Record<IntelFormat, string> = {
  'threatfox-csv': 'ThreatFox CSV export',
  'threatfox-json': 'ThreatFox JSON',
  'hunt-report': 'hunt report',
  'plain-list': 'plain list',
};

export interface LoadedFile {
  format?: IntelFormat;
  sets: IndicatorSet[];
  problems: LoadProblem[];
  bytes: number;
}

/** Bytes read to recognise a file's format. */
const HEAD_BYTES = 64 * 1024;

/** Hunt reports are read whole; past this size a text file is no report. */
const MAX_REPORT_BYTES = 10 * 1024 * 1024;

/** Chunk size of streamed reads: large enough to be quick, small enough to keep requests flowing. */
const CHUNK_BYTES = 64 * 1024;

/** Returns why a file cannot be a text feed at all, or undefined. */
function binaryProblem(head: Buffer): string | undefined {
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'This is a ZIP archive; extract the CSV or JSON export from it and load that file.';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'This is a gzip-compressed file; decompress it and load the result.';
  if (head.includes(0)) return 'This is a binary file, not a text feed; load a ThreatFox CSV or JSON export, a hunt report or a plain list.';
  return undefined;
}

/** Recognises a feed's format from its name and first bytes. */
export function detectFormat(path: string, head: string, size: number): IntelFormat {
  const extension = extname(path).toLowerCase();
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (extension === '.json' || text.startsWith('{') || text.startsWith('[')) return 'threatfox-json';
  if (extension === '.csv' || /^#.*\bioc_value\b/im.test(head) || /^"[^"]*",\s*"/m.test(head)) return 'threatfox-csv';
  if (size <= MAX_REPORT_BYTES && /Malware Family:/i.test(head)) return 'hunt-report';
  return 'plain-list';
}

/**
 * Loads one indicator file of any supported format. Problems, including a file that cannot be
 * read, come back in `problems` rather than as exceptions, and the rows that could be read
 * load. `name` is how messages name the file (the path as the user configured it).
 */
export async function loadIntelFile(path: string, name = path): Promise<LoadedFile> {
  const problems: LoadProblem[] = [];
  let head: Buffer;
  let size: number;
  try {
    const handle = await open(path, 'r');
    try {
      size = (await handle.stat()).size;
      const buffer = Buffer.alloc(Math.min(HEAD_BYTES, size));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'the file does not exist' : code === 'EISDIR' ? 'this is a folder, not a file' : (error as Error).message;
    problems.push({ file: name, severity: 'error', message: `Cannot read the indicator file: ${reason}.` });
    return { sets: [], problems, bytes: 0 };
  }

  const binary = binaryProblem(head);
  if (binary) return { sets: [], problems: [{ file: name, severity: 'error', message: binary }], bytes: size };
  const headText = head.toString('utf8');
  if (headText.trim() === '' || headText.replace(/^\uFEFF/, '').trim() === '') {
    return { sets: [], problems: [{ file: name, severity: 'error', message: 'The file is empty; it contains no indicators.' }], bytes: size };
  }

  const format = detectFormat(path, headText, size);
  const input: FeedInput = { stream: () => createReadStream(path, { highWaterMark: CHUNK_BYTES }), text: () => readFile(path, 'utf8') };
  const sets = await loadFormat(format, name, headText, input, problems);
  return { format, sets, problems, bytes: size };
}

interface FeedInput {
  /** The whole file as a stream of chunks. */
  stream(): Readable;
  /** The whole file as text, for the formats that are read at once. */
  text(): Promise<string>;
}

async function loadFormat(format: IntelFormat, name: string, head: string, input: FeedInput, problems: LoadProblem[]): Promise<IndicatorSet[]> {
  switch (format) {
    case 'threatfox-csv':
      return loadThreatFoxCsv(name, head, input.stream(), problems);
    case 'threatfox-json':
      return loadThreatFoxJson(name, input.stream(), problems);
    case 'plain-list':
      return loadPlainList(name, input.stream(), problems);
    case 'hunt-report': {
      const sets = parseHuntReport(name, await input.text(), problems);
      for (const set of sets) for (const indicator of set.indicators) indicator.origin = name;
      return sets;
    }
  }
}

/** Loads feed text held in memory, as `loadIntelFile` loads a file; for tests and the CLI. */
export async function loadIntelText(name: string, text: string, format = detectFormat(name, text.slice(0, HEAD_BYTES), text.length)): Promise<LoadedFile> {
  const problems: LoadProblem[] = [];
  const input: FeedInput = { stream: () => Readable.from([Buffer.from(text)]), text: () => Promise.resolve(text) };
  const sets = await loadFormat(format, name, text.slice(0, HEAD_BYTES), input, problems);
  return { format, sets, problems, bytes: Buffer.byteLength(text) };
}
