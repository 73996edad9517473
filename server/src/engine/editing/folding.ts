import { TextDocument } from 'vscode-languageserver-textdocument';
import { FoldingRange, FoldingRangeKind } from 'vscode-languageserver-types';
import { splitLines } from '../blocks';
import { HuntEngine } from '../engine';
import { Settings } from '../settings';
import { planHunts } from './hunts';
import { blockStructure } from './structure';

/** Closing punctuation and a comment, which may follow a folded span on its last line. */
const ONLY_CLOSING = /^[\s;,)\]}]*(\/\/.*)?$/;

// Folding ranges: each hunt (folded to its name line), each pipe stage, `let` statement or
// bracketed body that spans lines, and each run of two or more comment lines.

export async function foldingRanges(engine: HuntEngine, document: TextDocument, settings: Settings): Promise<FoldingRange[]> {
  const text = document.getText();
  const lines = splitLines(text);
  const hunts = planHunts(engine, document, settings);
  const structures = await Promise.all(hunts.map((hunt) => blockStructure(engine, hunt.plan.block, settings)));

  const ranges: FoldingRange[] = [];
  hunts.forEach((hunt, index) => {
    const block = hunt.plan.block;
    ranges.push({ startLine: document.positionAt(block.start + hunt.start).line, endLine: block.endLine });
    for (const fold of structures[index].folds) {
      const start = document.positionAt(block.start + fold.start);
      const end = document.positionAt(block.start + fold.end);
      // Folding hides whole lines; keep visible a last line on which more code follows the span.
      const rest = lines[end.line].text.slice(end.character);
      const endLine = ONLY_CLOSING.test(rest) ? end.line : end.line - 1;
      ranges.push({ startLine: start.line, endLine });
    }
  });
  ranges.push(...commentRuns(lines.map((line) => line.text)));
  return outermostPerLine(ranges);
}

function commentRuns(lines: string[]): FoldingRange[] {
  const runs: FoldingRange[] = [];
  let first = -1;
  for (let index = 0; index <= lines.length; index++) {
    const isComment = index < lines.length && lines[index].trimStart().startsWith('//');
    if (isComment && first === -1) first = index;
    if (isComment || first === -1) continue;
    if (index - 1 > first) runs.push({ startLine: first, endLine: index - 1, kind: FoldingRangeKind.Comment });
    first = -1;
  }
  return runs;
}

/** Editors keep one range per start line; keep the one that hides the most. */
function outermostPerLine(ranges: FoldingRange[]): FoldingRange[] {
  const byStart = new Map<number, FoldingRange>();
  for (const range of ranges) {
    if (range.endLine <= range.startLine) continue;
    const existing = byStart.get(range.startLine);
    if (!existing || range.endLine > existing.endLine) byStart.set(range.startLine, range);
  }
  return [...byStart.values()].sort((a, b) => a.startLine - b.startLine);
}
