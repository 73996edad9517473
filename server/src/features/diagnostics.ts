import { Connection, Diagnostic, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentAnalysis } from '../engine/documentAnalysis';
import { EmbeddedSource } from '../engine/embedded/types';
import { HuntEngine } from '../engine/engine';
import { RequestCancelledError } from '../engine/kusto/workerClient';
import { Logger } from '../engine/util/logger';
import { SettingsStore } from './settingsStore';

/**
 * Sent after each analysis of a document: `{uri, version, kind, regions, milliseconds}`, where
 * kind tells what the document contains (`kql`, `sentinel-yaml`, `markdown`, or `other` for YAML and
 * Markdown without KQL). Clients can show it in a status item; tests wait for it.
 */
export const ANALYSED_NOTIFICATION = 'kqlHunt/documentAnalysed';

/**
 * Analyses open documents and publishes their diagnostics: debounced per document after edits,
 * stale runs abandoned when a newer edit arrives, and identical results not sent again.
 */
export class DiagnosticsPublisher {
  private readonly timers = new Map<string, { cancel(): void }>();
  private readonly generations = new Map<string, number>();
  private readonly published = new Map<string, Diagnostic[]>();
  /** Called after each analysis with its duration, for the client's status item. */
  onAnalysed: (analysis: DocumentAnalysis, milliseconds: number) => void = () => undefined;
  /** Called with each document's regions before it is analysed (the rule id index reads them). */
  onSource: (uri: string, source: EmbeddedSource) => void = () => undefined;

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly engine: HuntEngine,
    private readonly settings: SettingsStore,
    private readonly logger: Logger,
  ) {}

  /** Analyses after the debounce delay; `immediately` skips it (on open, on settings change). */
  schedule(uri: string, immediately = false): void {
    const generation = (this.generations.get(uri) ?? 0) + 1;
    this.generations.set(uri, generation);
    this.timers.get(uri)?.cancel();
    void this.settings.get(uri).then((settings) => {
      if (this.generations.get(uri) !== generation) return;
      const delay = immediately ? 0 : settings.analysis.debounceMs;
      this.timers.set(uri, later(delay, () => void this.run(uri, generation)));
    });
  }

  scheduleAll(filter: (document: TextDocument) => boolean = () => true): void {
    for (const document of this.documents.all()) if (filter(document)) this.schedule(document.uri, true);
  }

  clear(uri: string): void {
    this.timers.get(uri)?.cancel();
    this.timers.delete(uri);
    this.generations.delete(uri);
    this.engine.forgetDocument(uri);
    if (!this.published.delete(uri)) return;
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  private async run(uri: string, generation: number): Promise<void> {
    this.timers.delete(uri);
    const document = this.documents.get(uri);
    if (!document) return;
    const isStale = (): boolean => this.generations.get(uri) !== generation;

    const started = performance.now();
    try {
      const settings = await this.settings.get(uri);
      const source = this.engine.sourceOf(document, settings);
      this.onSource(uri, source);
      const analysis = await this.engine.analyzeDocument(document, settings, { isCancelled: isStale, source });
      if (isStale()) return;
      const previous = this.published.get(uri);
      // YAML and Markdown without KQL get no diagnostics at all, unless they had some before.
      const skip = (source.kind === 'other' && !previous) || (previous !== undefined && sameDiagnostics(previous, analysis.diagnostics));
      if (!skip) {
        this.published.set(uri, analysis.diagnostics);
        await this.connection.sendDiagnostics({ uri, version: document.version, diagnostics: analysis.diagnostics });
      }
      const milliseconds = performance.now() - started;
      this.logger.debug(`Analysed ${uri} in ${milliseconds.toFixed(0)} ms: ${analysis.diagnostics.length} diagnostics`);
      // After the diagnostics, so that a client that sees this has seen them too.
      this.onAnalysed(analysis, milliseconds);
    } catch (error) {
      if (error instanceof RequestCancelledError) return;
      this.logger.error(`Analysing ${uri} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    }
  }
}

/** Runs `run` after `delay` ms; without a delay on the next turn, which is a millisecond sooner than a 0 ms timer. */
function later(delay: number, run: () => void): { cancel(): void } {
  if (delay > 0) {
    const timer = setTimeout(run, delay);
    return { cancel: () => clearTimeout(timer) };
  }
  const immediate = setImmediate(run);
  return { cancel: () => clearImmediate(immediate) };
}

/**
 * Compares two diagnostic lists. Unchanged blocks give the very same objects, so this is mostly
 * identity checks, where serialising both lists would cost time in proportion to the document.
 */
export function sameDiagnostics(a: readonly Diagnostic[], b: readonly Diagnostic[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (!sameDiagnostic(a[index], b[index])) return false;
  return true;
}

function sameDiagnostic(a: Diagnostic, b: Diagnostic): boolean {
  if (a === b) return true;
  const { start, end } = a.range;
  const other = b.range;
  return (
    start.line === other.start.line &&
    start.character === other.start.character &&
    end.line === other.end.line &&
    end.character === other.end.character &&
    a.severity === b.severity &&
    a.code === b.code &&
    a.source === b.source &&
    a.message === b.message &&
    JSON.stringify(a.data) === JSON.stringify(b.data) &&
    JSON.stringify(a.relatedInformation) === JSON.stringify(b.relatedInformation) &&
    JSON.stringify(a.tags) === JSON.stringify(b.tags)
  );
}
