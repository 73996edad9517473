import { ChildProcess, spawn } from 'node:child_process';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  ApplyWorkspaceEditParams,
  ClientCapabilities,
  ConfigurationParams,
  createProtocolConnection,
  Diagnostic,
  InitializeParams,
  InitializeResult,
  ProtocolConnection,
  PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
  TextEdit,
  WorkspaceFolder,
} from 'vscode-languageserver-protocol/node';
import { pathToFileURL } from 'node:url';
import { SERVER_PATH } from './paths';

/** What the server reports after analysing a document (`kqlHunt/documentAnalysed`). */
export interface AnalysedEvent {
  uri: string;
  version: number;
  kind: string;
  regions: number;
}

/** The language id VS Code gives a file, from its extension. */
export function languageOf(uri: string): string {
  if (/\.ya?ml$/i.test(uri)) return 'yaml';
  if (/\.(md|markdown)$/i.test(uri)) return 'markdown';
  return 'kql';
}

interface Waiter {
  uri: string;
  predicate: (diagnostics: Diagnostic[]) => boolean;
  resolve: (diagnostics: Diagnostic[]) => void;
}

export interface TestClientOptions {
  /** Offer the client's file watcher (`workspace/didChangeWatchedFiles` dynamic registration). */
  watchFiles?: boolean;
  /** The workspace folder, as a path. */
  rootPath?: string;
  /** Accept server-created work-done progress (`window.workDoneProgress`). */
  workDoneProgress?: boolean;
}

/** One `$/progress` notification: the token and its begin, report or end value. */
export interface ProgressEvent {
  token: string | number;
  value: { kind: 'begin' | 'report' | 'end'; title?: string; message?: string; percentage?: number; cancellable?: boolean };
}

/** The parts of the server's intel status the tests read. */
export interface IntelStatusMessage {
  sources: { name: string; state: string; indicators: number; problems: { line?: number; severity: string; message: string }[] }[];
  indicators: number;
  loading: boolean;
}

/**
 * A real LSP client over stdio against dist/server.js, with an in-memory copy of each open
 * document so that `workspace/applyEdit` from the server changes what the test sees.
 */
export class TestClient {
  readonly connection: ProtocolConnection;
  readonly process: ChildProcess;
  readonly documents = new Map<string, TextDocument>();
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly publishCounts = new Map<string, number>();
  readonly logs: string[] = [];
  /** The `kqlHunt` section answered to `workspace/configuration`, per scope URI or for all. */
  configuration: Record<string, unknown> = {};
  /** Capabilities the server registered dynamically, with their options. */
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  /** Every `kqlHunt/schemaLoaded` notification, in order. */
  readonly schemaLoads: { tables: number; functions: number; watchlists: number; problems: string[] }[] = [];
  intelStatus: IntelStatusMessage | undefined;
  /** Every `$/progress` notification, in order. */
  readonly progress: ProgressEvent[] = [];
  /** The version of each document the server analysed last. */
  readonly analysedVersions = new Map<string, number>();
  private waiters: Waiter[] = [];
  private progressWaiters: { predicate: (event: ProgressEvent) => boolean; resolve: (event: ProgressEvent) => void }[] = [];
  private analysedWaiters: { uri: string; resolve: (event: AnalysedEvent) => void }[] = [];
  private readonly notificationWaiters = new Map<string, ((params: unknown) => boolean)[]>();
  private registrationWaiters: { method: string; resolve: (registration: { method: string; registerOptions?: unknown }) => void }[] = [];
  private intelWaiters: { predicate: (status: IntelStatusMessage) => boolean; resolve: (status: IntelStatusMessage) => void }[] = [];
  private schemaWaiters: (() => void)[] = [];

