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
  private waiters: Waiter[] = [];
  private analysedWaiters: { uri: string; resolve: (event: AnalysedEvent) => void }[] = [];
  private readonly notificationWaiters = new Map<string, ((params: unknown) => boolean)[]>();

  constructor() {
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
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.listen();
  }

  /**
   * Initializes the server and returns its capabilities. `workspaceFolders` are the folders a
   * workspace has open, `rootUri` the single root older clients send, `initializationOptions` are
   * sent as a client would send them, and `workspace` adds workspace client capabilities.
   */
  async initialize(
    options: { workspaceFolders?: WorkspaceFolder[]; rootUri?: string | null; initializationOptions?: unknown; workspace?: ClientCapabilities['workspace'] } = {},
  ): Promise<InitializeResult> {
    const params: InitializeParams = {
      processId: process.pid,
      rootUri: options.rootUri ?? null,
      workspaceFolders: options.workspaceFolders ?? null,
      initializationOptions: options.initializationOptions,
      capabilities: {
        workspace: { configuration: true, applyEdit: true, workspaceFolders: options.workspaceFolders !== undefined, ...options.workspace },
        textDocument: { publishDiagnostics: { versionSupport: true } },
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
