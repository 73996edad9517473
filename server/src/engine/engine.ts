import { TextDocument } from 'vscode-languageserver-textdocument';
import { Block } from './blocks';
import { Diagnostic, Position } from 'vscode-languageserver-types';
import { AnalyzedBlock, applySuppressions, BlockOutcome, BlockPlan, DocumentAnalysis, documentDiagnostic, toDiagnostic } from './documentAnalysis';
import { BlockResult, blockDiagnostics, DocumentCache, DocumentPlan } from './documentCache';
import { Located, locateBlock } from './locate';
import { touchesPlaceholder } from './embedded/placeholders';
import { containerKind } from './embedded/sources';
import { EmbeddedSource, KqlRegion, withRegionReason } from './embedded/types';
import { builtInSets } from './intel/intelFile';
import { IndicatorSet } from './intel/model';
import { IntelStore } from './intel/store';
import { BlockAnalysis, ClassifiedSpan, EnvironmentRequest, SchemaResult } from './kusto/types';
import { KustoWorker, RequestCancelledError, RequestOptions, WorkerTimeoutError } from './kusto/workerClient';
import { RULES } from './rules';
import { Finding, RuleContext } from './rules/types';
import { Catalog, UserSchema } from './schema/catalog';
import { MetadataFinding } from './sentinel/findings';
import { checkSentinelRule } from './sentinel/metadata';
import { RuleIdIndex } from './sentinel/ruleIds';
import { Settings } from './settings';
import { parseSuppressions } from './suppression';
import { LruCache } from './util/lru';
import { Logger, silentLogger } from './util/logger';
import { LoadProblem } from './util/problems';

export interface EngineOptions {
  /** Path of the bundled worker script (dist/kustoWorker.js). */
  workerPath: string;
  logger?: Logger;
  timeoutMs?: number;
  /** Maximum number of analysed blocks kept in memory. */
  cacheSize?: number;
  /** Maximum characters of block text over all analysed blocks kept in memory. */
  cacheCharacters?: number;
  /** The clock stale indicators are measured against; tests pin it. */
  now?: () => Date;
}

/**
 * A cached block analysis and who is waiting for it. The worker request is skipped only when
 * every waiter has been cancelled; `interests` is null once a waiter that cannot be cancelled
 * joins.
 */
interface CacheEntry {
  outcome: Promise<BlockOutcome>;
  interests: (() => boolean)[] | null;
}

export interface AnalyzeOptions {
  /** Checked before each block is sent to the worker; a newer edit makes the rest moot. */
  isCancelled?: () => boolean;
  /** The document's regions when the caller has extracted them already. */
  source?: EmbeddedSource;
  /** The key of this document in the rule id index (a path in the CLI); the URI by default. */
  file?: string;
  /** The workspace's rule ids; the engine's own index by default. */
  ruleIds?: RuleIdIndex;
}

/**
 * The analysis core shared by the language server, the CLI and the tests: text and settings in,
 * plain results out. It never sees an LSP connection.
 */
export class HuntEngine {
  private currentCatalog: Catalog = Catalog.builtIn();
  private currentIntel: IntelStore = new IntelStore(builtInSets());
  /** The ids of the Sentinel rules in the workspace, for the duplicate-id check. */
  readonly ruleIds = new RuleIdIndex();
  /**
   * False while the editor has not trusted the workspace: loaders must then skip intel, schema
   * and function files that come from the workspace and keep to the built-in data. The CLI
   * runs on files the user named, so it stays trusted.
   */
  workspaceTrusted = true;
  /** Problems of the last load of each kind of workspace file (intel, schema), for the status item. */
  readonly loadProblemsByKind = new Map<'intel' | 'schema', LoadProblem[]>();
  readonly worker: KustoWorker;
  readonly logger: Logger;
  private readonly cache: LruCache<string, CacheEntry>;
  private readonly classifications = new LruCache<string, Promise<ClassifiedSpan[]>>(2000);
  private readonly reportedRuleFailures = new LruCache<string, true>(1000);
  private readonly documents = new DocumentCache();
  private readonly lastAnalyses = new LruCache<string, { version: number; text: string; validity: string; analysis: DocumentAnalysis }>(100);
  private readonly settingsKeys = new WeakMap<Settings, string>();
  /** Counts changes of the intel and the schema, which invalidate every block's findings. */
  private dataVersion = 0;
  /** The user functions whose body or parameters do not compile, by name, with the problem. */
  private brokenFunctions = new Map<string, LoadProblem>();
  readonly now: () => Date;