  constructor(private readonly options: TestClientOptions = {}) {
    this.process = spawn(process.execPath, [SERVER_PATH, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr!.on('data', (chunk: Buffer) => this.logs.push(chunk.toString()));
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));

    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.diagnostics.set(params.uri, params.diagnostics);
      this.publishCounts.set(params.uri, (this.publishCounts.get(params.uri) ?? 0) + 1);
      this.waiters = this.waiters.filter((waiter) => {
        if (waiter.uri !== params.uri || !waiter.predicate(params.diagnostics)) return true;
        waiter.resolve(params.diagnostics);
        return false;
      });
    });
    this.connection.onNotification('kqlHunt/documentAnalysed', (event: AnalysedEvent) => {
      this.analysedVersions.set(event.uri, event.version);
      this.analysedWaiters = this.analysedWaiters.filter((waiter) => {
        if (waiter.uri !== event.uri) return true;
        waiter.resolve(event);
        return false;
      });
    });
    this.connection.onNotification('window/logMessage', (params: { message: string }) => {
      this.logs.push(params.message);
    });
    this.connection.onRequest('workspace/configuration', (params: ConfigurationParams) => params.items.map(() => this.configuration));
    this.connection.onRequest('workspace/applyEdit', (params: ApplyWorkspaceEditParams) => {
      // Like an editor: apply the edit, then tell the server about the change.
      for (const [uri, edits] of Object.entries(params.edit.changes ?? {})) this.change(uri, edits);
      return { applied: true };
    });
    this.connection.onRequest('client/registerCapability', (params: { registrations: { method: string; registerOptions?: unknown }[] }) => {
      this.registrations.push(...params.registrations);
      for (const registration of params.registrations) {
        for (const waiter of this.registrationWaiters.filter((candidate) => candidate.method === registration.method)) waiter.resolve(registration);
        this.registrationWaiters = this.registrationWaiters.filter((candidate) => candidate.method !== registration.method);
      }
      return null;
    });
    this.connection.onRequest('client/unregisterCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onNotification('$/progress', (event: ProgressEvent) => {
      this.progress.push(event);
      this.progressWaiters = this.progressWaiters.filter((waiter) => {
        if (!waiter.predicate(event)) return true;
        waiter.resolve(event);
        return false;
      });
    });
    this.connection.onNotification('kqlHunt/intelStatusChanged', (status: IntelStatusMessage) => {
      this.intelStatus = status;
      this.intelWaiters = this.intelWaiters.filter((waiter) => {
        if (!waiter.predicate(status)) return true;
        waiter.resolve(status);
        return false;
      });
    });
    this.connection.onNotification('window/showMessage', (params: { message: string }) => {
      this.logs.push(params.message);
    });
    this.connection.onRequest('window/showMessageRequest', (params: { message: string }) => {
      this.logs.push(params.message);
      return null;
    });
    this.connection.onNotification('kqlHunt/schemaLoaded', (params: TestClient['schemaLoads'][number]) => {
      this.schemaLoads.push(params);
      for (const waiter of this.schemaWaiters.splice(0)) waiter();
    });
    this.connection.listen();
  }

  /**
   * Initializes the server and returns its capabilities. `workspaceFolders` are the folders a
   * workspace has open (by default the client's `rootPath`), `rootUri` the single root older
   * clients send, `initializationOptions` are sent as a client would send them, and `workspace`
   * adds workspace client capabilities.
   */
  async initialize(
    options: { workspaceFolders?: WorkspaceFolder[]; rootUri?: string | null; initializationOptions?: unknown; workspace?: ClientCapabilities['workspace'] } = {},
  ): Promise<InitializeResult> {
    const rootUri = options.rootUri ?? (this.options.rootPath ? pathToFileURL(this.options.rootPath).href : null);
    const workspaceFolders = options.workspaceFolders ?? (this.options.rootPath && rootUri ? [{ uri: rootUri, name: 'workspace' }] : undefined);
    const params: InitializeParams = {
      processId: process.pid,
      rootUri,
      workspaceFolders: workspaceFolders ?? null,
      initializationOptions: options.initializationOptions,
      capabilities: {
        workspace: {
          configuration: true,
          applyEdit: true,
          workspaceFolders: workspaceFolders !== undefined,
          didChangeWatchedFiles: { dynamicRegistration: this.options.watchFiles === true, relativePatternSupport: true },
          ...options.workspace,
        },
        textDocument: { publishDiagnostics: { versionSupport: true } },
        window: { workDoneProgress: this.options.workDoneProgress === true },
      },
    };
    const result = (await this.connection.sendRequest('initialize', params)) as InitializeResult;
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /**
   * Resolves with the params of the next `method` notification that satisfies `predicate`. The
   * connection keeps one handler per method, so one handler serves every waiter of a method.
   */
  waitForNotification<T>(method: string, predicate: (params: T) => boolean = () => true, timeoutMs = 20000): Promise<T> {
    let waiters = this.notificationWaiters.get(method);
    if (!waiters) {
      const created: ((params: unknown) => boolean)[] = [];
      this.notificationWaiters.set(method, created);
      this.connection.onNotification(method, (params: unknown) => {
        const remaining = created.filter((waiter) => !waiter(params));
        created.splice(0, created.length, ...remaining);
      });
      waiters = created;
    }

    const list = waiters;
    return new Promise((resolve, reject) => {
      const waiter = (params: unknown): boolean => {
        if (!predicate(params as T)) return false;
        clearTimeout(timer);
        resolve(params as T);
        return true;
      };
      const timer = setTimeout(() => {
        list.splice(list.indexOf(waiter), 1);
        reject(new Error(`No matching ${method} notification within ${timeoutMs} ms.`));
      }, timeoutMs);
      list.push(waiter);
    });
  }

  open(uri: string, text: string, languageId = languageOf(uri)): void {
    this.documents.set(uri, TextDocument.create(uri, languageId, 1, text));
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Resolves with the next `kqlHunt/documentAnalysed` notification for `uri`. */
  waitForAnalysis(uri: string, timeoutMs = 20000): Promise<AnalysedEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`No analysis of ${uri} within ${timeoutMs} ms`)), timeoutMs);
      this.analysedWaiters.push({
        uri,
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event);
        },
      });
    });
  }

  /** Resolves once the server has analysed `version` of `uri` (or a later one), now or later. */
  async waitForAnalysedVersion(uri: string, version: number, timeoutMs = 60000): Promise<void> {
    while ((this.analysedVersions.get(uri) ?? 0) < version) await this.waitForAnalysis(uri, timeoutMs);
  }

  change(uri: string, edits: TextEdit[]): void {
    const document = this.applyEdits(uri, edits);
    void this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: document.version },
      contentChanges: edits.map((edit) => ({ range: edit.range, text: edit.newText })),
    });
  }

  close(uri: string): void {
    this.documents.delete(uri);
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Sends a request and returns its result, typed by the caller. */
  request<T>(method: string, params: object): Promise<T> {
    return this.connection.sendRequest(method, params) as Promise<T>;
  }

  text(uri: string): string {
    return this.documents.get(uri)!.getText();
  }

  /** Resolves with the first published diagnostics for `uri` that satisfy `predicate`. */
  waitForDiagnostics(uri: string, predicate: (diagnostics: Diagnostic[]) => boolean = () => true, timeoutMs = 20000): Promise<Diagnostic[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`No matching diagnostics for ${uri} within ${timeoutMs} ms; last: ${JSON.stringify(this.diagnostics.get(uri))}`)), timeoutMs);
      this.waiters.push({
        uri,
        predicate,
        resolve: (diagnostics) => {
          clearTimeout(timer);
          resolve(diagnostics);
        },
      });
    });
  }

  /** Resolves with the first intel status (the latest one, or one still to come) that satisfies `predicate`. */
  waitForIntelStatus(predicate: (status: IntelStatusMessage) => boolean, timeoutMs = 60000): Promise<IntelStatusMessage> {
    if (this.intelStatus && predicate(this.intelStatus)) return Promise.resolve(this.intelStatus);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`No matching intel status within ${timeoutMs} ms; last: ${JSON.stringify(this.intelStatus)}`)), timeoutMs);
      this.intelWaiters.push({
        predicate,
        resolve: (status) => {
          clearTimeout(timer);
          resolve(status);
        },
      });
    });
  }

  /** Resolves at the next `kqlHunt/schemaLoaded` notification after the call. */
  nextSchemaLoad(timeoutMs = 30000): Promise<TestClient['schemaLoads'][number]> {
    const count = this.schemaLoads.length;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`No schema load within ${timeoutMs} ms; logs: ${this.logs.join('\n')}`)), timeoutMs);
      this.schemaWaiters.push(() => {
        clearTimeout(timer);
        resolve(this.schemaLoads[count]);
      });
    });
  }

  /** Resolves with the first registration of `method`, made already or still to come. */
  waitForRegistration(method: string): Promise<{ method: string; registerOptions?: unknown }> {
    const done = this.registrations.find((registration) => registration.method === method);
    if (done) return Promise.resolve(done);
    return new Promise((resolve) => this.registrationWaiters.push({ method, resolve }));
  }

  /** Resolves with the first `$/progress` event, already received or still to come, that satisfies `predicate`. */
  waitForProgress(predicate: (event: ProgressEvent) => boolean): Promise<ProgressEvent> {
    const seen = this.progress.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.progressWaiters.push({ predicate, resolve }));
  }

  /** Reports a file event the way an editor's file watcher does (1 created, 2 changed, 3 deleted). */
  fileEvent(path: string, type: 1 | 2 | 3): void {
    void this.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path).href, type }] });
  }

  /** Sends a settings change, as an editor does when the user edits the `kqlHunt` section. */
  async setConfiguration(configuration: Record<string, unknown>): Promise<void> {
    this.configuration = configuration;
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: { kqlHunt: configuration } });
  }

  async shutdown(): Promise<void> {
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    await exited;
    this.connection.dispose();
  }

  private applyEdits(uri: string, edits: TextEdit[]): TextDocument {
    const document = this.documents.get(uri)!;
    const updated = TextDocument.create(uri, document.languageId, document.version + 1, TextDocument.applyEdits(document, edits));
    this.documents.set(uri, updated);
    return updated;
  }
}
