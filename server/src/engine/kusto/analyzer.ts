import { Catalog } from '../schema/catalog';
import { chooseEnvironment, EnvironmentChoice } from '../schema/environment';
import { Environment, ENVIRONMENT_LABELS } from '../schema/types';
import { closestName } from '../util/similarity';
import { BlockGlobals, BlockGlobalsFactory, BlockNames } from './blockGlobals';
import { checkFunctions, resolveFunction } from './functionChecks';
import { buildGlobals, EnvironmentGlobals } from './globals';
import { columnArgumentStarts } from './invokeArguments';
import { KustoLanguage, KustoObject, loadKusto, toArray } from './loadKusto';
import { summarizeBlock } from './summary';
import { BlockAnalysis, ClassificationKind, ClassifiedSpan, CompletionEntry, CompletionResult, EnvironmentRequest, KustoDiagnostic, QuickInfoResult, REQUESTED_ENVIRONMENT_REASON, SchemaPayload, SchemaResult, Severity } from './types';

const SEVERITIES: Record<string, Severity> = {
  Error: 'error',
  Warning: 'warning',
  Suggestion: 'information',
  Information: 'information',
  Hidden: 'hint',
};

/** Kusto's codes for a name that resolves to nothing: any name, and a table position. */
const UNKNOWN_NAME_CODES = new Set(['KS142', 'KS204']);

interface BlockContext {
  choice: EnvironmentChoice;
  block: BlockGlobals;
}

/**
 * Kusto.Language behind plain-data methods: one instance per worker thread. All methods are
 * synchronous, which is why they run in a worker that the server can terminate.
 */
export class KustoAnalyzer {
  private readonly kusto: KustoLanguage = loadKusto();
  private readonly environments = new Map<Environment, EnvironmentGlobals>();
  private readonly completionKinds: Record<number, string> = enumNames(this.kusto.Editor.CompletionKind);
  private readonly classificationKinds = enumNames(this.kusto.Editor.ClassificationKind) as Record<number, ClassificationKind>;
  private blockGlobals: BlockGlobalsFactory;

  constructor(private catalog: Catalog) {
    this.blockGlobals = new BlockGlobalsFactory(this.kusto, catalog);
  }

  setCatalog(catalog: Catalog): void {
    this.catalog = catalog;
    this.environments.clear();
    this.blockGlobals = new BlockGlobalsFactory(this.kusto, catalog);
  }

  /**
   * Replaces the user's schema. Function parameter lists are resolved by Kusto.Language, and
   * each function is compiled once so that errors in its parameters or body are reported.
   */
  setSchema(schema: SchemaPayload): SchemaResult {
    const problems: SchemaResult['problems'] = [];
    const functions = schema.functions.map((definition) => resolveFunction(this.kusto, definition, problems)).filter((definition) => definition !== undefined);
    this.setCatalog(Catalog.builtIn({ tables: schema.tables, functions, watchlists: schema.watchlists }));
    problems.push(...checkFunctions(this.kusto, functions, (environment) => this.environmentGlobals(environment).globals));
    return { functions, problems };
  }

  private environmentGlobals(environment: Environment): EnvironmentGlobals {
    let globals = this.environments.get(environment);
    if (!globals) {
      globals = buildGlobals(this.kusto, this.catalog, environment);
      this.environments.set(environment, globals);
    }
    return globals;
  }

  /** Builds both environments' symbol tables now, so the first request does not pay for it. */
  warmUp(): void {
    this.analyze('DeviceNetworkEvents | where Timestamp > ago(1h) | take 1', 'auto');
    this.analyze('CommonSecurityLog | take 1', 'sentinel');
  }

  /**
   * Collects the identifiers and string values of a block from Kusto's lexer. The environment
   * choice and the open-schema columns need no syntax tree, and lexing costs a fraction of a parse.
   */
  private blockNames(text: string): BlockNames {
    const names: BlockNames = { identifiers: new Set(), strings: new Set() };
    const syntaxKind = this.kusto.Syntax.SyntaxKind;
    for (const token of this.kusto.Parsing.TokenParser.ParseTokens(text) ?? []) {
      if (token.Kind === syntaxKind.IdentifierToken) names.identifiers.add(token.Text);
      else if (token.Kind === syntaxKind.StringLiteralToken) {
        const value = plainStringValue(token.Text);
        if (value !== undefined) names.strings.add(value);
      }
    }
    return names;
  }

  private context(text: string, request: EnvironmentRequest): BlockContext {
    const names = this.blockNames(text);
    const choice = request === 'auto' ? chooseEnvironment(names.identifiers, this.catalog) : { environment: request, reason: REQUESTED_ENVIRONMENT_REASON };
    return { choice, block: this.blockGlobals.derive(this.environmentGlobals(choice.environment), names) };
  }

