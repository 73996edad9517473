// The VS Code side of KQL Hunt: starts the language server, registers the commands and the
// language status item, and passes workspace trust to the server.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import {
  HuntCopy,
  InitializationOptions,
  INTEL_STATUS_NOTIFICATION,
  IntelStatus,
  IntelTreeNode,
  MoreNode,
  SCAN_STATUS_NOTIFICATION,
  ScanStatus,
  ServerStatus,
  STATUS_CHANGED_NOTIFICATION,
  WORKSPACE_TRUST_GRANTED_NOTIFICATION,
} from '../../server/src/protocol';
import type { KqlHuntApi } from './api';
import { addAllExclusions, insertHunt, InsertHuntPreset, openExample, refangFile, reloadWorkspaceFiles } from './commands';
import { CoveragePanel } from './coveragePanel';
import { copyHunt, formatHunt, newHuntingQuery } from './huntCommands';
import { copyIndicators, IndicatorsTree, INDICATORS_VIEW, revealRow } from './indicatorsView';
import { announceFileErrors, showIntelStatus } from './intelCommands';
import { pauseScan, scanWorkspace } from './scanCommands';
import { KqlStatusItem } from './statusItem';

/** Languages the server analyses: .kql files, Sentinel rules in YAML and KQL fences in Markdown. */
const LANGUAGE_IDS = ['kql', 'yaml', 'markdown'] as const;
const DOCUMENT_SELECTOR = LANGUAGE_IDS.map((language) => ({ language }));
/** Files the server follows on disk: Sentinel rules (for duplicate ids) and, for the workspace scan, every hunt file. */
const WATCHED_FILES = '**/*.{kql,csl,kusto,yaml,yml,md,markdown}';
/** Languages Insert Hunt writes into. */
const HUNT_LANGUAGE_IDS = ['kql'] as const;

let client: LanguageClient | undefined;

function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    // The server also reads files that are not open: Sentinel rules for the duplicate-id check,
    // and every hunt file for the workspace scan.
    synchronize: { configurationSection: 'kqlHunt', fileEvents: vscode.workspace.createFileSystemWatcher(WATCHED_FILES) },
    outputChannel: output,
    traceOutputChannel: output,
    // Read again at every (re)start, so a restart after trust was granted sends the new state.
    initializationOptions: (): InitializationOptions => ({ workspaceTrusted: vscode.workspace.isTrusted }),
  };
  // The id `kqlHunt` makes the client read the `kqlHunt.trace.server` setting.
  return new LanguageClient('kqlHunt', 'KQL Hunt', serverOptions, clientOptions);
}

