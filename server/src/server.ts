// The KQL Hunt language server: connection, capabilities and handler bindings. The work is done
// by the engine (server/src/engine), which the CLI shares.
import { join } from 'node:path';
import { CodeActionKind, CodeLensRefreshRequest, createConnection, InitializeResult, LSPErrorCodes, ProposedFeatures, ResponseError, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions, SOURCE_FIX_ALL, SOURCE_INSERT_HUNT } from './engine/codeActions';
import { containerKind } from './engine/embedded/sources';
import { complete } from './engine/completion';
import { codeLenses } from './engine/editing/codeLens';
import { foldingRanges } from './engine/editing/folding';
import { formatDocument, formatRange } from './engine/editing/formatting';
import { definition, documentHighlights, prepareRename, Rejectable, references, rename } from './engine/editing/navigation';
import { selectionRanges } from './engine/editing/selectionRanges';
import { signatureHelp } from './engine/editing/signatureHelp';
import { documentSymbols } from './engine/editing/symbols';
import { HuntEngine } from './engine/engine';
import { hover } from './engine/hover';
import { IntelManager } from './engine/intel/manager';
import { Settings } from './engine/settings';
import { createLogger, LogLevel } from './engine/util/logger';
import { unlessCancelled } from './features/cancellation';
import { Commands } from './features/commands';
import { CoverageService } from './features/coverage';
import { ANALYSED_NOTIFICATION, DiagnosticsPublisher } from './features/diagnostics';
import { reportedEdits } from './features/formatting';
import { IndicatorsView } from './features/indicatorsView';
import { IntelSources } from './features/intelSources';
import { RuleIdTracker } from './features/ruleIdTracker';
import { SemanticTokensHandler } from './features/semanticTokens';
import { folderPaths, SchemaWatcher } from './features/schemaWatcher';
import { SettingsStore } from './features/settingsStore';
import { StatusService } from './features/status';
import { WorkspaceHunts } from './features/workspaceSymbols';
import { WorkspaceScan } from './features/workspaceScan';
import { WorkspaceTrust } from './features/workspaceTrust';
import { SEMANTIC_TOKENS_LEGEND } from './engine/semanticTokens';
import {
  BLOCK_INFO_REQUEST,
  BlockInfoParams,
  COVERAGE_REQUEST,
  InitializationOptions,
  INTEL_INDICATORS_REQUEST,
  INTEL_STATUS_REQUEST,
  INTEL_TREE_REQUEST,
  IntelIndicatorsParams,
  IntelTreeParams,
  PAUSE_SCAN_REQUEST,
  SCAN_WORKSPACE_REQUEST,
  SERVER_COMMANDS,
  STATUS_REQUEST,
  WORKSPACE_TRUST_GRANTED_NOTIFICATION,
} from './protocol';

// vscode-languageserver picks the transport from these flags; without one it throws a stack trace.
const TRANSPORTS = ['--stdio', '--node-ipc', '--socket', '--pipe', '--clientProcessId'];
if (!process.argv.some((arg) => TRANSPORTS.some((flag) => arg === flag || arg.startsWith(`${flag}=`)))) {
  process.stderr.write('Usage: node dist/server.js --stdio | --node-ipc | --socket=PORT | --pipe=NAME\nThe KQL Hunt language server talks LSP over the given transport; editors start it for you.\n');
  process.exit(2);
}

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
const intel = new IntelSources(connection, new IntelManager({ logger: logger.child('Intel') }), logger.child('Intel'), (store) => {
  engine.setIntelStore(store);
  engine.loadProblemsByKind.set('intel', intel.status().sources.flatMap((source) => source.problems));
  status.publish();
  diagnostics.scheduleAll();
  void scan.rescan();
});
const commands = new Commands(connection, documents, engine, settings, intel);
const scan = new WorkspaceScan(connection, documents, engine, settings, logger.child('Scan'));
const coverage = new CoverageService(connection, documents, engine, settings, logger.child('Coverage'));
const indicatorsView = new IndicatorsView(intel.manager, engine, settings);
const schema = new SchemaWatcher(connection, engine, settings, logger.child('Schema'));
commands.reloadWorkspaceFiles = async () => {
  logger.info('Reloading the indicator, schema and function files');
  await Promise.all([intel.reloadAll(), schema.reload()]);
};
schema.onLoaded = () => {
  status.publish();
  diagnostics.scheduleAll();
  void scan.rescan();
};
const workspaceHunts = new WorkspaceHunts(engine, documents, settings, logger.child('WorkspaceSymbols'));
let supportsFolderChanges = false;
let supportsCodeLensRefresh = false;
const ruleIds = new RuleIdTracker(engine.ruleIds, logger.child('Rule ids'));
let workspaceFolders: string[] = [];
const status = new StatusService(connection, documents, engine, settings);
const trust = new WorkspaceTrust(engine, logger.child('Trust'));
const tokens = new SemanticTokensHandler(documents, engine, settings);
trust.onDidGrant(async () => {
  intel.configure(await settings.get(''), true);
  await schema.reload();
  status.publish();
  void scan.rescan();
});

