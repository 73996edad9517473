import { syntaxKindNames } from './invokeArguments';
import { KustoLanguage, KustoObject, toArray } from './loadKusto';
import { BlockSummary, ListLiteral, PipeStage, PredicateTest, QueryShape, StringLiteral } from './types';

/** Facts the summary needs beyond the syntax tree. */
export interface SummaryOptions {
  /** `_CL` tables analysed as open stand-ins because no catalog has them. */
  unknownCustomTables: ReadonlySet<string>;
  /** Whether a function name is one of the catalog's functions (built-in or the user's). */
  isCatalogFunction: (name: string) => boolean;
}

const TIME_COLUMN_NAMES = new Set(['TimeGenerated', 'Timestamp']);

// Reduces an analysed block's syntax tree to the plain facts the rules need, so that rules run
// outside the worker and never touch Kusto.Language objects.

const LIST_KINDS: Record<string, ListLiteral['kind']> = {
  InExpression: 'in',
  InCsExpression: 'in',
  NotInExpression: 'in',
  NotInCsExpression: 'in',
  HasAnyExpression: 'has_any',
  HasAllExpression: 'has_all',
};

/** Operators whose own meaning is negative (`!has`, `!in~`, `!=`, `!~`, `!contains`, ...). */
function isNegativeOperator(operatorText: string): boolean {
  return operatorText.startsWith('!');
}

class SummaryBuilder {
  private readonly kinds: Record<number, string>;
  private readonly summary: BlockSummary = {
    tables: [],
    strings: [],
    lists: [],
    tests: [],
    lets: [],
    query: null,
    outputColumns: null,
    columnsReferenced: [],
    timeColumns: [],
    functions: [],
  };
  private readonly columnsReferenced = new Set<string>();
  private readonly letLists = new Map<string, string[]>();
  private readonly letNumbers = new Map<string, number[]>();
  private readonly declaredTimeColumns = new Set<string>();

  constructor(
    private readonly kusto: KustoLanguage,
    private readonly globals: KustoObject,
    private readonly text: string,
    private readonly options: SummaryOptions,
  ) {
    this.kinds = syntaxKindNames(kusto);
  }

  build(root: KustoObject): BlockSummary {
    this.visit(root, undefined);
    this.collectTests(root);
    this.summary.query = this.queryShape(root);
    this.summary.outputColumns = this.summary.query ? this.lastColumns(this.summary.query) : null;
    this.summary.columnsReferenced = [...this.columnsReferenced];
    for (const reference of this.summary.timeColumns) reference.declaredInBlock = this.declaredTimeColumns.has(reference.name);
    return this.summary;
  }

  private kindOf(node: KustoObject): string {
    return this.kinds[node.Kind] ?? '';
  }

  private span(node: KustoObject): { start: number; end: number } {
    return { start: node.TextStart, end: node.TextStart + node.Width };
  }

  private children(node: KustoObject): KustoObject[] {
    const result: KustoObject[] = [];
    for (let i = 0; i < node.ChildCount; i++) {
      const child = node.GetChild(i);
      if (child) result.push(child);
    }
    return result;
  }

  private visit(node: KustoObject, parent: KustoObject | undefined): void {
    if (node.IsToken) return;
    const kind = this.kindOf(node);

    if (kind === 'NameReference') this.recordName(node);
    else if (kind === 'NameDeclaration' && TIME_COLUMN_NAMES.has(node.SimpleName)) this.declaredTimeColumns.add(node.SimpleName);
    else if (kind === 'StringLiteralExpression' || kind === 'CompoundStringLiteralExpression') this.summary.strings.push(this.stringLiteral(node));
    else if (kind === 'DynamicExpression') this.recordDynamicList(node, parent);
    else if (LIST_KINDS[kind]) this.recordOperatorList(node, LIST_KINDS[kind]);
    else if (kind === 'LetStatement') this.recordLet(node);
    else if (kind === 'FunctionCallExpression' && node.Name?.SimpleName === 'table') this.recordTableCall(node);

    for (const child of this.children(node)) this.visit(child, node);
  }

