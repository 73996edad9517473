import { Catalog } from '../schema/catalog';
import { chooseEnvironment, EnvironmentChoice } from '../schema/environment';
import { Environment } from '../schema/types';
import { closestName } from '../util/similarity';
import { buildGlobals } from './globals';
import { KustoLanguage, KustoObject, loadKusto, toArray } from './loadKusto';
import { summarizeBlock } from './summary';
import { BlockAnalysis, ClassificationKind, ClassifiedSpan, CompletionEntry, CompletionResult, EnvironmentRequest, KustoDiagnostic, QuickInfoResult, Severity } from './types';

const SEVERITIES: Record<string, Severity> = {
  Error: 'error',
  Warning: 'warning',
  Suggestion: 'information',
  Information: 'information',
  Hidden: 'hint',
};

/** Kusto's codes for a name that resolves to nothing: any name, and a table position. */
const UNKNOWN_NAME_CODES = new Set(['KS142', 'KS204']);

/** Completion kinds whose items are names a typo could have meant. */
const NAME_KINDS = new Set(['Column', 'Table', 'Variable', 'Parameter', 'LocalFunction', 'DatabaseFunction']);

/**
 * Kusto.Language behind plain-data methods: one instance per worker thread. All methods are
 * synchronous, which is why they run in a worker that the server can terminate.
 */
export class KustoAnalyzer {
  private readonly kusto: KustoLanguage = loadKusto();
  private readonly globals = new Map<Environment, KustoObject>();
  private readonly completionKinds: Record<number, string> = enumNames(this.kusto.Editor.CompletionKind);
  private readonly classificationKinds = enumNames(this.kusto.Editor.ClassificationKind) as Record<number, ClassificationKind>;

  constructor(private catalog: Catalog) {}

  setCatalog(catalog: Catalog): void {
    this.catalog = catalog;
    this.globals.clear();
  }

  private globalsFor(environment: Environment): KustoObject {
    let globals = this.globals.get(environment);
    if (!globals) {
      globals = buildGlobals(this.kusto, this.catalog, environment);
      this.globals.set(environment, globals);
    }
    return globals;
  }

  /** Builds both environments' symbol tables now, so the first request does not pay for it. */
  warmUp(): void {
    this.analyze('DeviceNetworkEvents | where Timestamp > ago(1h) | take 1', 'auto');
    this.analyze('CommonSecurityLog | take 1', 'sentinel');
  }

  chooseEnvironment(text: string, request: EnvironmentRequest): EnvironmentChoice {
    if (request !== 'auto') return { environment: request, reason: 'setting or directive' };
    const identifiers = new Set<string>();
    const collect = (node: KustoObject): void => {
      if (node.IsToken) {
        if (node.Kind === this.kusto.Syntax.SyntaxKind.IdentifierToken) identifiers.add(node.Text);
        return;
      }
      for (let i = 0; i < node.ChildCount; i++) {
        const child = node.GetChild(i);
        if (child) collect(child);
      }
    };
    collect(this.kusto.KustoCode.Parse(text).Syntax);
    return chooseEnvironment(identifiers, this.catalog);
  }

  analyze(text: string, request: EnvironmentRequest): BlockAnalysis {
    const choice = this.chooseEnvironment(text, request);
    const globals = this.globalsFor(choice.environment);
    const code = this.kusto.KustoCode.ParseAndAnalyze(text, globals);
    const summary = summarizeBlock(this.kusto, globals, code, text);

    const diagnostics: KustoDiagnostic[] = [];
    let service: KustoObject | undefined;
    for (const diagnostic of toArray(code.GetDiagnostics())) {
      const converted: KustoDiagnostic = {
        code: diagnostic.Code,
        message: diagnostic.Message,
        severity: SEVERITIES[diagnostic.Severity] ?? 'error',
        start: diagnostic.Start,
        end: diagnostic.Start + diagnostic.Length,
      };
      if (UNKNOWN_NAME_CODES.has(converted.code)) {
        service ??= new this.kusto.Editor.KustoCodeService.ctor(code);
        const suggestion = this.suggestName(service, text.slice(converted.start, converted.end), converted, choice.environment);
        if (suggestion) {
          converted.suggestion = suggestion;
          converted.message += ` Did you mean '${suggestion}'?`;
        }
      }
      diagnostics.push(converted);
    }
    return { environment: choice.environment, environmentReason: choice.reason, diagnostics, summary };
  }

  private suggestName(service: KustoObject, name: string, diagnostic: KustoDiagnostic, environment: Environment): string | undefined {
    if (!name) return undefined;
    if (diagnostic.code === 'KS204') return closestName(name, this.catalog.tableNames(environment));
    const info = service.GetCompletionItems(diagnostic.start);
    const candidates = toArray(info?.Items)
      .filter((item: KustoObject) => NAME_KINDS.has(this.completionKinds[item.Kind]))
      .map((item: KustoObject) => item.MatchText ?? item.DisplayText);
    return closestName(name, candidates);
  }

  complete(text: string, request: EnvironmentRequest, offset: number, maxItems: number): CompletionResult {
    const { environment } = this.chooseEnvironment(text, request);
    const service = new this.kusto.Editor.KustoCodeService.$ctor1(text, this.globalsFor(environment));
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
    const { environment } = this.chooseEnvironment(text, request);
    return { code: this.kusto.KustoCode.ParseAndAnalyze(text, this.globalsFor(environment)), environment };
  }

  /** Kusto.Language's classification of every token of the block, in text order. */
  classify(text: string, request: EnvironmentRequest): ClassifiedSpan[] {
    const { environment } = this.chooseEnvironment(text, request);
    const service = new this.kusto.Editor.KustoCodeService.$ctor1(text, this.globalsFor(environment));
    const info = service.GetClassifications(0, text.length);
    return toArray(info?.Classifications).map((range: KustoObject) => ({
      kind: this.classificationKinds[range.Kind] ?? 'PlainText',
      start: range.Start,
      end: range.Start + range.Length,
    }));
  }

  quickInfo(text: string, request: EnvironmentRequest, offset: number): QuickInfoResult | null {
    const { environment } = this.chooseEnvironment(text, request);
    const service = new this.kusto.Editor.KustoCodeService.$ctor1(text, this.globalsFor(environment));
    const info = service.GetQuickInfo(offset);
    const quickText: string | null = info?.Text ?? null;
    return quickText ? { text: quickText } : null;
  }
}

/** Maps the values of a Bridge.NET enum object to their names. */
function enumNames(values: KustoObject): Record<number, string> {
  const names: Record<number, string> = {};
  for (const name of Object.keys(values)) if (typeof values[name] === 'number') names[values[name]] = name;
  return names;
}
