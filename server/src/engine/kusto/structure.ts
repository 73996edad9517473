import { BlockStructure, LetDeclaration } from './editingTypes';
import { KustoObject, toArray } from './loadKusto';
import { SyntaxTree } from './syntax';
import { TextSpan } from './types';

// The outline facts of a block from its syntax alone (no catalog, no binding), so that outline,
// folding and workspace symbols stay cheap even for files that are not open.

/** Nodes worth folding when they span lines, besides pipe stages. */
const FOLDABLE_KINDS = new Set(['LetStatement', 'FunctionBody', 'ParenthesizedExpression', 'ExpressionList', 'JsonArrayExpression', 'JsonObjectExpression']);

/** How many `let` names are followed to find the table a query starts from (`let a = T; a | ...`). */
const MAX_SOURCE_HOPS = 5;

export function blockStructure(syntax: SyntaxTree, text: string): BlockStructure {
  const root = syntax.kusto.KustoCode.Parse(text).Syntax;
  const lets = collectLets(syntax, root);
  return { lets, source: findSource(syntax, root, lets), folds: collectFolds(syntax, root, text) };
}

function collectLets(syntax: SyntaxTree, node: KustoObject): LetDeclaration[] {
  const found: LetDeclaration[] = [];
  for (const child of syntax.children(node)) {
    if (child.IsToken) continue;
    if (syntax.kindOf(child) !== 'LetStatement') {
      found.push(...collectLets(syntax, child));
      continue;
    }
    const value = child.Expression;
    found.push({
      name: syntax.simpleName(child.Name),
      nameSpan: syntax.span(child.Name),
      kind: value && syntax.kindOf(value) === 'FunctionDeclaration' ? 'function' : 'value',
      children: value ? collectLets(syntax, value) : [],
      ...syntax.span(child),
    });
  }
  return found;
}

/** The statements of the block's query, skipping the separators. */
function statements(root: KustoObject): KustoObject[] {
  return toArray(root.Statements ?? []).map((element: KustoObject) => element.Element ?? element);
}

function findSource(syntax: SyntaxTree, root: KustoObject, lets: LetDeclaration[]): BlockStructure['source'] {
  const all = statements(root);
  const query = [...all].reverse().find((statement) => syntax.kindOf(statement) === 'ExpressionStatement');
  if (!query?.Expression) return null;

  const letValues = new Map<string, KustoObject>();
  for (const statement of all) {
    if (syntax.kindOf(statement) === 'LetStatement' && statement.Expression) letValues.set(syntax.simpleName(statement.Name), statement.Expression);
  }

  let source = leftmostName(syntax, query.Expression);
  for (let hop = 0; source && hop < MAX_SOURCE_HOPS; hop++) {
    const name = syntax.simpleName(source);
    const value = letValues.get(name);
    const next = value && lets.some((declaration) => declaration.name === name && declaration.kind === 'value') ? leftmostName(syntax, value) : undefined;
    if (!next) break;
    source = next;
  }
  return source ? { name: syntax.simpleName(source), ...syntax.span(source) } : null;
}

/** The name a query expression starts from: the left end of its pipes, or the first name inside. */
function leftmostName(syntax: SyntaxTree, expression: KustoObject): KustoObject | undefined {
  let node = expression;
  while (node && (syntax.kindOf(node) === 'PipeExpression' || syntax.kindOf(node) === 'ParenthesizedExpression')) node = node.Expression;
  if (!node) return undefined;
  if (syntax.kindOf(node) === 'NameReference') return node;
  if (syntax.kindOf(node) === 'FunctionCallExpression') return node.Name;

  let first: KustoObject | undefined;
  syntax.walk(node, (candidate) => {
    if (!first && syntax.kindOf(candidate) === 'NameReference') first = candidate;
  });
  return first;
}

function collectFolds(syntax: SyntaxTree, root: KustoObject, text: string): TextSpan[] {
  const folds: TextSpan[] = [];
  syntax.walk(root, (node) => {
    const kind = syntax.kindOf(node);
    let span: TextSpan | undefined;
    if (kind === 'PipeExpression' && node.Operator) {
      // A pipe stage runs from its bar to the end of its operator.
      span = { start: node.Bar.TextStart, end: node.Operator.TextStart + node.Operator.Width };
    } else if (FOLDABLE_KINDS.has(kind)) {
      span = syntax.span(node);
    }
    if (span && SyntaxTree.spansLines(text, span)) folds.push(span);
  });
  return folds;
}