  private recordName(node: KustoObject): void {
    const symbol = node.ReferencedSymbol;
    const name: string = node.SimpleName ?? '';
    if (TIME_COLUMN_NAMES.has(name)) this.summary.timeColumns.push({ name, resolved: Boolean(symbol), declaredInBlock: false, ...this.span(node) });
    if (!symbol) return;
    const symbols = this.kusto.Symbols;
    const Bridge = (globalThis as KustoObject).Bridge;
    if (Bridge.is(symbol, symbols.ColumnSymbol)) {
      this.columnsReferenced.add(symbol.Name);
    } else if (Bridge.is(symbol, symbols.TableSymbol) && this.globals.Database?.GetTable(symbol.Name)) {
      const unknownCustom = this.options.unknownCustomTables.has(symbol.Name) ? { unknownCustom: true } : {};
      this.summary.tables.push({ name: symbol.Name, ...this.span(node), ...unknownCustom });
    } else if (Bridge.is(symbol, symbols.FunctionSymbol) && this.options.isCatalogFunction(symbol.Name)) {
      this.summary.functions.push({ name: symbol.Name, ...this.span(node), firstStringArgument: this.firstStringArgument(node) });
    }
  }

  /** Records `table("X_CL")` when X_CL is an unknown custom table, so that it is reported like a name. */
  private recordTableCall(call: KustoObject): void {
    const first = this.separatedExpressions(call.ArgumentList?.Expressions)[0];
    const name = first?.LiteralValue;
    if (typeof name !== 'string' || !this.options.unknownCustomTables.has(name)) return;
    this.summary.tables.push({ name, ...this.span(first), unknownCustom: true });
  }

  /** The first argument of the call whose name `node` is, when it is a string literal. */
  private firstStringArgument(node: KustoObject): string | undefined {
    const call = node.Parent;
    if (!call || this.kindOf(call) !== 'FunctionCallExpression') return undefined;
    const first = this.separatedExpressions(call.ArgumentList?.Expressions)[0];
    const value = first?.LiteralValue;
    return typeof value === 'string' ? value : undefined;
  }

  private stringLiteral(node: KustoObject): StringLiteral {
    const span = this.span(node);
    const value = node.LiteralValue;
    return { value: typeof value === 'string' ? value : '', raw: this.text.slice(span.start, span.end), ...span };
  }

  private stringItems(expressions: KustoObject[]): StringLiteral[] {
    return expressions
      .filter((expression) => this.kindOf(expression) === 'StringLiteralExpression' || this.kindOf(expression) === 'CompoundStringLiteralExpression')
      .map((expression) => this.stringLiteral(expression));
  }

  /** The expressions of a separated list (`a, b, c`), skipping the commas. */
  private separatedExpressions(list: KustoObject): KustoObject[] {
    return toArray(list).map((element: KustoObject) => element.Element ?? element);
  }

  private recordDynamicList(node: KustoObject, parent: KustoObject | undefined): void {
    const array = node.Expression;
    if (!array || this.kindOf(array) !== 'JsonArrayExpression') return;
    const items = this.stringItems(this.separatedExpressions(array.Values));
    const letName = parent && this.kindOf(parent) === 'LetStatement' ? parent.Name?.SimpleName : undefined;
    const inner = { start: array.OpenBracket.TextStart + 1, end: array.CloseBracket.TextStart };
    this.summary.lists.push({ kind: 'dynamic', items, letName, inner, ...this.span(node) });
    if (letName) {
      this.letLists.set(letName, items.map((item) => item.value));
      const numbers = this.separatedExpressions(array.Values).flatMap((item) => this.operandNumbers(item));
      if (numbers.length > 0) this.letNumbers.set(letName, numbers);
    }
  }

  private recordOperatorList(node: KustoObject, kind: ListLiteral['kind']): void {
    const list = node.Right;
    if (!list?.Expressions) return;
    const items = this.stringItems(this.separatedExpressions(list.Expressions));
    if (items.length === 0) return;
    const inner = { start: list.OpenParen.TextStart + 1, end: list.CloseParen.TextStart };
    this.summary.lists.push({ kind, items, inner, ...this.span(list) });
  }

  private recordLet(node: KustoObject): void {
    const name = node.Name;
    if (!name?.SimpleName) return;
    this.summary.lets.push({ name: name.SimpleName, ...this.span(name) });
  }

  // Every `where` predicate, anywhere in the block (including `let` bodies and subqueries).
  private collectTests(root: KustoObject): void {
    const filters: KustoObject[] = [];
    const find = (node: KustoObject): void => {
      if (node.IsToken) return;
      if (this.kindOf(node) === 'FilterOperator') filters.push(node);
      for (const child of this.children(node)) find(child);
    };
    find(root);
    for (const filter of filters) if (filter.Condition) this.collectPredicate(filter.Condition, false);
  }

