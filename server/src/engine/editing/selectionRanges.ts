import { TextDocument } from 'vscode-languageserver-textdocument';
import { Position, Range, SelectionRange } from 'vscode-languageserver-types';
import { HuntEngine } from '../engine';
import { TextSpan } from '../kusto/types';
import { Settings } from '../settings';
import { huntAt, planHunts, withinLimits } from './hunts';

// Expand selection: name, expression, operator, pipe stage, statement, then the hunt (from its
// header comment) and last its whole block.

function contains(outer: TextSpan, inner: TextSpan): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

function chain(document: TextDocument, spans: TextSpan[], position: Position): SelectionRange {
  let parent: SelectionRange | undefined;
  for (const span of [...spans].reverse()) {
    const range: Range = { start: document.positionAt(span.start), end: document.positionAt(span.end) };
    parent = { range, parent };
  }
  return parent ?? { range: { start: position, end: position } };
}

/** Expand-selection spans inside one block, in the block's text; none when the worker fails. */
async function syntaxSpans(engine: HuntEngine, uri: string, text: string, offset: number): Promise<TextSpan[]> {
  try {
    const [spans] = await engine.worker.request<TextSpan[][]>({ method: 'selectionRanges', text, offsets: [offset] }, { priority: 'interactive' });
    return spans;
  } catch (error) {
    engine.logger.warn(`Selection ranges in ${uri} failed: ${(error as Error).message}`);
    return [];
  }
}

export async function selectionRanges(engine: HuntEngine, document: TextDocument, positions: Position[], settings: Settings): Promise<SelectionRange[]> {
  const hunts = planHunts(engine, document, settings);
  return Promise.all(
    positions.map(async (position) => {
      const offset = document.offsetAt(position);
      const hunt = huntAt(hunts, offset);
      if (!hunt) return chain(document, [], position);
      const block = hunt.plan.block;

      const inner = withinLimits(block, settings) ? await syntaxSpans(engine, document.uri, block.text, offset - block.start) : [];

      const outer = [
        { start: block.start + hunt.start, end: block.end },
        { start: block.start, end: block.end },
      ];
      const spans: TextSpan[] = [];
      const shifted = inner.map((span) => ({ start: block.start + span.start, end: block.start + span.end }));
      for (const span of [...shifted, ...outer]) {
        if (offset < span.start || span.end < offset) continue;
        const last = spans[spans.length - 1];
        if (last && (!contains(span, last) || (span.start === last.start && span.end === last.end))) continue;
        spans.push(span);
      }
      return chain(document, spans, position);
    }),
  );
}
