import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection, Diagnostic, FileChangeType, FileEvent, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { containerKind } from '../engine/embedded/sources';
import { HuntEngine } from '../engine/engine';
import { RequestCancelledError } from '../engine/kusto/workerClient';
import { Settings } from '../engine/settings';
import { Logger } from '../engine/util/logger';
import { findWorkspaceFiles, isHuntFile, isIgnoredFile } from '../engine/workspace/files';
import { SCAN_STATUS_NOTIFICATION, ScanStatus } from '../protocol';
import { WindowProgress } from './progress';
import { SettingsStore } from './settingsStore';

// With `kqlHunt.lint.scope` = `workspace`: analyses every hunt file of the workspace folders in
// the background and publishes the findings of the closed ones (the open ones are the
// DiagnosticsPublisher's). The scan spends at most `kqlHunt.lint.workspaceBudgetMs` of each
// second, shows window progress that the user can cancel (which pauses it), resumes with the
// scanWorkspace command, and follows the files created, changed and deleted on disk.

/** Files larger than this are skipped; they are generated exports, not hand-written hunts. */
const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Minimum time between two scan status notifications while scanning. */
const STATUS_INTERVAL_MS = 250;

interface ScannedFile {
  mtimeMs: number;
  size: number;
}

function toPath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

function languageOf(path: string): string {
  const kind = containerKind(path);
  return kind === 'kql' ? 'kql' : kind;
}

/** Spends at most `budgetMs` of each one-second window; `wait` sleeps out the rest of a spent window. */
class WorkBudget {
  private windowStart = performance.now();
  private spent = 0;

  constructor(public budgetMs: number) {}

  async wait(): Promise<void> {
    const now = performance.now();
    if (now - this.windowStart >= 1000) this.reset(now);
    if (this.spent < this.budgetMs) return;
    await sleep(Math.max(0, this.windowStart + 1000 - now));
    this.reset(performance.now());
  }

  spend(milliseconds: number): void {
    this.spent += milliseconds;
  }

  private reset(now: number): void {
    this.windowStart = now;
    this.spent = 0;
  }
}

