import { FSWatcher, watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fg from 'fast-glob';
import {
  ClientCapabilities,
  Connection,
  DidChangeWatchedFilesNotification,
  DidChangeWatchedFilesParams,
  Disposable,
  FileSystemWatcher,
  InitializeParams,
} from 'vscode-languageserver/node';
import { IntelManager, IntelStatus } from '../engine/intel/manager';
import { IntelStore } from '../engine/intel/store';
import { Settings } from '../engine/settings';
import { Logger } from '../engine/util/logger';

/** The custom request and notification that carry the status of the indicator files. */
import { INTEL_STATUS_NOTIFICATION } from '../protocol';
import { WindowProgress } from './progress';

/** Events for one file closer together than this are handled once (editors save in steps). */
const FILE_EVENT_DELAY_MS = 100;
/** A file that keeps changing is still reloaded this often, so its indicators do not go stale. */
const FILE_EVENT_MAX_WAIT_MS = 1000;

/** Loading shows window progress only when it takes longer than this (a large feed). */
const PROGRESS_DELAY_MS = 300;

function toPath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

/** Returns the workspace folders of an initialize request as paths. */
export function workspaceRoots(params: InitializeParams): string[] {
  const uris = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
  const roots = uris.map(toPath).filter((path): path is string => path !== undefined);
  if (roots.length === 0 && params.rootPath) roots.push(params.rootPath);
  return roots;
}

/**
 * Connects the IntelManager to the editor: configures it from the settings, watches the
 * indicator files (through the client's file watcher when it offers dynamic registration, with
 * `fs.watch` otherwise), reloads a file when it changes, and sends status to the client.
 */
export class IntelSources {
  private capabilities: ClientCapabilities = {};
  private roots: string[] = [];
  private registration: Promise<Disposable> | undefined;
  private watchers: FSWatcher[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** When the first event of each file's pending reload came. */
  private readonly firstEvents = new Map<string, number>();
  private lastConfig = '';

  /** `onIntelChanged` runs after every change of the loaded sets, before the status goes to the client. */
  constructor(
    private readonly connection: Connection,
    readonly manager: IntelManager,
    private readonly logger: Logger,
    onIntelChanged: (store: IntelStore) => void,
  ) {
    manager.onDidChange = (store) => {
      onIntelChanged(store);
      this.notifyStatus();
    };
  }

  initialize(params: InitializeParams): void {
    this.capabilities = params.capabilities;
    this.roots = workspaceRoots(params);
  }

  /** Takes the workspace folders after a change and searches the new ones for indicator files. */
  setFolders(uris: readonly string[], settings: Settings, workspaceTrusted: boolean): void {
    this.roots = uris.map(toPath).filter((path): path is string => path !== undefined);
    this.configure(settings, workspaceTrusted);
  }

  private get clientWatches(): boolean {
    return this.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  }

  /**
   * Applies the intel settings; loading runs in the background, never on a request's path.
   * Until the editor trusts the workspace, only the built-in set loads: workspace files could
   * hold anything, so they wait for trust.
   */
  configure(settings: Settings, workspaceTrusted: boolean): void {
    const files = workspaceTrusted ? settings.intel.files : [];
    if (!workspaceTrusted && settings.intel.files.length > 0) {
      this.logger.info(`${settings.intel.files.length} indicator file pattern(s) in kqlHunt.intel.files wait until the workspace is trusted.`);
    }
    const config = { files, includeBuiltIn: settings.intel.includeBuiltIn, roots: this.roots };
    const key = JSON.stringify(config);
    if (key === this.lastConfig) return;
    this.lastConfig = key;
    // The manager takes the new patterns before its first await, so the watchers can start
    // while the files load.
    const loading = this.manager.configure(config);
    void this.updateWatchers().catch((error: Error) => this.logger.error(`Watching the indicator files failed: ${error.message}`));
    this.showProgress(loading, `${files.length} indicator file pattern${files.length === 1 ? '' : 's'}`);
    // The last change notifies while its load still counts as running, so notify again once it finished.
    void loading.then(
      () => this.notifyStatus(),
      (error: Error) => this.logger.error(`Loading the indicator files failed: ${error.stack ?? error.message}`),
    );
  }

  /** Reads every indicator file again, for the Reload command. */
  async reloadAll(): Promise<void> {
    await this.manager.reloadAll();
    this.notifyStatus();
  }

  status(): IntelStatus {
    return this.manager.status();
  }

  /** Reloads the files that the client's file watcher reported as changed. */
  onDidChangeWatchedFiles(params: DidChangeWatchedFilesParams): void {
    for (const change of params.changes) {
      const path = toPath(change.uri);
      if (path) this.scheduleReload(path);
    }
  }

  dispose(): void {
    for (const watcher of this.watchers.splice(0)) watcher.close();
    for (const timer of this.timers.values()) clearTimeout(timer);
  }

  private scheduleReload(path: string): void {
    const first = this.firstEvents.get(path) ?? performance.now();
    this.firstEvents.set(path, first);
    if (this.timers.has(path) && performance.now() - first >= FILE_EVENT_MAX_WAIT_MS) return;
    clearTimeout(this.timers.get(path));
    this.timers.set(
      path,
      setTimeout(() => {
        this.timers.delete(path);
        this.firstEvents.delete(path);
        const loading = this.manager.fileChanged(path);
        this.showProgress(loading, path);
        void loading.then(
          () => this.notifyStatus(),
          (error: Error) => this.logger.error(`Reloading ${path} failed: ${error.message}`),
        );
      }, FILE_EVENT_DELAY_MS),
    );
  }

  /** Shows window progress while a load that takes more than a moment runs. */
  private showProgress(loading: Promise<void>, files: string): void {
    const progress = new WindowProgress(this.connection, { title: 'KQL Hunt: loading indicators', delayMs: PROGRESS_DELAY_MS }, this.logger);
    progress.report(0, 0, files);
    void loading.finally(() => progress.done()).catch(() => undefined);
  }

  private notifyStatus(): void {
    void this.connection.sendNotification(INTEL_STATUS_NOTIFICATION, this.manager.status());
  }

  private async updateWatchers(): Promise<void> {
    if (this.clientWatches) await this.registerClientWatchers();
    else this.watchFolders();
  }

  private async registerClientWatchers(): Promise<void> {
    const previous = this.registration;
    this.registration = undefined;
    if (previous) (await previous).dispose();

    const relative = this.capabilities.workspace?.didChangeWatchedFiles?.relativePatternSupport === true;
    const watchers: FileSystemWatcher[] = this.manager.watchPatterns().map(({ root, pattern }) => {
      if (!root) return { globPattern: pattern.split('\\').join('/') };
      return { globPattern: relative ? { baseUri: pathToFileURL(root).href, pattern } : join(root, pattern).split('\\').join('/') };
    });
    if (watchers.length === 0) return;
    this.registration = this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers });
    await this.registration;
    this.logger.debug(`Watching ${watchers.length} indicator file patterns through the client`);
  }

  /** Without the client's watcher: watch the folders that hold the files or where each glob starts. */
  private watchFolders(): void {
    for (const watcher of this.watchers.splice(0)) watcher.close();
    const folders = new Map<string, boolean>();
    for (const { root, pattern } of this.manager.watchPatterns()) {
      const absolute = root && !isAbsolute(pattern) ? resolve(root, pattern) : pattern;
      if (!fg.isDynamicPattern(pattern)) {
        folders.set(dirname(absolute), folders.get(dirname(absolute)) ?? false);
        continue;
      }
      const base = fg.generateTasks([absolute.split('\\').join('/')])[0]?.base ?? dirname(absolute);
      folders.set(resolve(base), folders.get(resolve(base)) || pattern.includes('**'));
    }
    for (const [folder, recursive] of folders) void this.watchFolder(folder, recursive);
  }

  private async watchFolder(folder: string, recursive: boolean): Promise<void> {
    const exists = await stat(folder).then(
      (info) => info.isDirectory(),
      () => false,
    );
    if (!exists) {
      this.logger.warn(`Cannot watch ${folder} for indicator files: the folder does not exist. Files created there later are loaded after a settings change or a restart.`);
      return;
    }
    try {
      const watcher = watch(folder, { recursive, persistent: false }, (_event, name) => {
        if (name) this.scheduleReload(join(folder, name.toString()));
      });
      watcher.on('error', (error) => this.logger.warn(`Watching ${folder} stopped: ${error.message}`));
      this.watchers.push(watcher);
    } catch (error) {
      this.logger.warn(`Cannot watch ${folder} for indicator files: ${(error as Error).message}`);
    }
  }
}
