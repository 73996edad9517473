// The KQL Hunt language server: connection, capabilities and handler bindings. The work is done
// by the engine (server/src/engine), which the CLI shares.
import { join } from 'node:path';
import { CodeActionKind, createConnection, InitializeResult, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions, SOURCE_FIX_ALL, SOURCE_INSERT_HUNT } from './engine/codeActions';
import { complete } from './engine/completion';
import { HuntEngine } from './engine/engine';
import { hover } from './engine/hover';
import { createLogger, LogLevel } from './engine/util/logger';
import { Commands } from './features/commands';
import { DiagnosticsPublisher } from './features/diagnostics';
import { SemanticTokensHandler } from './features/semanticTokens';
import { SettingsStore } from './features/settingsStore';
import { StatusService } from './features/status';
import { WorkspaceTrust } from './features/workspaceTrust';
import { SEMANTIC_TOKENS_LEGEND } from './engine/semanticTokens';
import { BLOCK_INFO_REQUEST, BlockInfoParams, InitializationOptions, SERVER_COMMANDS, STATUS_REQUEST, WORKSPACE_TRUST_GRANTED_NOTIFICATION } from './protocol';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

let logLevel: LogLevel = 'info';
const logger = createLogger(
  (level, line) => {
    if (level === 'error') connection.console.error(line);
    else if (level === 'warn') connection.console.warn(line);
    else if (level === 'info') connection.console.info(line);
    else connection.console.log(line);
  },
  () => logLevel,
);

let supportsConfiguration = false;
let supportsTokenRefresh = false;
const engine = new HuntEngine({ workerPath: join(__dirname, 'kustoWorker.js'), logger });
const settings = new SettingsStore(connection, () => supportsConfiguration, logger.child('Settings'));
const diagnostics = new DiagnosticsPublisher(connection, documents, engine, settings, logger.child('Diagnostics'));
const commands = new Commands(connection, documents, engine, settings);
const status = new StatusService(connection, documents, engine, settings);
const trust = new WorkspaceTrust(engine, logger.child('Trust'));
const tokens = new SemanticTokensHandler(documents, engine, settings);
diagnostics.onAnalysed = (_uri, milliseconds) => status.analysed(milliseconds);
trust.onDidGrant(() => status.publish());

connection.onInitialize((params): InitializeResult => {
  const options = params.initializationOptions as InitializationOptions | undefined;
  supportsConfiguration = params.capabilities.workspace?.configuration === true;
  supportsTokenRefresh = params.capabilities.workspace?.semanticTokens?.refreshSupport === true;
  settings.setFallback(options?.settings);
  trust.initialize(options?.workspaceTrusted);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: ['|', ' ', '.', '('] },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, SOURCE_FIX_ALL, SOURCE_INSERT_HUNT] },
      executeCommandProvider: { commands: Object.values(SERVER_COMMANDS) },
      semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true, range: true },
    },
    serverInfo: { name: 'KQL Hunt', version: '0.1.0' },
  };
});

connection.onInitialized(async () => {
  const global = await settings.get('');
  logLevel = global.logLevel;
  engine.worker.setTimeoutMs(global.analysis.timeoutMs);
  logger.info('KQL Hunt language server started');
});

connection.onDidChangeConfiguration(async (change) => {
  settings.clear();
  settings.setFallback((change.settings as { kqlHunt?: unknown } | undefined)?.kqlHunt);
  const global = await settings.get('');
  logLevel = global.logLevel;
  engine.worker.setTimeoutMs(global.analysis.timeoutMs);
  diagnostics.scheduleAll();
  // The environment setting decides which names resolve, so the colours may change too.
  if (supportsTokenRefresh) void connection.languages.semanticTokens.refresh();
});

documents.onDidOpen((event) => diagnostics.schedule(event.document.uri, true));
documents.onDidChangeContent((event) => diagnostics.schedule(event.document.uri));
documents.onDidClose((event) => {
  settings.forget(event.document.uri);
  diagnostics.clear(event.document.uri);
});

connection.onCompletion(async (params) => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return null;
  return complete(engine, document, params.position, await settings.get(document.uri));
});

connection.onHover(async (params) => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return null;
  return hover(engine, document, params.position, await settings.get(document.uri));
});

connection.onCodeAction(async (params) => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return null;
  return codeActions(engine, document, params.range, await settings.get(document.uri), params.context.only);
});

connection.onExecuteCommand((params) => commands.execute(params.command, params.arguments ?? []));

connection.languages.semanticTokens.on((params) => tokens.full(params));
connection.languages.semanticTokens.onRange((params) => tokens.range(params));

connection.onRequest(STATUS_REQUEST, () => status.status());
connection.onRequest(BLOCK_INFO_REQUEST, (params: BlockInfoParams) => status.blockInfo(params));
connection.onNotification(WORKSPACE_TRUST_GRANTED_NOTIFICATION, () => trust.grant());

connection.onShutdown(() => engine.dispose());

documents.listen(connection);
connection.listen();
