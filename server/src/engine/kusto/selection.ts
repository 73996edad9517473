import { KustoObject } from './loadKusto';
import { SyntaxTree } from './syntax';
import { TextSpan } from './types';

// Expand-selection steps from the syntax tree: the name under the cursor, the expressions around
// it, its operator, its pipe stage (`| operator ...`), then its whole statement. The caller adds
// the hunt around that.

/** Nodes that only wrap their child without adding a step a user would select. */
const SKIPPED_KINDS = new Set(['TokenName', 'List', 'SeparatedElement', 'QueryBlock']);

export function selectionSpans(syntax: SyntaxTree, text: string, offsets: readonly number[]): TextSpan[][] {
  const root = syntax.kusto.KustoCode.Parse(text).Syntax;
  return offsets.map((offset) => spansAt(syntax, root, offset));
}

function spansAt(syntax: SyntaxTree, root: KustoObject, offset: number): TextSpan[] {
  const token = preferredToken(syntax, root, offset);
  if (!token) return [];
  const spans: TextSpan[] = [];
  const add = (span: TextSpan): void => {
    const last = spans[spans.length - 1];
    if (last && last.start === span.start && last.end === span.end) return;
    if (last && (span.start > last.start || span.end < last.end)) return;
    spans.push(span);
  };

  if (token.Width > 0) add(syntax.span(token));
  let child = token;
  for (let node = token.Parent; node; child = node, node = node.Parent) {
    const kind = syntax.kindOf(node);
    if (kind === 'PipeExpression') {
      if (node.Operator === child) add({ start: node.Bar.TextStart, end: child.TextStart + child.Width });
      // A pipeline is selected whole, not one prefix of it at a time.
      if (node.Parent && syntax.kindOf(node.Parent) === 'PipeExpression') continue;
    }
    if (SKIPPED_KINDS.has(kind) || node.Width === 0) continue;
    add(syntax.span(node));
  }
  return spans;
}

/** The token under the cursor; a cursor just after a word selects that word, not the space after it. */
function preferredToken(syntax: SyntaxTree, root: KustoObject, offset: number): KustoObject | undefined {
  const tokens = syntax.tokensAt(root, offset);
  const word = tokens.find((token) => /^[A-Za-z_\d[]/.test(token.Text ?? ''));
  return word ?? tokens[0];
}
