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
import { Commands, SERVER_COMMANDS } from './features/commands';
import { DiagnosticsPublisher } from './features/diagnostics';
import { folderPaths, SchemaWatcher } from './features/schemaWatcher';
import { SettingsStore } from './features/settingsStore';

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
let supportsWorkspaceFolders = false;
const engine = new HuntEngine({ workerPath: join(__dirname, 'kustoWorker.js'), logger });
const settings = new SettingsStore(connection, () => supportsConfiguration, logger.child('Settings'));
const diagnostics = new DiagnosticsPublisher(connection, documents, engine, settings, logger.child('Diagnostics'));
const commands = new Commands(connection, documents, engine, settings);
const schema = new SchemaWatcher(connection, engine, settings, logger.child('Schema'));
schema.onLoaded = () => diagnostics.scheduleAll();

connection.onInitialize((params): InitializeResult => {
  supportsConfiguration = params.capabilities.workspace?.configuration === true;
  supportsWorkspaceFolders = params.capabilities.workspace?.workspaceFolders === true;
  settings.setFallback((params.initializationOptions as { settings?: unknown } | undefined)?.settings);
  const watched = params.capabilities.workspace?.didChangeWatchedFiles;
  const folders = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
  schema.configure(folderPaths(folders), { dynamicRegistration: watched?.dynamicRegistration === true, relativePatterns: watched?.relativePatternSupport === true });
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: ['|', ' ', '.', '('] },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, SOURCE_FIX_ALL, SOURCE_INSERT_HUNT] },
      executeCommandProvider: { commands: Object.values(SERVER_COMMANDS) },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'KQL Hunt', version: '0.1.0' },
  };
});

connection.onInitialized(async () => {
  const global = await settings.get('');
  logLevel = global.logLevel;
  engine.worker.setTimeoutMs(global.analysis.timeoutMs);
  logger.info('KQL Hunt language server started');
  if (supportsWorkspaceFolders) {
    connection.workspace.onDidChangeWorkspaceFolders(async () => {
      const folders = (await connection.workspace.getWorkspaceFolders()) ?? [];
      schema.setFolders(folderPaths(folders.map((folder) => folder.uri)));
    });
  }
  await schema.reload();
});

connection.onDidChangeConfiguration(async (change) => {
  settings.clear();
  settings.setFallback((change.settings as { kqlHunt?: unknown } | undefined)?.kqlHunt);
  const global = await settings.get('');
  logLevel = global.logLevel;
  engine.worker.setTimeoutMs(global.analysis.timeoutMs);
  diagnostics.scheduleAll();
  await schema.reload();
});

connection.onDidChangeWatchedFiles((params) => schema.onDidChangeWatchedFiles(params));

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

connection.onShutdown(() => {
  schema.dispose();
  return engine.dispose();
});

documents.listen(connection);
connection.listen();