  analyze(text: string, request: EnvironmentRequest): BlockAnalysis {
    const { choice, block } = this.context(text, request);
    const code = this.kusto.KustoCode.ParseAndAnalyze(text, block.globals);
    const summary = summarizeBlock(this.kusto, block.globals, code, text, {
      unknownCustomTables: block.unknownCustomTables,
      isCatalogFunction: (name) => this.catalog.function(name, choice.environment) !== undefined,
    });
    // Only an unknown name (KS142) can be an `invoke` column argument, so most blocks skip this walk.
    let columnArguments: Set<number> | undefined;

    const diagnostics: KustoDiagnostic[] = [];
    for (const diagnostic of toArray(code.GetDiagnostics())) {
      if (diagnostic.Code === 'KS142') {
        columnArguments ??= columnArgumentStarts(this.kusto, code.Syntax, this.catalog, choice.environment);
        if (columnArguments.has(diagnostic.Start)) continue;
      }
      const converted: KustoDiagnostic = {
        code: diagnostic.Code,
        message: diagnostic.Message,
        severity: SEVERITIES[diagnostic.Severity] ?? 'error',
        start: diagnostic.Start,
        end: diagnostic.Start + diagnostic.Length,
      };
      if (converted.code === 'KS204') converted.message += this.otherEnvironmentNote(text.slice(converted.start, converted.end), choice.environment);
      if (UNKNOWN_NAME_CODES.has(converted.code)) {
        const suggestion = this.suggestName(code, text.slice(converted.start, converted.end), converted, choice.environment);
        if (suggestion) {
          converted.suggestion = suggestion;
          converted.message += ` Did you mean '${suggestion}'?`;
        }
      }
      diagnostics.push(converted);
    }
    return { environment: choice.environment, environmentReason: choice.reason, diagnostics, summary };
  }

  /** Says where a table unknown in this environment does exist, so the fix is the environment. */
  private otherEnvironmentNote(name: string, environment: Environment): string {
    const elsewhere = this.catalog.environmentsOf(name).filter((candidate) => candidate !== environment);
    if (elsewhere.length === 0) return '';
    return ` ${name} exists only in ${ENVIRONMENT_LABELS[elsewhere[0]]}, and this block runs in ${ENVIRONMENT_LABELS[environment]}; choose the environment with the kqlHunt.environment setting, --environment, or a \`// kql-hunt: environment=${elsewhere[0]}\` comment.`;
  }

  /**
   * Suggests a name in scope that an unknown name is likely a typo of. The symbols in scope are
   * what completion would list as names there, at a tenth of the cost of asking for completion.
   */
  private suggestName(code: KustoObject, name: string, diagnostic: KustoDiagnostic, environment: Environment): string | undefined {
    if (!name) return undefined;
    if (diagnostic.code === 'KS204') return closestName(name, this.catalog.tableNames(environment));
    const match = this.kusto.Symbols.SymbolMatch;
    const functions = this.kusto.IncludeFunctionKind;
    const symbols = toArray(code.GetSymbolsInScope(diagnostic.start, match.Column | match.Table | match.Local | match.Function, functions.DatabaseFunctions | functions.LocalFunctions));
    return closestName(name, symbols.map((symbol: KustoObject) => symbol.Name as string));
  }

  complete(text: string, request: EnvironmentRequest, offset: number, maxItems: number): CompletionResult {
    const { block } = this.context(text, request);
    const service = new this.kusto.Editor.KustoCodeService.$ctor1(text, block.globals);
    const info = service.GetCompletionItems(offset);
    const editStart: number = info?.EditStart ?? offset;
    const prefix = text.slice(editStart, offset).toLowerCase();

    const matching: CompletionEntry[] = [];
    let total = 0;
    for (const item of toArray(info?.Items)) {
      const matchText: string = (item.MatchText ?? item.DisplayText ?? '').toLowerCase();
      if (prefix && !matchText.startsWith(prefix) && !matchText.includes(prefix)) continue;
      total++;
      if (matching.length >= maxItems) continue;
      matching.push({
        label: item.DisplayText,
        kind: this.completionKinds[item.Kind] ?? 'Unknown',
        insertText: (item.EditText ?? item.DisplayText).replace(/ $/, ''),
        afterText: item.AfterText ?? '',
        // Prefix matches first, then Kusto's own order.
        sortText: `${matchText.startsWith(prefix) ? 0 : 1}${item.OrderText ?? matchText}`,
      });
    }
    return { editStart, editLength: info?.EditLength ?? 0, items: matching, incomplete: total > matching.length };
  }

  /** Parses and binds a block for the editing features, in the environment analysis would choose. */
  bind(text: string, request: EnvironmentRequest): { code: KustoObject; environment: Environment } {
    const { choice, block } = this.context(text, request);
    return { code: this.kusto.KustoCode.ParseAndAnalyze(text, block.globals), environment: choice.environment };
  }

  /** Kusto.Language's classification of every token of the block, in text order. */
  classify(text: string, request: EnvironmentRequest): ClassifiedSpan[] {
    const { block } = this.context(text, request);
    const service = new this.kusto.Editor.KustoCodeService.$ctor1(text, block.globals);
    const info = service.GetClassifications(0, text.length);
    return toArray(info?.Classifications).map((range: KustoObject) => ({
      kind: this.classificationKinds[range.Kind] ?? 'PlainText',
      start: range.Start,
      end: range.Start + range.Length,
    }));
  }

  quickInfo(text: string, request: EnvironmentRequest, offset: number): QuickInfoResult | null {
    const { block } = this.context(text, request);
    const service = new this.kusto.Editor.KustoCodeService.$ctor1(text, block.globals);
    const info = service.GetQuickInfo(offset);
    const quickText: string | null = info?.Text ?? null;
    return quickText ? { text: quickText } : null;
  }
}

/**
 * Returns the value of a string literal without escapes (`'X_CL'`, `@"X_CL"`), or undefined for one
 * with escapes or quotes inside, which cannot name a table.
 */
function plainStringValue(literal: string): string | undefined {
  const match = /^[hH]?@?(["'])([^"'\\\r\n]*)\1$/.exec(literal);
  return match?.[2];
}

/** Maps the values of a Bridge.NET enum object to their names. */
function enumNames(values: KustoObject): Record<number, string> {
  const names: Record<number, string> = {};
  for (const name of Object.keys(values)) if (typeof values[name] === 'number') names[values[name]] = name;
  return names;
}
