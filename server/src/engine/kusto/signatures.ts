import { SignatureEntry, SignatureHelpResult, SignatureParameter } from './editingTypes';
import { KustoObject, toArray } from './loadKusto';
import { SyntaxTree } from './syntax';

// Signature help for any function Kusto.Language binds a call to: built-in scalar and aggregate
// functions, `let` functions of the hunt, and the functions the catalog's database declares.
// Kusto's editor service has no signature-help call, so the call under the cursor is found in
// the syntax tree and described from the function symbol's signatures.

/** Readable names for the parameter type kinds that are not a declared type. */
const TYPE_KIND_LABELS: Record<string, string> = {
  Any: 'any',
  Scalar: 'scalar',
  Tabular: 'table',
  Database: 'database',
  Cluster: 'cluster',
  Integer: 'int',
  RealOrDecimal: 'real',
  StringOrDynamic: 'string | dynamic',
  StringOrArray: 'string | dynamic',
  IntegerOrArray: 'int | dynamic',
  DynamicArray: 'dynamic',
  DynamicBag: 'dynamic',
  Number: 'number',
  NumberOrBool: 'number | bool',
  Summable: 'summable',
  Orderable: 'orderable',
  NotRealOrBool: 'scalar',
  NotDynamic: 'scalar',
  NotBool: 'scalar',
  CommonScalar: 'scalar',
  CommonNumber: 'number',
  CommonSummable: 'summable',
  CommonOrderable: 'orderable',
  CommonScalarOrDynamic: 'scalar',
};

export class SignatureHelper {
  private readonly typeKinds: Record<number, string> = {};

  constructor(private readonly syntax: SyntaxTree) {
    const kinds = syntax.kusto.Symbols.ParameterTypeKind;
    for (const name of Object.keys(kinds)) if (typeof kinds[name] === 'number') this.typeKinds[kinds[name]] = name;
  }

  signatureHelp(code: KustoObject, text: string, offset: number): SignatureHelpResult | null {
    const call = this.callAt(code.Syntax, text, offset);
    const symbol = call?.ReferencedSymbol;
    if (!call || !symbol?.Signatures) return null;
    const signatures = toArray(symbol.Signatures).filter((signature: KustoObject) => !signature.IsHidden);
    if (signatures.length === 0) return null;

    const argumentIndex = this.argumentIndex(call, offset);
    const bound = signatures.indexOf(call.ReferencedSignature);
    const fitting = signatures.findIndex((signature: KustoObject) => signature.MaxArgumentCount > argumentIndex);
    const activeSignature = bound >= 0 ? bound : Math.max(fitting, 0);
    const name = this.syntax.simpleName(call.Name) || symbol.Name;
    return {
      signatures: signatures.map((signature: KustoObject) => this.describe(name, symbol, signature)),
      activeSignature,
      activeParameter: parameterFor(signatures[activeSignature], argumentIndex),
    };
  }

  /** The innermost call whose argument list holds the offset, including one whose `)` is not typed yet. */
  private callAt(root: KustoObject, text: string, offset: number): KustoObject | undefined {
    let best: KustoObject | undefined;
    let bestStart = -1;
    this.syntax.walk(root, (node) => {
      if (this.syntax.kindOf(node) !== 'FunctionCallExpression') return;
      const list = node.ArgumentList;
      if (!list?.OpenParen || list.OpenParen.IsMissing) return;
      const start = list.OpenParen.TextStart + 1;
      const end = list.CloseParen && !list.CloseParen.IsMissing ? list.CloseParen.TextStart : this.openListEnd(node, text);
      if (start <= offset && offset <= end && start > bestStart) {
        best = node;
        bestStart = start;
      }
    });
    return best;
  }

  /** Where an unclosed argument list ends: at the next token after the call, or the end of the text. */
  private openListEnd(call: KustoObject, text: string): number {
    const next = call.GetLastToken(true)?.GetNextToken(false);
    return next && next.Width > 0 ? next.TextStart : text.length;
  }

  private argumentIndex(call: KustoObject, offset: number): number {
    let index = 0;
    for (const element of toArray(call.ArgumentList.Expressions)) {
      const separator = element.Separator;
      if (separator && !separator.IsMissing && separator.TextStart < offset) index++;
    }
    return index;
  }

  private describe(name: string, symbol: KustoObject, signature: KustoObject): SignatureEntry {
    const parameters: SignatureParameter[] = [];
    let label = `${name}(`;
    const all = toArray(signature.Parameters);
    all.forEach((parameter: KustoObject, index: number) => {
      if (index > 0) label += ', ';
      const part = this.parameterText(parameter);
      const entry: SignatureParameter = { label: [label.length, label.length + part.length] };
      if (parameter.Description) entry.documentation = parameter.Description;
      parameters.push(entry);
      label += part;
      if (parameter.IsRepeatable && index === all.length - 1) label += ', ...';
    });

    const returnType = this.returnTypeOf(signature);
    label += returnType ? `): ${returnType}` : ')';
    const entry: SignatureEntry = { label, parameters };
    if (symbol.Description) entry.documentation = symbol.Description;
    return entry;
  }

  /** `name: type`, with its default value, in brackets when the parameter is optional. */
  private parameterText(parameter: KustoObject): string {
    let text = `${parameter.Name}: ${this.typeOf(parameter)}`;
    const defaultText = parameter.DefaultValue?.ToString?.();
    if (typeof defaultText === 'string' && defaultText.trim() !== '') text += ` = ${defaultText.trim()}`;
    return parameter.IsOptional ? `[${text}]` : text;
  }

  private typeOf(parameter: KustoObject): string {
    const declared = toArray(parameter.DeclaredTypes).map((type: KustoObject) => type.Name as string);
    if (declared.length > 0) return declared.join(' | ');
    return TYPE_KIND_LABELS[this.typeKinds[parameter.TypeKind]] ?? 'any';
  }

  private returnTypeOf(signature: KustoObject): string | undefined {
    if (signature.IsTabular) return 'table';
    const declared = signature.DeclaredReturnType;
    return declared?.Name && declared.Name !== 'unknown' ? declared.Name : undefined;
  }
}

/** The parameter an argument position maps to; arguments past the end repeat the repeatable tail. */
function parameterFor(signature: KustoObject, argumentIndex: number): number {
  const parameters = toArray(signature.Parameters);
  if (argumentIndex < parameters.length) return argumentIndex;
  const firstRepeatable = parameters.findIndex((parameter: KustoObject) => parameter.IsRepeatable);
  if (firstRepeatable === -1) return Math.max(parameters.length - 1, 0);
  const groupSize = parameters.length - firstRepeatable;
  return firstRepeatable + ((argumentIndex - firstRepeatable) % groupSize);
}