// A rule's id changing can make another open rule's id a duplicate or unique again.
const isYaml = (document: TextDocument): boolean => containerKind(document.uri, document.languageId) === 'yaml';
diagnostics.onSource = (uri, source) => {
  if (ruleIds.updateOpen(uri, source)) diagnostics.scheduleAll((document) => document.uri !== uri && isYaml(document));
};
diagnostics.onAnalysed = (analysis, milliseconds) => {
  status.analysed(milliseconds);
  void connection.sendNotification(ANALYSED_NOTIFICATION, { uri: analysis.uri, version: analysis.version, kind: analysis.source.kind, regions: analysis.source.regions.length, milliseconds });
};

/** Wraps a document request handler so that a request for a document that is not open gets null. */
function forDocument<P extends { textDocument: { uri: string } }, R>(handler: (document: TextDocument, settings: Settings, params: P) => Promise<R>): (params: P) => Promise<R | null> {
  return async (params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return null;
    return handler(document, await settings.get(document.uri), params);
  };
}

/** Like forDocument, for the editing features, which serve .kql files only (not YAML or Markdown). */
function forKqlFile<P extends { textDocument: { uri: string } }, R>(handler: (document: TextDocument, settings: Settings, params: P) => Promise<R>): (params: P) => Promise<R | null> {
  return forDocument((document, options, params) => (containerKind(document.uri, document.languageId) === 'kql' ? handler(document, options, params) : Promise.resolve(null)));
}

/** Sends a rejected request's reason to the client as an error it shows the user. */
function orError<T>(result: Rejectable<T>): T {
  if (typeof result === 'object' && result !== null && 'error' in result) throw new ResponseError(LSPErrorCodes.RequestFailed, result.error);
  return result;
}

connection.onInitialize((params): InitializeResult => {
  const options = params.initializationOptions as InitializationOptions | undefined;
  supportsConfiguration = params.capabilities.workspace?.configuration === true;
  supportsFolderChanges = params.capabilities.workspace?.workspaceFolders === true;
  supportsCodeLensRefresh = params.capabilities.workspace?.codeLens?.refreshSupport === true;
  workspaceFolders = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
  workspaceHunts.setFolders(params.workspaceFolders, params.rootUri);
  supportsTokenRefresh = params.capabilities.workspace?.semanticTokens?.refreshSupport === true;
  settings.setFallback(options?.settings);
  trust.initialize(options?.workspaceTrusted);
  intel.initialize(params);
  const watched = params.capabilities.workspace?.didChangeWatchedFiles;
  schema.configure(folderPaths(workspaceFolders), { dynamicRegistration: watched?.dynamicRegistration === true, relativePatterns: watched?.relativePatternSupport === true });
  scan.setFolders(folderPaths(workspaceFolders));
  coverage.setFolders(folderPaths(workspaceFolders));
  // Kusto.Language takes about a second to load and warm up; start it while the client sets up.
  void engine.worker.whenReady();
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: ['|', ' ', '.', '('] },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, SOURCE_FIX_ALL, SOURCE_INSERT_HUNT] },
      executeCommandProvider: { commands: Object.values(SERVER_COMMANDS) },
      documentSymbolProvider: { label: 'KQL Hunt' },
      workspaceSymbolProvider: true,
      foldingRangeProvider: true,
      selectionRangeProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      documentHighlightProvider: true,
      renameProvider: { prepareProvider: true },
      signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: [')'] },
      documentFormattingProvider: true,
      documentRangeFormattingProvider: true,
      codeLensProvider: { resolveProvider: false },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true, range: true },
    },
    serverInfo: { name: 'KQL Hunt', version: '0.1.0' },
  };
});

connection.onInitialized(async () => {
  const global = await settings.get('');
  logLevel = global.logLevel;
  engine.worker.setTimeoutMs(global.analysis.timeoutMs);
  if (supportsFolderChanges) {
    connection.workspace.onDidChangeWorkspaceFolders((event) => {
      workspaceHunts.changeFolders(event.added, event.removed);
      const removed = new Set(event.removed.map((folder) => folder.uri));
      workspaceFolders = [...workspaceFolders.filter((uri) => !removed.has(uri)), ...event.added.map((folder) => folder.uri)];
      schema.setFolders(folderPaths(workspaceFolders));
      scan.setFolders(folderPaths(workspaceFolders));
      coverage.setFolders(folderPaths(workspaceFolders));
      void settings.get('').then((global) => intel.setFolders(workspaceFolders, global, engine.workspaceTrusted));
    });
  }
  intel.configure(global, engine.workspaceTrusted);
  logger.info('KQL Hunt language server started');
  await schema.reload();
  await ruleIds.scanFolders(workspaceFolders);
  diagnostics.scheduleAll(isYaml);
  await scan.update();
});