export class WorkspaceScan {
  private folders: string[] = [];
  private enabled = false;
  private paused = false;
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly scanned = new Map<string, ScannedFile>();
  /** Bumped by every event for a file, so an analysis that a newer event overtook is dropped. */
  private readonly generations = new Map<string, number>();
  /** Diagnostics the scan published per URI, as JSON, so unchanged results are not sent again. */
  private readonly published = new Map<string, string>();
  private readonly budget = new WorkBudget(250);
  private running: Promise<void> | undefined;
  private updating: Promise<boolean> = Promise.resolve(false);
  /** True from the start of a run to its end; `running` is only set once `run` has returned its promise. */
  private scanning = false;
  private progress: WindowProgress | undefined;
  private total = 0;
  private done = 0;
  private lastStatus = 0;
  private readonly reported = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly engine: HuntEngine,
    private readonly settings: SettingsStore,
    private readonly logger: Logger,
  ) {}

  get active(): boolean {
    return this.enabled;
  }

  /** Resolves when no scan is running (for tests and benchmarks). */
  async whenIdle(): Promise<void> {
    while (this.running) await this.running;
  }

  status(): ScanStatus {
    let state: ScanStatus['state'] = 'idle';
    if (!this.enabled) state = 'off';
    else if (this.paused) state = 'paused';
    else if (this.scanning) state = 'scanning';
    return { state, total: this.total, done: this.done, published: this.published.size };
  }

  setFolders(paths: readonly string[]): void {
    this.folders = [...paths];
    if (this.enabled) void this.rescan();
  }

  /**
   * Reads the settings and applies them (see `configure`). Calls run one after the other and
   * each reads the settings when its turn comes, so the last call applies the newest settings
   * even when the server's start-up and a settings change overlap.
   */
  update(): Promise<boolean> {
    const next = this.updating.then(async () => this.configure(await this.settings.get('')));
    this.updating = next.catch((error: Error) => {
      this.logger.error(`Applying the workspace scan settings failed: ${error.message}`);
      return false;
    });
    return this.updating;
  }

  /**
   * Applies `kqlHunt.lint.*`: starts the scan when the scope becomes `workspace`, stops and
   * clears it otherwise. Returns true when the scope changed.
   */
  configure(settings: Settings): boolean {
    this.budget.budgetMs = settings.lint.workspaceBudgetMs;
    const wanted = settings.lint.scope === 'workspace';
    if (wanted === this.enabled) return false;
    this.enabled = wanted;
    if (wanted) {
      this.logger.info(`Workspace scan started (budget ${settings.lint.workspaceBudgetMs} ms per second)`);
      void this.rescan();
      return true;
    }
    this.logger.info('Workspace scan stopped: only open documents are checked');
    this.stop();
    return true;
  }

  /** Analyses every file again, because something all analyses depend on changed (settings, indicators, schema). */
  async rescan(): Promise<void> {
    if (!this.enabled) return;
    this.scanned.clear();
    const files = await findWorkspaceFiles(this.folders).catch((error: Error) => {
      this.logger.error(`Listing the workspace files failed: ${error.message}`);
      return [];
    });
    if (!this.enabled) return;
    for (const file of files) this.enqueue(file);
    this.start();
  }

  /** Resumes a scan paused by a cancel; returns the status. */
  resume(): ScanStatus {
    if (!this.enabled) return this.status();
    this.paused = false;
    this.start();
    return this.status();
  }

  /** Follows files created, changed and deleted on disk. */
  async onFileEvents(changes: readonly FileEvent[]): Promise<void> {
    if (!this.enabled) return;
    for (const change of changes) {
      const path = toPath(change.uri);
      if (!path || !isHuntFile(path)) continue;
      if (change.type === FileChangeType.Deleted) {
        this.forget(path);
        continue;
      }
      const folder = this.folderOf(path);
      if (!folder || (await isIgnoredFile(path, folder))) continue;
      this.scanned.delete(path);
      this.enqueue(path, true);
    }
    this.start();
  }

  /** Drops the scan's record of an opened document: its diagnostics now come from the editor's text. */
  opened(uri: string): void {
    this.published.delete(uri);
  }

  /** Queues a closed document, so that the scan checks it again from disk. */
  closed(uri: string): void {
    const path = toPath(uri);
    if (!this.enabled || !path || !this.folderOf(path)) return;
    this.scanned.delete(path);
    this.enqueue(path, true);
    this.start();
  }

  private folderOf(path: string): string | undefined {
    return this.folders.find((folder) => path === folder || path.startsWith(folder.endsWith('/') ? folder : `${folder}/`) || path.startsWith(`${folder}\\`));
  }

  private touch(path: string): number {
    const generation = (this.generations.get(path) ?? 0) + 1;
    this.generations.set(path, generation);
    return generation;
  }

  /** Queues a file; `first` puts it before the rest, for files the user just changed or closed. */
  private enqueue(path: string, first = false): void {
    this.touch(path);
    if (this.queued.has(path)) {
      if (!first) return;
      this.queue.splice(this.queue.indexOf(path), 1);
      this.queue.unshift(path);
      return;
    }
    this.queued.add(path);
    if (first) this.queue.unshift(path);
    else this.queue.push(path);
    this.total++;
  }

  private forget(path: string): void {
    this.touch(path);
    this.scanned.delete(path);
    if (this.queued.delete(path)) {
      const index = this.queue.indexOf(path);
      if (index >= 0) this.queue.splice(index, 1);
      this.total--;
    }
    this.unpublish(pathToFileURL(path).href);
  }

  private unpublish(uri: string): void {
    if (!this.published.delete(uri)) return;
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  private stop(): void {
    this.paused = false;
    this.queue.length = 0;
    this.queued.clear();
    this.scanned.clear();
    for (const uri of [...this.published.keys()]) this.unpublish(uri);
    this.progress?.done();
    this.progress = undefined;
    this.total = this.done = 0;
    this.sendStatus(true);
  }

  /** Pauses the scan until `resume`; returns the status. */
  pause(): ScanStatus {
    if (!this.enabled || this.paused) return this.status();
    this.paused = true;
    this.logger.info(`Workspace scan paused with ${this.queue.length} files left; run "KQL Hunt: Scan Workspace" to resume`);
    this.sendStatus(true);
    return this.status();
  }

  private start(): void {
    if (this.running || this.paused || !this.enabled || this.queue.length === 0) return;
    this.scanning = true;
    this.running = this.run().finally(() => {
      this.running = undefined;
      this.scanning = false;
      this.sendStatus(true);
      // Files queued while the last one was being analysed start a new run.
      if (this.queue.length > 0 && this.enabled && !this.paused) this.start();
    });
  }

  private async run(): Promise<void> {
    this.progress = new WindowProgress(this.connection, { title: 'KQL Hunt: checking the workspace', cancellable: true, onCancel: () => void this.pause() }, this.logger);
    this.sendStatus(true);
    try {
      while (this.queue.length > 0 && this.enabled && !this.paused) {
        await this.budget.wait();
        if (!this.enabled || this.paused) break;
        const path = this.queue.shift()!;
        this.queued.delete(path);
        const started = performance.now();
        const finished = await this.scanFile(path);
        this.budget.spend(performance.now() - started);
        if (finished) this.done++;
        this.progress.report(this.done, this.total, `${this.done}/${this.total} files`);
        this.sendStatus(false);
      }
    } finally {
      this.progress?.done();
      this.progress = undefined;
      if (this.queue.length === 0) this.total = this.done = 0;
    }
  }

  /** Checks one file; returns false when a pause interrupted it and it was queued again. */
  private async scanFile(path: string): Promise<boolean> {
    const uri = pathToFileURL(path).href;
    if (this.documents.get(uri)) return true;
    let info;
    try {
      info = await stat(path);
    } catch {
      this.forget(path);
      return true;
    }
    const cached = this.scanned.get(path);
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return true;
    if (info.size > MAX_FILE_BYTES) {
      this.reportOnce(path, `Workspace scan skipped ${path}: it has ${info.size} bytes, more than ${MAX_FILE_BYTES}.`);
      return true;
    }

    const generation = this.generations.get(path) ?? 0;
    try {
      const text = await readFile(path, 'utf8');
      const folder = this.folderOf(path) ?? dirname(path);
      const settings = await this.settings.get(pathToFileURL(folder).href);
      const document = TextDocument.create(uri, languageOf(path), 0, text);
      const analysis = await this.engine.analyzeDocument(document, settings, { isCancelled: () => !this.enabled || this.paused });
      // The file may have been opened, changed, deleted or the scan stopped while it was analysed.
      if (!this.enabled || this.documents.get(uri) || this.generations.get(path) !== generation) return true;
      this.scanned.set(path, { mtimeMs: info.mtimeMs, size: info.size });
      await this.publish(uri, analysis.source.kind, analysis.diagnostics);
    } catch (error) {
      if (error instanceof RequestCancelledError) {
        // Paused: analyse this file first on resume. It is still counted in `total`.
        if (this.enabled && !this.queued.has(path)) {
          this.queued.add(path);
          this.queue.unshift(path);
        }
        return false;
      }
      this.reportOnce(path, `Workspace scan could not check ${path}: ${(error as Error).message}`);
    }
    return true;
  }

  private async publish(uri: string, kind: string, diagnostics: Diagnostic[]): Promise<void> {
    const key = JSON.stringify(diagnostics);
    if (this.published.get(uri) === key) return;
    // Clean files, and YAML or Markdown without KQL, need nothing sent unless they had findings before.
    if (!this.published.has(uri) && (diagnostics.length === 0 || kind === 'other')) return;
    if (diagnostics.length === 0) this.published.delete(uri);
    else this.published.set(uri, key);
    await this.connection.sendDiagnostics({ uri, diagnostics });
  }

  private sendStatus(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.lastStatus < STATUS_INTERVAL_MS) return;
    this.lastStatus = now;
    void this.connection.sendNotification(SCAN_STATUS_NOTIFICATION, this.status());
  }

  private reportOnce(path: string, message: string): void {
    if (this.reported.has(path)) return;
    this.reported.add(path);
    this.logger.warn(message);
  }
}
