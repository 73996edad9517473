import { FSWatcher, statSync, watch } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Connection, Disposable, DidChangeWatchedFilesNotification, DidChangeWatchedFilesParams, FileSystemWatcher } from 'vscode-languageserver/node';
import { HuntEngine } from '../engine/engine';
import { loadUserSchema } from '../engine/schema/schemaFiles';
import { parseWatchlists } from '../engine/schema/watchlists';
import { Logger } from '../engine/util/logger';
import { formatProblem, LoadProblem } from '../engine/util/problems';
import { SettingsStore } from './settingsStore';

/** Sent to the client after each load of the user's schema, with what loaded and the problems found. */
export const SCHEMA_LOADED = 'kqlHunt/schemaLoaded';

export interface SchemaLoadedParams {
  tables: number;
  functions: number;
  watchlists: number;
  problems: string[];
}

export interface WatchSupport {
  /** The client registers file watchers on request (`workspace/didChangeWatchedFiles`). */
  dynamicRegistration: boolean;
  /** The client accepts relative glob patterns (LSP 3.17). */
  relativePatterns: boolean;
}

/** The local paths of workspace folder URIs; folders on other file systems are left out. */
export function folderPaths(uris: readonly string[]): string[] {
  return uris.filter((uri) => uri.startsWith('file:')).map((uri) => fileURLToPath(uri));
}

/** Changes to schema files often arrive as a burst of events; one reload follows the last. */
const RELOAD_DELAY_MS = 200;

/**
 * Loads the user's schema (kqlHunt.schema.*) into the engine and reloads it when the settings or
 * the files change. Files are watched by the client when it can register watchers, otherwise
 * with Node's fs.watch.
 */
export class SchemaWatcher {
  private folders: string[] = [];
  private support: WatchSupport = { dynamicRegistration: false, relativePatterns: false };
  private watchedPaths: string[] = [];
  private registration: Promise<Disposable> | undefined;
  private fsWatchers: FSWatcher[] = [];
  private reloadTimer: NodeJS.Timeout | undefined;
  private generation = 0;
  private reportedProblems = '';
  // The engine starts with no user schema, so an empty one needs no reload.
  private appliedSchema = JSON.stringify([[], [], []]);
  /** Called after each load, so that open documents are analysed again. */
  onLoaded: () => void = () => undefined;

  constructor(
    private readonly connection: Connection,
    private readonly engine: HuntEngine,
    private readonly settings: SettingsStore,
    private readonly logger: Logger,
  ) {}

  configure(folders: string[], support: WatchSupport): void {
    this.folders = folders;
    this.support = support;
  }

  setFolders(folders: string[]): void {
    this.folders = folders;
    this.scheduleReload(0);
  }