  constructor(options: EngineOptions) {
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? (() => new Date());
    this.worker = new KustoWorker({ workerPath: options.workerPath, timeoutMs: options.timeoutMs ?? 5000, logger: this.logger.child('Worker') });
    // Bounded by count and by the characters of the blocks it holds: a few huge blocks weigh as much as many small ones.
    this.cache = new LruCache(options.cacheSize ?? 20000, { maxWeight: options.cacheCharacters ?? 32_000_000, weigh: (key) => key.length });
  }

  get catalog(): Catalog {
    return this.currentCatalog;
  }

  /** Replacing the catalog or the intel makes every block's findings out of date. */
  set catalog(catalog: Catalog) {
    this.currentCatalog = catalog;
    this.dataVersion++;
  }

  get intel(): IntelStore {
    return this.currentIntel;
  }

  set intel(intel: IntelStore) {
    this.currentIntel = intel;
    this.dataVersion++;
  }

  setIntel(sets: readonly IndicatorSet[]): void {
    this.setIntelStore(new IntelStore(sets));
  }

  /** Uses an already merged store, such as the one an IntelManager keeps. */
  setIntelStore(store: IntelStore): void {
    this.intel = store;
  }

  /** What the rules of one block see. */
  ruleContext(block: Block, analysis: BlockAnalysis, settings: Settings): RuleContext {
    return { block, analysis, catalog: this.catalog, intel: this.intel, settings, now: this.now() };
  }

  /**
   * Replaces the user's schema (custom tables, functions, watchlists) and returns the problems
   * Kusto.Language finds in the functions. The worker resolves function parameter lists, so the
   * functions take effect in the engine's catalog once it replies.
   */
  /** Problems of the last load of intel, schema and function files. */
  get loadProblems(): LoadProblem[] {
    return [...this.loadProblemsByKind.values()].flat();
  }

  async setSchema(schema: UserSchema): Promise<LoadProblem[]> {
    const payload = { tables: [...(schema.tables ?? [])], functions: [...(schema.functions ?? [])], watchlists: [...(schema.watchlists ?? [])] };
    this.catalog = Catalog.builtIn({ tables: payload.tables, watchlists: payload.watchlists });
    this.cache.clear();
    this.classifications.clear();
    const result = await this.worker.request<SchemaResult>({ method: 'setSchema', schema: payload }, { priority: 'interactive' });
    this.brokenFunctions = new Map(result.problems.filter((problem) => problem.functionName !== undefined).map((problem) => [problem.functionName!, problem]));
    this.catalog = Catalog.builtIn({ tables: payload.tables, functions: result.functions, watchlists: payload.watchlists });
    this.cache.clear();
    this.classifications.clear();
    return result.problems;
  }

  async dispose(): Promise<void> {
    await this.worker.dispose();
  }

  /** Analyses one block's text, from the cache when the same text was seen in the same environment. */
  analyzeBlock(block: Block, request: EnvironmentRequest, settings: Settings, options: RequestOptions = {}): Promise<BlockOutcome> {
    if (block.commentOnly) return Promise.resolve({ status: 'empty' });
    const limits = settings.analysis;
    if (block.text.length > limits.maxBlockLength) {
      return Promise.resolve(skipped('block-too-large', `This block has ${block.text.length} characters, more than kqlHunt.analysis.maxBlockLength (${limits.maxBlockLength}); it was not analysed.`, block));
    }
    if (block.maxDepth > limits.maxNestingDepth) {
      return Promise.resolve(skipped('block-too-complex', `Brackets in this block nest ${block.maxDepth} deep, more than kqlHunt.analysis.maxNestingDepth (${limits.maxNestingDepth}); it was not analysed.`, block));
    }

    const key = `${request}\u0000${block.text}`;
    const cached = this.cache.get(key);
    if (cached) {
      if (cached.interests && options.isCancelled) cached.interests.push(options.isCancelled);
      else cached.interests = null;
      return cached.outcome;
    }

    const entry: CacheEntry = { outcome: Promise.resolve({ status: 'empty' }), interests: options.isCancelled ? [options.isCancelled] : null };
    const isCancelled = (): boolean => entry.interests !== null && entry.interests.every((interest) => interest());
    entry.outcome = this.worker
      .request<BlockAnalysis>({ method: 'analyze', text: block.text, environment: request }, { priority: options.priority, isCancelled })
      .then((analysis): BlockOutcome => ({ status: 'analyzed', analysis }))
      .catch((error: Error): BlockOutcome => {
        if (error instanceof RequestCancelledError) {
          this.cache.delete(key);
          throw error;
        }
        if (error instanceof WorkerTimeoutError) {
          this.logger.warn(`Analysis of the block starting '${firstLine(block)}' ran past ${error.timeoutMs} ms and was stopped; it is not analysed again until its text changes.`);
          return failed('analysis-timeout', `Analysing this block took longer than ${error.timeoutMs} ms, so it was stopped; simplify or split the query (limit: kqlHunt.analysis.timeoutMs).`, block);
        }
        this.logger.error(`Analysis of the block starting '${firstLine(block)}' failed: ${error.message}`);
        return failed('analysis-failed', `Kusto.Language could not analyse this block: ${error.message}`, block);
      });
    this.cache.set(key, entry);
    return entry.outcome;
  }

