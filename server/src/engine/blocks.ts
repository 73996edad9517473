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
  first: number;
  last: number;
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

function readParagraph(lines: Line[], first: number, state: ScanState): Paragraph {
  let last = first;
  let commentOnly = true;
  let hasDirective = false;
  let firstCode = '';
  let lastCode = '';

  for (let index = first; index < lines.length; index++) {
    const line = lines[index];
    if (isBlank(line) && !state.inMultiLineString) break;
    last = index;
    if (parseEnvironmentDirective(line.text) !== undefined) hasDirective = true;
    const wasInString = state.inMultiLineString;
    const code = scanLine(line.text, state).trim();
    if (code !== '' || wasInString) {
      commentOnly = false;
      if (firstCode === '') firstCode = code;
      lastCode = code;
    }
  }
  return { first, last, commentOnly, hasDirective, state: { ...state }, lastCode, firstCode };
}

function continues(previous: Paragraph, next: Paragraph): boolean {
  if (previous.commentOnly) return !previous.hasDirective;
  if (previous.state.inMultiLineString || previous.state.depth > 0) return true;
  if (next.commentOnly) return false;
  return previous.lastCode.endsWith(';') || CONTINUES_AFTER.test(previous.lastCode) || CONTINUES_BEFORE.test(next.firstCode);
}

export function splitBlocks(text: string): Block[] {
  const lines = splitLines(text);
  const blocks: Block[] = [];
  let current: { first: Paragraph; last: Paragraph; maxDepth: number; commentOnly: boolean } | undefined;
  const state: ScanState = { depth: 0, maxDepth: 0, inMultiLineString: false };

  const flush = (): void => {
    if (!current) return;
    const start = lines[current.first.first].start;
    const end = lines[current.last.last].end;
    blocks.push({
      start,
      end,
      text: text.slice(start, end),
      startLine: current.first.first,
      endLine: current.last.last,
      maxDepth: current.maxDepth,
      commentOnly: current.commentOnly,
    });
    current = undefined;
  };

  let index = 0;
  while (index < lines.length) {
    if (isBlank(lines[index])) {
      index++;
      continue;
    }
    // Nesting is measured per paragraph; an open bracket carries over only into a paragraph
    // that continues the same block.
    state.maxDepth = state.depth;
    const paragraph = readParagraph(lines, index, state);
    if (current && continues(current.last, paragraph)) {
      current.last = paragraph;
      current.commentOnly &&= paragraph.commentOnly;
    } else {
      flush();
      current = { first: paragraph, last: paragraph, maxDepth: 0, commentOnly: paragraph.commentOnly };
    }
    current.maxDepth = Math.max(current.maxDepth, state.maxDepth);
    index = paragraph.last + 1;
  }
  flush();
  return blocks;
}