  /** Reloads everything; a newer reload started meanwhile makes this one stop. Failures are logged, not thrown. */
  async reload(): Promise<void> {
    try {
      await this.load(++this.generation);
    } catch (error) {
      this.logger.error(`Loading the schema files failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }

  private async load(generation: number): Promise<void> {
    const settings = await this.settings.get('');
    // Workspace schema and function files wait until the editor trusts the workspace.
    const trusted = this.engine.workspaceTrusted;
    if (!trusted && settings.schema.customTables.length + settings.schema.functions.length > 0) {
      this.logger.info('Custom-table and function files in kqlHunt.schema wait until the workspace is trusted.');
    }
    const tables = trusted ? this.resolvePaths(settings.schema.customTables) : [];
    const functions = trusted ? this.resolvePaths(settings.schema.functions) : [];
    const problems: LoadProblem[] = [];
    const watchlists = parseWatchlists(settings.schema.watchlists, 'kqlHunt.schema.watchlists', problems);
    const loaded = await loadUserSchema({ tables, functions, watchlists });
    if (generation !== this.generation) return;

    // A settings change that leaves the schema as it was must not clear the analysis cache.
    const key = JSON.stringify([loaded.tables, loaded.functions, watchlists]);
    if (key === this.appliedSchema && loaded.problems.length === 0) return;
    this.appliedSchema = key;
    problems.push(...loaded.problems, ...(await this.engine.setSchema(loaded)));
    if (generation !== this.generation) return;
    this.watch([...tables, ...functions]);
    this.report(problems);
    this.logger.info(`Loaded ${loaded.tables.length} custom tables, ${loaded.functions.length} functions and ${watchlists.length} watchlists`);
    this.onLoaded();
    const params: SchemaLoadedParams = { tables: loaded.tables.length, functions: loaded.functions.length, watchlists: watchlists.length, problems: problems.map(formatProblem) };
    void this.connection.sendNotification(SCHEMA_LOADED, params);
  }

  onDidChangeWatchedFiles(params: DidChangeWatchedFilesParams): void {
    const changed = params.changes.filter((change) => change.uri.startsWith('file:')).map((change) => fileURLToPath(change.uri));
    if (changed.some((path) => this.isWatched(path))) this.scheduleReload(RELOAD_DELAY_MS);
  }

  dispose(): void {
    clearTimeout(this.reloadTimer);
    this.closeFsWatchers();
    void this.registration?.then((disposable) => disposable.dispose());
  }

  private scheduleReload(delay: number): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.reload(), delay);
  }

  /** Absolute paths stay; a relative path is taken in each workspace folder that has it (the first folder when none has). */
  private resolvePaths(paths: readonly string[]): string[] {
    const resolved: string[] = [];
    for (const path of paths) {
      if (isAbsolute(path) || this.folders.length === 0) {
        resolved.push(resolve(path));
        continue;
      }
      const candidates = this.folders.map((folder) => join(folder, path));
      const existing = candidates.filter((candidate) => this.exists(candidate));
      resolved.push(...(existing.length > 0 ? existing : [candidates[0]]));
    }
    return resolved;
  }

  private exists(path: string): boolean {
    return statSync(path, { throwIfNoEntry: false }) !== undefined;
  }

  private isWatched(path: string): boolean {
    return this.watchedPaths.some((watched) => path === watched || path.startsWith(watched + '/') || path.startsWith(watched + '\\'));
  }

  private report(problems: LoadProblem[]): void {
    this.engine.loadProblemsByKind.set('schema', problems);
    for (const problem of problems) this.logger.warn(formatProblem(problem));
    const key = JSON.stringify(problems);
    if (problems.length === 0 || key === this.reportedProblems) {
      this.reportedProblems = key;
      return;
    }
    this.reportedProblems = key;
    const first = formatProblem(problems[0]);
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    void this.connection.window.showWarningMessage(`KQL Hunt: problem in the schema files: ${first}${more}. The rest was loaded; see the KQL Hunt output for every problem.`);
  }

  private watch(paths: string[]): void {
    if (JSON.stringify(paths) === JSON.stringify(this.watchedPaths)) return;
    this.watchedPaths = paths;
    if (this.support.dynamicRegistration) this.registerClientWatchers(paths);
    else this.startFsWatchers(paths);
  }

  private registerClientWatchers(paths: string[]): void {
    const previous = this.registration;
    void previous?.then((disposable) => disposable.dispose());
    if (paths.length === 0) {
      this.registration = undefined;
      return;
    }
    // Watching a path's parent with the path as pattern covers a file and a folder alike, and a
    // path that does not exist yet.
    const watchers: FileSystemWatcher[] = paths.map((path) => {
      const pattern = `${basename(path)}{,/**/*.json,/**/*.csv}`;
      return this.support.relativePatterns
        ? { globPattern: { baseUri: pathToFileURL(dirname(path)).href, pattern } }
        : { globPattern: `${dirname(path).split('\\').join('/')}/${pattern}` };
    });
    this.registration = this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers });
    this.registration.catch((error: Error) => this.logger.warn(`Registering file watchers failed (${error.message}); schema files are not watched.`));
  }

  private startFsWatchers(paths: string[]): void {
    this.closeFsWatchers();
    for (const path of paths) {
      const folder = statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
      const target = folder ? path : dirname(path);
      try {
        const watcher = watch(target, { recursive: folder }, (_event, name) => {
          if (folder || name === null || name === basename(path)) this.scheduleReload(RELOAD_DELAY_MS);
        });
        watcher.on('error', (error) => this.logger.warn(`Watching ${target} failed: ${error.message}`));
        this.fsWatchers.push(watcher);
      } catch (error) {
        this.logger.warn(`Cannot watch ${target}: ${(error as Error).message}`);
      }
    }
  }

  private closeFsWatchers(): void {
    for (const watcher of this.fsWatchers) watcher.close();
    this.fsWatchers = [];
  }
}
