import MarkdownIt from 'markdown-it';
import { lineRegion } from './lineRegion';
import { OffsetMap, SourceUnit } from './offsetMap';
import { EmbeddedSource, KqlRegion, SourceProblem } from './types';

// KQL in Markdown: fenced code blocks whose info string starts with `kql` or `kusto` (any case).
// markdown-it finds the fences and their line ranges; the fence body's lines are the document's
// lines with the container prefix (list indentation, `> `) removed.

const KQL_LANGUAGES = new Set(['kql', 'kusto']);

const markdown = new MarkdownIt();

interface Line {
  start: number;
  /** Offset of the line end, before its line break. */
  end: number;
}

function documentLines(text: string): Line[] {
  const lines: Line[] = [];
  const pattern = /\r\n|\n|\r/g;
  let start = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text))) {
    lines.push({ start, end: match.index });
    start = match.index + match[0].length;
  }
  lines.push({ start, end: text.length });
  return lines;
}

export function isKqlFence(info: string): boolean {
  const language = info.trim().split(/[\s{]/, 1)[0].toLowerCase();
  return KQL_LANGUAGES.has(language);
}

/**
 * Units of a fence body: each content line is the end of its document line, so whatever
 * precedes it there (indentation, `> `) is the container's prefix and produces nothing.
 */
function fenceUnits(text: string, lines: Line[], firstLine: number, content: string): SourceUnit[] | undefined {
  const contentLines = content.split('\n');
  if (contentLines[contentLines.length - 1] === '') contentLines.pop();
  const units: SourceUnit[] = [];
  for (let index = 0; index < contentLines.length; index++) {
    const line = lines[firstLine + index];
    if (!line) return undefined;
    const contentLine = contentLines[index];
    const prefix = line.end - line.start - contentLine.length;
    if (prefix < 0 || text.slice(line.start + prefix, line.end) !== contentLine) return undefined;
    for (let offset = 0; offset < contentLine.length; offset++) units.push({ kind: 'char', docOffset: line.start + prefix + offset, char: contentLine[offset] });
    const next = lines[firstLine + index + 1];
    units.push({ kind: 'break', docStart: line.end, docEnd: next ? next.start : line.end });
  }
  return units;
}

/** Returns the container prefix of the document line at `offset`: its text before the fence's indentation. */
function linePrefixAt(fenceIndent: string) {
  return (documentText: string, offset: number): string => {
    const lineStart = Math.max(documentText.lastIndexOf('\n', offset - 1) + 1, 0);
    const line = documentText.slice(lineStart, offset);
    const quote = /^(\s*>\s?)+/.exec(line)?.[0] ?? '';
    return quote + fenceIndent;
  };
}

function closesFence(lineText: string, marker: string): boolean {
  const body = lineText.replace(/^(\s*>\s?)*\s*/, '');
  const run = new RegExp(`^\\${marker[0]}{${marker.length},}\\s*$`);
  return run.test(body);
}

export function extractMarkdown(text: string): EmbeddedSource {
  const lines = documentLines(text);
  const regions: KqlRegion[] = [];
  const problems: SourceProblem[] = [];

  for (const token of markdown.parse(text, {})) {
    if (token.type !== 'fence' || !token.map || !isKqlFence(token.info)) continue;
    const [openLine, endLine] = token.map;
    const lastLine = lines[endLine - 1];
    const closed = endLine - 1 > openLine && lastLine !== undefined && closesFence(text.slice(lastLine.start, lastLine.end), token.markup);
    if (!closed) {
      const open = lines[openLine];
      problems.push({
        code: 'markdown-fence-unclosed',
        severity: 'error',
        message: `The ${token.info.trim()} code fence opened on line ${openLine + 1} is never closed, so the rest of the file is read as KQL; close it with a line of ${token.markup}.`,
        start: open.start,
        end: open.end,
      });
    }

    const firstLine = openLine + 1;
    const bodyEnd = closed ? endLine - 1 : endLine;
    const docStart = lines[firstLine]?.start ?? lines[openLine].end;
    const docEnd = bodyEnd > firstLine ? lines[bodyEnd - 1].end : docStart;
    const units = fenceUnits(text, lines, firstLine, token.content);
    const map = (units && OffsetMap.align(units, token.content, docStart, docEnd)) ?? OffsetMap.coarse(docStart, docEnd, token.content.length);
    const openText = text.slice(lines[openLine].start, lines[openLine].end);
    const fenceIndent = /^(?:\s*>\s?)*(\s*)/.exec(openText)![1];
    regions.push(lineRegion({ value: token.content, map, splitBlocks: true, linePrefix: linePrefixAt(fenceIndent) }));
  }
  return { kind: regions.length > 0 || problems.length > 0 ? 'markdown' : 'other', regions, problems };
}
