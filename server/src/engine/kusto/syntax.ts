import { KustoLanguage, KustoObject } from './loadKusto';
import { TextSpan } from './types';

// Small helpers over Kusto.Language's syntax tree, shared by the editing features. Spans leave
// out a node's leading trivia (whitespace and comments), as Kusto's TextStart and Width do.

/** Node kinds that make up a name: `x`, `['x y']`, and the declaration or reference around them. */
const NAME_PARTS = new Set(['TokenName', 'BracketedName', 'StringLiteralExpression', 'NameDeclaration', 'NameReference']);

export class SyntaxTree {
  private readonly kinds: Record<number, string> = {};

  constructor(readonly kusto: KustoLanguage) {
    const syntaxKind = kusto.Syntax.SyntaxKind;
    for (const name of Object.keys(syntaxKind)) {
      if (typeof syntaxKind[name] === 'number') this.kinds[syntaxKind[name]] = name;
    }
  }

  kindOf(node: KustoObject): string {
    return this.kinds[node.Kind] ?? '';
  }

  span(node: KustoObject): TextSpan {
    return { start: node.TextStart, end: node.TextStart + node.Width };
  }

  children(node: KustoObject): KustoObject[] {
    const result: KustoObject[] = [];
    for (let i = 0; i < node.ChildCount; i++) {
      const child = node.GetChild(i);
      if (child) result.push(child);
    }
    return result;
  }

  /** Calls `visit` on every node (not token) under `root`, parents first. */
  walk(root: KustoObject, visit: (node: KustoObject) => void): void {
    if (root.IsToken) return;
    visit(root);
    for (const child of this.children(root)) this.walk(child, visit);
  }

  /** The tokens touching `offset`: the one at it and, when the cursor sits just after a token, that one too. */
  tokensAt(root: KustoObject, offset: number): KustoObject[] {
    const tokens: KustoObject[] = [];
    const at = root.GetTokenAt(offset);
    if (at && at.TextStart <= offset && offset < at.TextStart + at.Width) tokens.push(at);
    const before = offset > 0 ? root.GetTokenAt(offset - 1) : undefined;
    if (before && before !== at && before.TextStart + before.Width === offset) tokens.push(before);
    return tokens;
  }

  /** The outermost name node (declaration, reference or a called function's name) touching `offset`. */
  nameAt(root: KustoObject, offset: number): KustoObject | undefined {
    for (const token of this.tokensAt(root, offset)) {
      let node = token.Parent;
      let name: KustoObject | undefined;
      while (node && NAME_PARTS.has(this.kindOf(node))) {
        if (this.kindOf(node) !== 'StringLiteralExpression') name = node;
        node = node.Parent;
      }
      if (name) return name;
    }
    return undefined;
  }

  /** The name a name node spells, without brackets or quotes. */
  simpleName(node: KustoObject): string {
    return node.SimpleName ?? node.Name?.SimpleName ?? '';
  }

  /** True when the text contains a line break inside the span. */
  static spansLines(text: string, span: TextSpan): boolean {
    return /[\r\n]/.test(text.slice(span.start, span.end));
  }
}
