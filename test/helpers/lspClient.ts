import { ChildProcess, spawn } from 'node:child_process';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  ApplyWorkspaceEditParams,
  ConfigurationParams,
  createProtocolConnection,
  Diagnostic,
  InitializeParams,
  ProtocolConnection,
  PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
  TextEdit,
} from 'vscode-languageserver-protocol/node';
import { pathToFileURL } from 'node:url';
import { SERVER_PATH } from './paths';

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
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  intelStatus: IntelStatusMessage | undefined;
  private waiters: Waiter[] = [];
  private registrationWaiters: { method: string; resolve: (registration: { method: string; registerOptions?: unknown }) => void }[] = [];
  private intelWaiters: { predicate: (status: IntelStatusMessage) => boolean; resolve: (status: IntelStatusMessage) => void }[] = [];

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
    this.connection.onNotification('kqlHunt/intelStatusChanged', (status: IntelStatusMessage) => {
      this.intelStatus = status;
      this.intelWaiters = this.intelWaiters.filter((waiter) => {
        if (!waiter.predicate(status)) return true;
        waiter.resolve(status);
        return false;
      });
    });
    this.connection.listen();
  }

  async initialize(): Promise<void> {
    const rootUri = this.options.rootPath ? pathToFileURL(this.options.rootPath).href : null;
    const params: InitializeParams = {
      processId: process.pid,
      rootUri,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'workspace' }] : null,
      capabilities: {
        workspace: { configuration: true, applyEdit: true, didChangeWatchedFiles: { dynamicRegistration: this.options.watchFiles === true, relativePatternSupport: true } },
        textDocument: { publishDiagnostics: { versionSupport: true } },
      },
    };
    await this.connection.sendRequest('initialize', params);
    await this.connection.sendNotification('initialized', {});
  }

  open(uri: string, text: string): void {
    this.documents.set(uri, TextDocument.create(uri, 'kql', 1, text));
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'kql', version: 1, text } });
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

  /** Resolves with the first registration of `method`, made already or still to come. */
  waitForRegistration(method: string): Promise<{ method: string; registerOptions?: unknown }> {
    const done = this.registrations.find((registration) => registration.method === method);
    if (done) return Promise.resolve(done);
    return new Promise((resolve) => this.registrationWaiters.push({ method, resolve }));
  }

  /** Reports a file event the way an editor's file watcher does (1 created, 2 changed, 3 deleted). */
  fileEvent(path: string, type: 1 | 2 | 3): void {
    void this.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path).href, type }] });
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
    const updated = TextDocument.create(uri, 'kql', document.version + 1, TextDocument.applyEdits(document, edits));
    this.documents.set(uri, updated);
    return updated;
  }
}
