// Splits a .kql document into blocks, one query each. Like Kusto Explorer and the Log Analytics
// editor, a blank line ends a query, except where the text clearly continues: the next part
// starts with a pipe or a closing bracket, the block so far ends with a `let` statement's
// semicolon, an operator or an open bracket, or a multi-line string is still open. Comment-only
// paragraphs are the header of the query that follows them.

import { parseEnvironmentDirective } from './schema/environment';

export interface Block {
  /** Offset of the block's first character in the document. */
  start: number;
  /** Offset just past the block's last non-blank character. */
  end: number;
  text: string;
  /** 0-based line of the first and last line of the block. */
  startLine: number;
  endLine: number;
  /** Deepest bracket nesting in the block, outside strings and comments. */
  maxDepth: number;
  /** True when the block holds only comments. */
  commentOnly: boolean;
}

interface Line {
  start: number;
  /** Offset of the line end, before the line break. */
  end: number;
  text: string;
}

interface ScanState {
  depth: number;
  maxDepth: number;
  /** Inside a ``` multi-line string literal. */
  inMultiLineString: boolean;
}

interface Paragraph {
  /** 0-based lines and offsets of the paragraph's first and last line. */
  first: number;
  last: number;
  start: number;
  end: number;
  commentOnly: boolean;
  hasDirective: boolean;
  /** Bracket depth and multi-line string state after the paragraph. */
  state: ScanState;
  /** The paragraph's last line of code, without its comment. */
  lastCode: string;
  firstCode: string;
}

export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const pattern = /\r\n|\n|\r/g;
  let start = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text))) {
    lines.push({ start, end: match.index, text: text.slice(start, match.index) });
    start = match.index + match[0].length;
  }
  lines.push({ start, end: text.length, text: text.slice(start) });
  return lines;
}

/**
 * Scans one line for brackets outside strings and comments, and returns the line's code with
 * its trailing comment removed. Quoted strings end at the line end; ``` strings span lines.
 */