// The client reports changes of Sentinel rule files, indicator files and schema files through
// one handler.
connection.onDidChangeWatchedFiles(async (params) => {
  intel.onDidChangeWatchedFiles(params);
  schema.onDidChangeWatchedFiles(params);
  void scan.onFileEvents(params.changes);
  if (await ruleIds.applyFileEvents(params.changes)) diagnostics.scheduleAll(isYaml);
});

connection.onDidChangeConfiguration(async (change) => {
  settings.clear();
  settings.setFallback((change.settings as { kqlHunt?: unknown } | undefined)?.kqlHunt);
  const global = await settings.get('');
  logLevel = global.logLevel;
  engine.worker.setTimeoutMs(global.analysis.timeoutMs);
  intel.configure(global, engine.workspaceTrusted);
  diagnostics.scheduleAll();
  const scopeChanged = scan.update();
  await schema.reload();
  if (!(await scopeChanged)) void scan.rescan();
  if (supportsCodeLensRefresh) {
    connection.sendRequest(CodeLensRefreshRequest.type).catch((error: Error) => logger.warn(`Asking the client to refresh code lenses failed: ${error.message}`));
  }
  // The environment setting decides which names resolve, so the colours may change too.
  if (supportsTokenRefresh) void connection.languages.semanticTokens.refresh();
});

connection.onRequest(INTEL_STATUS_REQUEST, () => intel.status());
connection.onRequest(INTEL_TREE_REQUEST, (params: IntelTreeParams | undefined) => indicatorsView.children(params));
connection.onRequest(INTEL_INDICATORS_REQUEST, (params: IntelIndicatorsParams) => indicatorsView.indicators(params));
connection.onRequest(COVERAGE_REQUEST, () => coverage.build());
connection.onRequest(SCAN_WORKSPACE_REQUEST, () => scan.resume());
connection.onRequest(PAUSE_SCAN_REQUEST, () => scan.pause());

documents.onDidOpen((event) => {
  scan.opened(event.document.uri);
  diagnostics.schedule(event.document.uri, true);
});
documents.onDidChangeContent((event) => diagnostics.schedule(event.document.uri));
documents.onDidClose((event) => {
  settings.forget(event.document.uri);
  diagnostics.clear(event.document.uri);
  scan.closed(event.document.uri);
  if (isYaml(event.document)) {
    void ruleIds.close(event.document.uri).then((changed) => changed && diagnostics.scheduleAll(isYaml));
  }
});

connection.onCompletion(async (params, token) => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return null;
  const options = await settings.get(document.uri);
  return unlessCancelled(token, (isCancelled) => complete(engine, document, params.position, options, isCancelled));
});

connection.onHover(async (params, token) => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return null;
  const options = await settings.get(document.uri);
  return unlessCancelled(token, (isCancelled) => hover(engine, document, params.position, options, isCancelled));
});

connection.onCodeAction(async (params) => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return null;
  return codeActions(engine, document, params.range, await settings.get(document.uri), params.context.only);
});

connection.onExecuteCommand((params) => commands.execute(params.command, params.arguments ?? []));

connection.onDocumentSymbol(forKqlFile((document, options) => documentSymbols(engine, document, options)));
connection.onWorkspaceSymbol((params) => workspaceHunts.symbols(params.query));
connection.onFoldingRanges(forKqlFile((document, options) => foldingRanges(engine, document, options)));
connection.onSelectionRanges(forKqlFile((document, options, params) => selectionRanges(engine, document, params.positions, options)));
connection.onDefinition(forKqlFile((document, options, params) => definition(engine, document, params.position, options)));
connection.onReferences(forKqlFile((document, options, params) => references(engine, document, params.position, params.context.includeDeclaration, options)));
connection.onDocumentHighlight(forKqlFile((document, options, params) => documentHighlights(engine, document, params.position, options)));
connection.onPrepareRename(forKqlFile(async (document, options, params) => orError(await prepareRename(engine, document, params.position, options))));
connection.onRenameRequest(forKqlFile(async (document, options, params) => orError(await rename(engine, document, params.position, params.newName, options))));
connection.onSignatureHelp(forKqlFile((document, options, params) => signatureHelp(engine, document, params.position, options)));
connection.onDocumentFormatting(forKqlFile(async (document, options, params) => reportedEdits(await formatDocument(engine, document, params.options, options), document.uri, logger)));
connection.onDocumentRangeFormatting(forKqlFile(async (document, options, params) => reportedEdits(await formatRange(engine, document, params.range, params.options, options), document.uri, logger)));
connection.onCodeLens(forKqlFile((document, options) => codeLenses(engine, document, options)));
connection.languages.semanticTokens.on((params) => tokens.full(params));
connection.languages.semanticTokens.onRange((params) => tokens.range(params));

connection.onRequest(STATUS_REQUEST, () => status.status());
connection.onRequest(BLOCK_INFO_REQUEST, (params: BlockInfoParams) => status.blockInfo(params));
connection.onNotification(WORKSPACE_TRUST_GRANTED_NOTIFICATION, () => trust.grant());

connection.onShutdown(() => {
  intel.dispose();
  schema.dispose();
  return engine.dispose();
});

documents.listen(connection);
connection.listen();
