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
import { SERVER_PATH } from './paths';

export interface TestClientOptions {
  /** Workspace folder URI sent in `initialize`. */
  rootUri?: string;
  /** Whether the client offers to register file watchers (`workspace/didChangeWatchedFiles`). */
  watchesFiles?: boolean;
}

interface Waiter {
  uri: string;
  predicate: (diagnostics: Diagnostic[]) => boolean;
  resolve: (diagnostics: Diagnostic[]) => void;
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
  private waiters: Waiter[] = [];
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
      return null;
    });
    this.connection.onRequest('client/unregisterCapability', () => null);
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

  async initialize(): Promise<void> {
    const params: InitializeParams = {
      processId: process.pid,
      rootUri: this.options.rootUri ?? null,
      workspaceFolders: this.options.rootUri ? [{ uri: this.options.rootUri, name: 'workspace' }] : null,
      capabilities: {
        workspace: { configuration: true, applyEdit: true, didChangeWatchedFiles: { dynamicRegistration: this.options.watchesFiles === true, relativePatternSupport: true } },
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
    const updated = TextDocument.create(uri, 'kql', document.version + 1, TextDocument.applyEdits(document, edits));
    this.documents.set(uri, updated);
    return updated;
  }
}