  private collectPredicate(node: KustoObject, negated: boolean): void {
    const kind = this.kindOf(node);
    if (kind === 'ParenthesizedExpression') return this.collectPredicate(node.Expression, negated);
    if (kind === 'AndExpression' || kind === 'OrExpression') {
      this.collectPredicate(node.Left, negated);
      this.collectPredicate(node.Right, negated);
      return;
    }
    if (kind === 'FunctionCallExpression') {
      const name: string = node.Name?.SimpleName ?? '';
      const args = this.separatedExpressions(node.ArgumentList?.Expressions);
      if (name === 'not' && args.length === 1) return this.collectPredicate(args[0], !negated);
      this.summary.tests.push(this.test(node, name, negated, args[0], args.slice(1)));
      return;
    }
    if (node.Left && node.Operator && node.Right) {
      const operatorText: string = node.Operator.Text;
      const rightSide = node.Right.Expressions ? this.separatedExpressions(node.Right.Expressions) : [node.Right];
      this.summary.tests.push(this.test(node, operatorText, negated !== isNegativeOperator(operatorText), node.Left, rightSide));
    }
  }

  private test(node: KustoObject, operator: string, negated: boolean, subject: KustoObject, operands: KustoObject[]): PredicateTest {
    const column = subject && this.kindOf(subject) === 'NameReference' ? subject.SimpleName : undefined;
    const values: string[] = [];
    const numbers: number[] = [];
    for (const operand of operands) {
      values.push(...this.operandValues(operand));
      numbers.push(...this.operandNumbers(operand));
    }
    return { column, operator, negated, values, ...(numbers.length > 0 ? { numbers } : {}), ...this.span(node) };
  }

  /** Whole numbers an operand stands for: an int or long literal, or a dynamic array or `let` of them. */
  private operandNumbers(operand: KustoObject): number[] {
    const kind = this.kindOf(operand);
    if (kind === 'IntLiteralExpression' || kind === 'LongLiteralExpression') {
      const value = Number(operand.LiteralValue);
      return Number.isFinite(value) ? [value] : [];
    }
    if (kind === 'DynamicExpression' && operand.Expression && this.kindOf(operand.Expression) === 'JsonArrayExpression') {
      return this.separatedExpressions(operand.Expression.Values).flatMap((item) => this.operandNumbers(item));
    }
    if (kind === 'NameReference') return this.letNumbers.get(operand.SimpleName) ?? [];
    return [];
  }

  /** String values an operand stands for: a literal, a dynamic array, or a `let` bound to one. */
  private operandValues(operand: KustoObject): string[] {
    const kind = this.kindOf(operand);
    if (kind === 'StringLiteralExpression' || kind === 'CompoundStringLiteralExpression') return [this.stringLiteral(operand).value];
    if (kind === 'DynamicExpression' && operand.Expression && this.kindOf(operand.Expression) === 'JsonArrayExpression') {
      return this.stringItems(this.separatedExpressions(operand.Expression.Values)).map((item) => item.value);
    }
    if (kind === 'NameReference') return this.letLists.get(operand.SimpleName) ?? [];
    return [];
  }

  // The pipeline of the block's last query statement, flattened from Kusto's left-nested pipes.
  private queryShape(root: KustoObject): QueryShape | null {
    const statements = toArray(root.Statements ?? []).map((element: KustoObject) => element.Element ?? element);
    const query = [...statements].reverse().find((statement) => this.kindOf(statement) === 'ExpressionStatement');
    if (!query?.Expression) return null;

    const stages: PipeStage[] = [];
    let expression = query.Expression;
    while (this.kindOf(expression) === 'PipeExpression') {
      const operator = expression.Operator;
      const keyword = operator?.GetFirstToken?.()?.Text ?? '';
      stages.unshift({
        operator: keyword,
        start: expression.Bar.TextStart,
        end: operator ? operator.TextStart + operator.Width : expression.Bar.TextStart + 1,
        columns: this.columnsOf(expression.ResultType),
      });
      expression = expression.Expression;
    }
    return { source: { ...this.span(expression), columns: this.columnsOf(expression.ResultType) }, stages };
  }

  private columnsOf(type: KustoObject): string[] | null {
    const Bridge = (globalThis as KustoObject).Bridge;
    if (!type || !Bridge.is(type, this.kusto.Symbols.TableSymbol)) return null;
    return toArray(type.Columns).map((column: KustoObject) => column.Name as string);
  }

  private lastColumns(query: QueryShape): string[] | null {
    return query.stages.length > 0 ? query.stages[query.stages.length - 1].columns : query.source.columns;
  }
}

export function summarizeBlock(kusto: KustoLanguage, globals: KustoObject, code: KustoObject, text: string, options: SummaryOptions): BlockSummary {
  return new SummaryBuilder(kusto, globals, text, options).build(code.Syntax);
}