function scanLine(line: string, state: ScanState): string {
  let code = '';
  let i = 0;
  while (i < line.length) {
    if (state.inMultiLineString) {
      const close = line.indexOf('```', i);
      if (close === -1) return code;
      state.inMultiLineString = false;
      i = close + 3;
      continue;
    }
    const char = line[i];
    if (char === '/' && line[i + 1] === '/') break;
    if (line.startsWith('```', i)) {
      state.inMultiLineString = true;
      code += '```';
      i += 3;
      continue;
    }
    if (char === '"' || char === "'") {
      const verbatim = line[i - 1] === '@';
      let j = i + 1;
      while (j < line.length && line[j] !== char) j += !verbatim && line[j] === '\\' ? 2 : 1;
      code += line.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (char === '(' || char === '[' || char === '{') {
      state.depth++;
      state.maxDepth = Math.max(state.maxDepth, state.depth);
    } else if ((char === ')' || char === ']' || char === '}') && state.depth > 0) {
      state.depth--;
    }
    code += char;
    i++;
  }
  return code;
}

const CONTINUES_AFTER = /(\||,|\(|\[|\{|=|\band|\bor|\bnot|==|!=|=~|:)\s*$/;
const CONTINUES_BEFORE = /^\s*(\||\)|\]|\}|,|and\b|or\b)/;

function isBlank(line: Line): boolean {
  return line.text.trim() === '';
}

/** Reads the document's lines one at a time from an offset, without splitting the whole text. */
class LineReader {
  private readonly pattern = /\r\n|\n|\r/g;
  private done = false;

  constructor(
    private readonly text: string,
    private offset: number,
    private index: number,
  ) {}

  next(): (Line & { index: number }) | undefined {
    if (this.done) return undefined;
    const start = this.offset;
    const index = this.index++;
    this.pattern.lastIndex = start;
    const match = this.pattern.exec(this.text);
    if (!match) {
      this.done = true;
      return { start, end: this.text.length, text: this.text.slice(start), index };
    }
    this.offset = match.index + match[0].length;
    return { start, end: match.index, text: this.text.slice(start, match.index), index };
  }
}

type IndexedLine = Line & { index: number };

interface ParagraphRead {
  paragraph: Paragraph;
  /** The line after the paragraph (blank), or undefined at the end of the text. */
  next: IndexedLine | undefined;
}

function readParagraph(reader: LineReader, firstLine: IndexedLine, state: ScanState): ParagraphRead {
  let last = firstLine;
  let commentOnly = true;
  let hasDirective = false;
  let firstCode = '';
  let lastCode = '';

  let line: IndexedLine | undefined = firstLine;
  while (line) {
    if (isBlank(line) && !state.inMultiLineString) break;
    last = line;
    if (parseEnvironmentDirective(line.text) !== undefined) hasDirective = true;
    const wasInString = state.inMultiLineString;
    const code = scanLine(line.text, state).trim();
    if (code !== '' || wasInString) {
      commentOnly = false;
      if (firstCode === '') firstCode = code;
      lastCode = code;
    }
    line = reader.next();
  }
  const paragraph = { first: firstLine.index, last: last.index, start: firstLine.start, end: last.end, commentOnly, hasDirective, state: { ...state }, lastCode, firstCode };
  return { paragraph, next: line };
}

function continues(previous: Paragraph, next: Paragraph): boolean {
  if (previous.commentOnly) return !previous.hasDirective;
  if (previous.state.inMultiLineString || previous.state.depth > 0) return true;
  if (next.commentOnly) return false;
  return previous.lastCode.endsWith(';') || CONTINUES_AFTER.test(previous.lastCode) || CONTINUES_BEFORE.test(next.firstCode);
}

/** The scanner's state where a block starts: splitting can resume there. */
export interface SplitState {
  depth: number;
  inMultiLineString: boolean;
}

/** A text's blocks with the scanner state at each block's start, for splitting again after an edit. */
export interface SplitResult {
  text: string;
  blocks: Block[];
  startStates: SplitState[];
}

/** A resume point: the offset and 0-based line of a block's first line, and the scanner state there. */
interface Resume {
  offset: number;
  line: number;
  state: SplitState;
}

/**
 * Splits `text` from a block start. `stopAt` is asked at each new block start after the
 * first; when it returns true, splitting stops before that block.
 */
function scanBlocks(text: string, from: Resume, stopAt?: (start: number, line: number, state: SplitState) => boolean): SplitResult & { stoppedAt?: number } {
  const reader = new LineReader(text, from.offset, from.line);
  const blocks: Block[] = [];
  const startStates: SplitState[] = [];
  let current: { first: Paragraph; last: Paragraph; maxDepth: number; commentOnly: boolean } | undefined;
  const state: ScanState = { depth: from.state.depth, maxDepth: 0, inMultiLineString: from.state.inMultiLineString };

  const flush = (): void => {
    if (!current) return;
    const { first, last } = current;
    blocks.push({ start: first.start, end: last.end, text: text.slice(first.start, last.end), startLine: first.first, endLine: last.last, maxDepth: current.maxDepth, commentOnly: current.commentOnly });
    current = undefined;
  };

  let line = reader.next();
  while (line) {
    if (isBlank(line)) {
      line = reader.next();
      continue;
    }
    // Nesting is measured per paragraph; an open bracket carries over only into a paragraph
    // that continues the same block.
    state.maxDepth = state.depth;
    const before: SplitState = { depth: state.depth, inMultiLineString: state.inMultiLineString };
    const { paragraph, next } = readParagraph(reader, line, state);
    if (current && continues(current.last, paragraph)) {
      current.last = paragraph;
      current.commentOnly &&= paragraph.commentOnly;
    } else {
      flush();
      if (blocks.length > 0 && stopAt?.(paragraph.start, paragraph.first, before)) return { text, blocks, startStates, stoppedAt: paragraph.start };
      startStates.push(before);
      current = { first: paragraph, last: paragraph, maxDepth: 0, commentOnly: paragraph.commentOnly };
    }
    current.maxDepth = Math.max(current.maxDepth, state.maxDepth);
    line = next;
  }
  flush();
  return { text, blocks, startStates };
}

const START: Resume = { offset: 0, line: 0, state: { depth: 0, inMultiLineString: false } };

export function splitBlocks(text: string): Block[] {
  return scanBlocks(text, START).blocks;
}

/** Splits a whole text, keeping what `resplitBlocks` needs to split it again after an edit. */
export function splitWithStates(text: string): SplitResult {
  return scanBlocks(text, START);
}

/** Length of the longest common prefix of two strings, by halving (string comparison is native). */
export function commonPrefixLength(a: string, b: string): number {
  let low = 0;
  let high = Math.min(a.length, b.length);
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (a.slice(low, middle) === b.slice(low, middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** Length of the longest common suffix of two strings, at most `limit`. */
export function commonSuffixLength(a: string, b: string, limit: number): number {
  let low = 0;
  let high = Math.min(limit, a.length, b.length);
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (a.slice(a.length - middle, a.length - low) === b.slice(b.length - middle, b.length - low)) low = middle;
    else high = middle - 1;
  }
  return low;
}

function firstBlockEndingAtOrAfter(blocks: readonly Block[], offset: number): number {
  let low = 0;
  let high = blocks.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (blocks[middle].end < offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

function blockStartingAt(blocks: readonly Block[], offset: number): number {
  let low = 0;
  let high = blocks.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (blocks[middle].start === offset) return middle;
    if (blocks[middle].start < offset) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/**
 * Splits `text` again after an edit of `previous.text`, re-scanning only from the block before
 * the edit to the first block after it that starts where it started before in the same state.
 * Blocks before the edit are kept as they are, blocks after it are moved by the edit's length.
 * The result is the same as `splitWithStates(text)`.
 */
export function resplitBlocks(previous: SplitResult, text: string): SplitResult {
  const old = previous.text;
  if (old === text) return previous;
  // A line break split by the edit (`\r` kept, `\n` added after it) counts as changed.
  let prefix = commonPrefixLength(old, text);
  if (prefix > 0 && text.charCodeAt(prefix - 1) === 13) prefix--;
  let suffix = commonSuffixLength(old, text, Math.min(old.length, text.length) - prefix);
  if (suffix > 0 && text.charCodeAt(text.length - suffix) === 10) suffix--;
  const delta = text.length - old.length;
  const changeEnd = text.length - suffix;

  // The block before the first one the edit may touch decides whether that one continues it.
  // An edit in the gap after a block may extend that block (a line typed right under it), so the
  // block before that one decides again. An edit before the first block's start makes the scan
  // start at the top.
  const touched = firstBlockEndingAtOrAfter(previous.blocks, prefix);
  const inGap = touched >= previous.blocks.length || previous.blocks[touched].start > prefix;
  const resumeIndex = Math.max(0, touched - (inGap ? 2 : 1));
  const resumeBlock = previous.blocks[resumeIndex];
  const from: Resume = resumeBlock && resumeBlock.start <= prefix ? { offset: resumeBlock.start, line: resumeBlock.startLine, state: previous.startStates[resumeIndex] } : START;

  let tailIndex = -1;
  let lineDelta = 0;
  const stopAt = (start: number, line: number, state: SplitState): boolean => {
    if (start < changeEnd) return false;
    const index = blockStartingAt(previous.blocks, start - delta);
    if (index === -1 || !sameState(previous.startStates[index], state)) return false;
    tailIndex = index;
    lineDelta = line - previous.blocks[index].startLine;
    return true;
  };
  const scanned = scanBlocks(text, from, stopAt);

  const blocks = previous.blocks.slice(0, resumeIndex).concat(scanned.blocks.map(detached));
  const startStates = previous.startStates.slice(0, resumeIndex).concat(scanned.startStates);
  if (tailIndex !== -1) {
    for (let index = tailIndex; index < previous.blocks.length; index++) {
      blocks.push(moved(previous.blocks[index], delta, lineDelta));
      startStates.push(previous.startStates[index]);
    }
  }
  return { text, blocks, startStates };
}

/**
 * Copies a block with a text of its own. A slice keeps the whole text it was cut from alive, and a
 * block kept across many edits would otherwise keep one copy of the document per edit.
 */
function detached(block: Block): Block {
  return { ...block, text: (` ${block.text}`).slice(1) };
}

function sameState(a: SplitState, b: SplitState): boolean {
  return a.depth === b.depth && a.inMultiLineString === b.inMultiLineString;
}

function moved(block: Block, delta: number, lineDelta: number): Block {
  if (delta === 0 && lineDelta === 0) return block;
  // A literal rather than a spread: this runs for every block after the edit.
  return {
    start: block.start + delta,
    end: block.end + delta,
    text: block.text,
    startLine: block.startLine + lineDelta,
    endLine: block.endLine + lineDelta,
    maxDepth: block.maxDepth,
    commentOnly: block.commentOnly,
  };
}
