import { splitLines } from './blocks';
import { QueryShape } from './kusto/types';

export interface BlockInsertion {
  /** Offset in the block's text. */
  offset: number;
  text: string;
}

const FILTER_OPERATORS = new Set(['where', 'filter']);

function leadingWhitespace(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/**
 * Where `| where ...` lines that read `columns` go in a block's query: after the last `where`
 * that comes before the first operator dropping one of those columns (project, summarize, ...),
 * or just before that operator when no `where` precedes it. The lines are indented like the
 * pipe lines around them; in a one-line query they are inserted inline.
 */
export function planFilterInsertion(blockText: string, query: QueryShape, columns: readonly string[], filterLines: readonly string[]): BlockInsertion {
  const stages = query.stages;
  const firstDrop = stages.findIndex((stage) => stage.columns !== null && columns.some((column) => !stage.columns!.includes(column)));
  const before = firstDrop === -1 ? stages : stages.slice(0, firstDrop);

  let lastFilter = -1;
  before.forEach((stage, index) => {
    if (FILTER_OPERATORS.has(stage.operator)) lastFilter = index;
  });
  const anchorIndex = lastFilter !== -1 ? lastFilter : firstDrop === -1 ? stages.length - 1 : firstDrop - 1;
  const anchorEnd = anchorIndex >= 0 ? stages[anchorIndex].end : query.source.end;
  const pipeStart = stages.length > 0 ? stages[Math.max(anchorIndex, 0)].start : query.source.start;

  const line = splitLines(blockText).find((candidate) => candidate.start <= anchorEnd && anchorEnd <= candidate.end)!;
  const rest = blockText.slice(anchorEnd, line.end);
  const restIsComment = rest.trim() === '' || rest.trim().startsWith('//');
  if (!restIsComment) return { offset: anchorEnd, text: filterLines.map((filter) => ` ${filter}`).join('') };

  const indent = leadingWhitespace(blockText, pipeStart);
  const lineBreak = blockText.includes('\r\n') ? '\r\n' : '\n';
  return { offset: line.end, text: filterLines.map((filter) => `${lineBreak}${indent}${filter}`).join('') };
}