export async function activate(context: vscode.ExtensionContext): Promise<KqlHuntApi> {
  const output = vscode.window.createOutputChannel('KQL Hunt', { log: true });
  const languageClient = createClient(context, output);
  client = languageClient;
  const statusItem = new KqlStatusItem(languageClient, DOCUMENT_SELECTOR, LANGUAGE_IDS, output);

  const indicators = new IndicatorsTree(languageClient);
  const indicatorsView = vscode.window.createTreeView(INDICATORS_VIEW, { treeDataProvider: indicators, showCollapseAll: true });
  const coverage = new CoveragePanel(languageClient);
  const scanEvents = new vscode.EventEmitter<ScanStatus>();
  let scanStatus: ScanStatus | undefined;
  const refreshStatus = async (): Promise<void> => statusItem.setStatus(await statusItem.requestStatus());
  context.subscriptions.push(
    output,
    statusItem,
    vscode.commands.registerCommand('kqlHunt.insertHunt', (preset?: InsertHuntPreset) => insertHunt(languageClient, HUNT_LANGUAGE_IDS, preset ?? {})),
    vscode.commands.registerCommand('kqlHunt.addAllExclusions', () => addAllExclusions(languageClient, LANGUAGE_IDS)),
    vscode.commands.registerCommand('kqlHunt.restartServer', async () => {
      output.info('Restarting the language server');
      await languageClient.restart();
      await refreshStatus();
    }),
    vscode.commands.registerCommand('kqlHunt.showOutput', () => output.show(true)),
    // The code lens passes the hunt; from the command palette the hunt under the cursor is copied.
    vscode.commands.registerCommand('kqlHunt.copyHunt', (hunt?: HuntCopy) => copyHunt(languageClient, hunt)),
    vscode.commands.registerCommand('kqlHunt.formatHunt', () => formatHunt(languageClient)),
    vscode.commands.registerCommand('kqlHunt.newHuntingQuery', (preset?: InsertHuntPreset) => newHuntingQuery(languageClient, preset)),
    vscode.commands.registerCommand('kqlHunt.openExample', () => openExample(context)),
    vscode.commands.registerCommand('kqlHunt.showIntelStatus', () => showIntelStatus(languageClient, output)),
    vscode.commands.registerCommand('kqlHunt.refangFile', () => refangFile(languageClient, LANGUAGE_IDS)),
    vscode.commands.registerCommand('kqlHunt.reload', () => reloadWorkspaceFiles(languageClient)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void languageClient.sendNotification(WORKSPACE_TRUST_GRANTED_NOTIFICATION)),
    indicators,
    coverage,
    scanEvents,
    indicatorsView,
    vscode.commands.registerCommand('kqlHunt.indicators.refresh', () => indicators.refresh()),
    vscode.commands.registerCommand('kqlHunt.indicators.loadMore', (node: MoreNode) => indicators.loadMore(node)),
    vscode.commands.registerCommand('kqlHunt.indicators.insertHunt', (node?: IntelTreeNode) => insertHunt(languageClient, HUNT_LANGUAGE_IDS, node?.kind === 'family' ? { set: node.set } : {})),
    vscode.commands.registerCommand('kqlHunt.indicators.copy', (node?: IntelTreeNode) => copyIndicators(indicators, node, false)),
    vscode.commands.registerCommand('kqlHunt.indicators.copyDefanged', (node?: IntelTreeNode) => copyIndicators(indicators, node, true)),
    vscode.commands.registerCommand('kqlHunt.indicators.reveal', (node?: IntelTreeNode) => revealRow(node)),
    vscode.commands.registerCommand('kqlHunt.showCoverage', () => coverage.show()),
    vscode.commands.registerCommand('kqlHunt.scanWorkspace', () => scanWorkspace(languageClient)),
    vscode.commands.registerCommand('kqlHunt.pauseScan', () => pauseScan(languageClient)),
  );
  languageClient.onNotification(STATUS_CHANGED_NOTIFICATION, (status: ServerStatus) => void statusItem.setStatus(status));
  languageClient.onNotification(INTEL_STATUS_NOTIFICATION, (status: IntelStatus) => {
    announceFileErrors(languageClient, output, status);
    indicators.refresh();
  });
  languageClient.onNotification(SCAN_STATUS_NOTIFICATION, (status: ScanStatus) => {
    scanStatus = status;
    scanEvents.fire(status);
  });

  const ready = languageClient.start().then(async () => {
    await refreshStatus();
    indicators.refresh();
  });
  ready.catch((error: unknown) => {
    output.error(`The language server failed to start: ${error instanceof Error ? error.message : String(error)}`);
    void vscode.window.showErrorMessage('KQL Hunt: the language server failed to start. Run "KQL Hunt: Show Output" for the error.');
  });
  await ready.catch(() => undefined);

  return {
    ready,
    status: () => statusItem.requestStatus(),
    blockInfo: (uri, position) => statusItem.requestBlockInfo(uri, position),
    statusItem: () => statusItem.current(),
    onDidUpdateStatusItem: statusItem.onDidUpdate,
    indicatorRows: (node) => indicators.getChildren(node),
    revealIndicatorRow: (node, expand) => Promise.resolve(indicatorsView.reveal(node, { expand, focus: true, select: true })),
    showCoverage: () => coverage.show(),
    coverageView: () => coverage.current(),
    onDidRenderCoverage: coverage.onDidRender,
    insertCoverageHunt: (set, table, uri) => coverage.insertHere(set, table, uri),
    scanStatus: () => scanStatus,
    onDidChangeScanStatus: scanEvents.event,
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