  /** Analyses a block of `region` like analyzeBlock; a region that fixes the environment gives its own reason. */
  async analyzeRegionBlock(region: KqlRegion, block: Block, request: EnvironmentRequest, settings: Settings, options: RequestOptions = {}): Promise<BlockOutcome> {
    const outcome = await this.analyzeBlock(block, request, settings, options);
    return outcome.status === 'analyzed' ? { ...outcome, analysis: withRegionReason(region, outcome.analysis) } : outcome;
  }

  /** The KQL regions of a document, by its container format (a .kql file, a Sentinel rule, Markdown). */
  sourceOf(document: TextDocument, settings: Settings): EmbeddedSource {
    return this.documents.source(document, settings.analysis.maxFileSize);
  }

  /** Kusto.Language's classification of one block (tables, columns, functions, ...), cached by text. */
  classifyBlock(block: Block, request: EnvironmentRequest, options: RequestOptions = {}): Promise<ClassifiedSpan[]> {
    if (block.commentOnly || block.text === '') return Promise.resolve([]);
    const key = `${request}\u0000${block.text}`;
    const cached = this.classifications.get(key);
    if (cached) return cached;

    const result = this.worker.request<ClassifiedSpan[]>({ method: 'classify', text: block.text, environment: request }, options);
    this.classifications.set(key, result);
    result.catch(() => this.classifications.delete(key));
    return result;
  }

  async analyzeDocument(document: TextDocument, settings: Settings, options: AnalyzeOptions = {}): Promise<DocumentAnalysis> {
    const container = containerKind(document.uri, document.languageId);
    const source = options.source ?? this.sourceOf(document, settings);
    const validity = this.validity(settings);
    // Code actions, code lenses and commands ask again for the version just published.
    const memo = this.lastAnalyses.get(document.uri);
    const memoUsable = !options.file && !options.ruleIds && !source.rule;
    if (memoUsable && memo && memo.version === document.version && memo.validity === validity && memo.text === document.getText()) return memo.analysis;

    const plan = this.documents.plan(document, source, settings.environment);
    const results = this.documents.results(document.uri, validity);
    const blocks = await this.analyzePlan(plan, settings, results, options);
    this.documents.commit(document.uri, validity, results);

    const metadata = this.metadataFindings(document, source, blocks, options);
    const diagnostics = [
      ...source.problems.map((problem) => documentDiagnostic(document, problem)),
      ...this.blockDiagnostics(document, container, blocks),
      ...metadata.map((finding) => documentDiagnostic(document, finding)),
    ];
    const analysis: DocumentAnalysis = { uri: document.uri, version: document.version, container, source, blocks, metadata, diagnostics };
    if (memoUsable) this.lastAnalyses.set(document.uri, { version: document.version, text: document.getText(), validity, analysis });
    return analysis;
  }

  /** Forgets what was kept for a document, when it is closed. */
  forgetDocument(uri: string): void {
    this.documents.forget(uri);
    this.lastAnalyses.delete(uri);
  }

  /** Returns the document's regions and planned blocks, split again only around the last edit. */
  planDocument(document: TextDocument, settings: Settings, source = this.sourceOf(document, settings)): DocumentPlan {
    return this.documents.plan(document, source, settings.environment);
  }

