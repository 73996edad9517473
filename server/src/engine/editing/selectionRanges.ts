import { TextDocument } from 'vscode-languageserver-textdocument';
import { Position, Range, SelectionRange } from 'vscode-languageserver-types';
import { HuntEngine } from '../engine';
import { TextSpan } from '../kusto/types';
import { Settings } from '../settings';
import { documentHunts, huntAt } from './hunts';

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

export async function selectionRanges(engine: HuntEngine, document: TextDocument, positions: Position[], settings: Settings): Promise<SelectionRange[]> {
  const hunts = documentHunts(document.getText(), settings);
  return Promise.all(
    positions.map(async (position) => {
      const offset = document.offsetAt(position);
      const hunt = huntAt(hunts, offset);
      if (!hunt) return chain(document, [], position);
      const block = hunt.plan.block;

      let inner: TextSpan[] = [];
      if (block.text.length <= settings.analysis.maxBlockLength && block.maxDepth <= settings.analysis.maxNestingDepth) {
        const [spans] = await engine.worker.request<TextSpan[][]>({ method: 'selectionRanges', text: block.text, offsets: [offset - block.start] }, { priority: 'interactive' });
        inner = spans.map((span) => ({ start: block.start + span.start, end: block.start + span.end }));
      }

      const outer = [
        { start: block.start + hunt.start, end: block.end },
        { start: block.start, end: block.end },
      ];
      const spans: TextSpan[] = [];
      for (const span of [...inner, ...outer]) {
        if (offset < span.start || span.end < offset) continue;
        const last = spans[spans.length - 1];
        if (last && (!contains(span, last) || (span.start === last.start && span.end === last.end))) continue;
        spans.push(span);
      }
      return chain(document, spans, position);
    }),
  );
}