  /** Finds the KQL block under a position in the document's current plan. */
  locate(document: TextDocument, position: Position, settings: Settings): Located | undefined {
    const plan = this.planDocument(document, settings);
    return locateBlock(plan.source, document, position, settings.environment, (regionIndex) => plan.regions[regionIndex]?.plans);
  }

  /**
   * Builds the key of what block results depend on besides the block: settings, the loaded intel
   * and schema, and the hour (stale indicators are judged by age).
   */
  private validity(settings: Settings): string {
    let key = this.settingsKeys.get(settings);
    if (key === undefined) {
      key = JSON.stringify(settings);
      this.settingsKeys.set(settings, key);
    }
    return `${this.dataVersion}\u0000${this.now().toISOString().slice(0, 13)}\u0000${key}`;
  }

  /** Returns each planned block's result, kept from an earlier analysis when its text is unchanged, else analysed. */
  private async analyzePlan(plan: DocumentPlan, settings: Settings, results: Map<string, BlockResult>, options: AnalyzeOptions): Promise<AnalyzedBlock[]> {
    const limit = settings.analysis.maxBlocks;
    const analyzed: AnalyzedBlock[] = [];
    const waits: Promise<void>[] = [];
    for (const { region, regionIndex, plans } of plan.regions) {
      for (const blockPlan of plans) {
        const entry: AnalyzedBlock = { region, regionIndex, block: blockPlan.block, environmentRequest: blockPlan.environmentRequest, outcome: { status: 'empty' }, findings: [] };
        const index = analyzed.push(entry) - 1;
        const earlierResult = index < limit ? results.get(blockPlan.block.text) : undefined;
        if (earlierResult && earlierResult.request === blockPlan.environmentRequest) {
          settle(entry, earlierResult);
        } else if (index >= limit) {
          settle(entry, this.limitResult(blockPlan, index, limit, settings));
        } else {
          // Only the blocks that changed wait for the worker; awaiting the kept ones would cost a promise each.
          const request = this.analyzeRegionBlock(region, blockPlan.block, blockPlan.environmentRequest, settings, { isCancelled: options.isCancelled });
          waits.push(request.then((outcome) => settle(entry, this.blockResult(blockPlan, outcome, settings, results))));
        }
      }
    }
    await Promise.all(waits);
    return analyzed;
  }

  /** Runs the rules and suppression comments on a block, keeping the result in `results` when given. */
  private blockResult(plan: BlockPlan, outcome: BlockOutcome, settings: Settings, results?: Map<string, BlockResult>): BlockResult {
    const findings = applySuppressions(plan.block, [...plan.findings, ...this.findingsFor(plan.block, outcome, settings)]);
    const result = { request: plan.environmentRequest, outcome, findings };
    results?.set(plan.block.text, result);
    return result;
  }

  /** Blocks past kqlHunt.analysis.maxBlocks: the first gets one finding saying so, the rest nothing. */
  private limitResult(plan: BlockPlan, index: number, limit: number, settings: Settings): BlockResult {
    const outcome: BlockOutcome = index === limit ? skipped('block-limit', `Only the first ${limit} blocks of this document are analysed (kqlHunt.analysis.maxBlocks).`, plan.block) : { status: 'empty' };
    return this.blockResult(plan, outcome, settings);
  }

  private blockDiagnostics(document: TextDocument, container: string, blocks: AnalyzedBlock[]): Diagnostic[] {
    const diagnostics: Diagnostic[] = [];
    for (const analyzed of blocks) {
      if (analyzed.findings.length === 0) continue;
      // In a .kql document the region is the document, so a block's diagnostics move with it.
      if (container === 'kql' && analyzed.region.placeholders.length === 0 && analyzed.result) {
        for (const diagnostic of blockDiagnostics(document, analyzed.region, analyzed.block, analyzed.result)) diagnostics.push(diagnostic);
        continue;
      }
      for (const finding of analyzed.findings) diagnostics.push(toDiagnostic(document, analyzed.region, analyzed.block, finding));
    }
    return diagnostics;
  }

  /** The metadata checks of a Sentinel rule, after `# kql-hunt-disable` comments in the YAML. */
  private metadataFindings(document: TextDocument, source: EmbeddedSource, blocks: AnalyzedBlock[], options: AnalyzeOptions): MetadataFinding[] {
    const rule = source.rule;
    if (!rule) return [];
    const text = document.getText();
    const query = blocks.find((analyzed) => analyzed.regionIndex === rule.queryRegion);
    const findings = checkSentinelRule({ text, file: options.file ?? document.uri, rule, query, ruleIds: options.ruleIds ?? this.ruleIds });
    if (!text.includes('kql-hunt-disable')) return findings;
    const suppressions = parseSuppressions(text, 'yaml');
    return findings.filter((finding) => !suppressions.isSuppressed(finding.code, document.positionAt(finding.start).line));
  }

  private findingsFor(block: Block, outcome: BlockOutcome, settings: Settings): Finding[] {
    if (outcome.status === 'empty') return [];
    if (outcome.status !== 'analyzed') return [outcome.finding];

    const analysis = outcome.analysis;
    const findings: Finding[] = [];
    const context = this.ruleContext(block, analysis, settings);
    for (const rule of RULES) {
      try {
        findings.push(...rule.check(context));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const key = `${rule.id}\u0000${block.text}`;
        if (!this.reportedRuleFailures.get(key)) {
          this.reportedRuleFailures.set(key, true);
          this.logger.error(`Rule ${rule.id} failed on the block starting '${firstLine(block)}': ${message}`);
        }
        findings.push({ code: 'rule-failed', severity: 'information', message: `Rule ${rule.id} failed on this block (${message}); its other rules still ran.`, start: 0, end: 0 });
      }
    }
    const replaced = (diagnostic: Finding): boolean =>
      findings.some((finding) => finding.replaces?.includes(diagnostic.code) && finding.start === diagnostic.start && finding.end === diagnostic.end);
    return [...this.withBrokenFunctionNote(analysis, analysis.diagnostics.filter((diagnostic) => !replaced(diagnostic))), ...findings];
  }

  /**
   * Adds a pointer to the broken function to the unknown-name errors of a block that calls a user
   * function which does not compile. Its output columns come from the broken body, so the name the
   * hunt uses may be right and the suggestion wrong.
   */
  private withBrokenFunctionNote(analysis: BlockAnalysis, diagnostics: Finding[]): Finding[] {
    if (this.brokenFunctions.size === 0) return diagnostics;
    const broken = [...new Set(analysis.summary.functions.map((reference) => reference.name))].flatMap((name) => {
      const problem = this.brokenFunctions.get(name);
      return problem ? [`${name} (${problem.file}${problem.line ? `:${problem.line}` : ''})`] : [];
    });
    if (broken.length === 0) return diagnostics;
    const note = ` This query calls ${broken.join(' and ')}, whose definition does not compile, so the columns it returns may be wrong; fix the function first.`;
    return diagnostics.map((diagnostic) => (diagnostic.code === 'KS142' ? { ...diagnostic, message: diagnostic.message + note } : diagnostic));
  }
}

/** Fills an analysed block from its result; findings on template placeholders are dropped. */
function settle(entry: AnalyzedBlock, result: BlockResult): void {
  entry.outcome = result.outcome;
  entry.result = result;
  entry.findings = entry.region.placeholders.length === 0 ? result.findings : result.findings.filter((finding) => !onPlaceholder(entry.region, entry.block, finding));
}

/** Whether a Kusto finding sits on a template placeholder, whose value is only known at run time. */
function onPlaceholder(region: KqlRegion, block: Block, finding: Finding): boolean {
  if (region.placeholders.length === 0 || !/^KS\d+$/.test(finding.code)) return false;
  return touchesPlaceholder(region.placeholders, block.start + finding.start, block.start + finding.end);
}

function firstLine(block: Block): string {
  return block.text.split(/\r?\n/, 1)[0].slice(0, 60);
}

function blockStartFinding(code: string, message: string, block: Block, severity: Finding['severity']): Finding {
  const end = block.text.search(/\r?\n|$/);
  return { code, severity, message, start: 0, end };
}

function skipped(code: string, message: string, block: Block): BlockOutcome {
  return { status: 'skipped', finding: blockStartFinding(code, message, block, 'information') };
}

function failed(code: string, message: string, block: Block): BlockOutcome {
  return { status: 'failed', finding: blockStartFinding(code, message, block, 'warning') };
}
