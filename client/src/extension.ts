// The VS Code side of KQL Hunt: starts the language server and adds the commands that need
// the editor's UI (quick picks, the active cursor).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';

const SERVER_COMMANDS = {
  insertHunt: 'kqlHunt.server.insertHunt',
  huntOptions: 'kqlHunt.server.huntOptions',
  addAllExclusions: 'kqlHunt.server.addAllExclusions',
};

interface HuntOption {
  set: string;
  family: string;
  source: string;
  indicators: number;
  tables: string[];
}

interface CommandResult {
  applied: boolean;
  message?: string;
}

// The shape of the server's `kqlHunt/intelStatus` response (server/src/engine/intel/manager.ts).
interface IntelProblem {
  file: string;
  line?: number;
  severity: 'error' | 'warning';
  message: string;
}

interface IntelStatus {
  sources: { name: string; state: string; format?: string; indicators: number; sets: { name: string; indicators: number }[]; problems: IntelProblem[] }[];
  patterns: { pattern: string; matches: number }[];
  indicators: number;
  loading: boolean;
}

const INTEL_STATUS_REQUEST = 'kqlHunt/intelStatus';
const INTEL_STATUS_NOTIFICATION = 'kqlHunt/intelStatusChanged';

/** Problems already shown in a popup, so each is shown once per session. */
const shownProblems = new Set<string>();

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'kql' }],
    synchronize: { configurationSection: 'kqlHunt' },
  };

  client = new LanguageClient('kqlHunt', 'KQL Hunt', serverOptions, clientOptions);
  context.subscriptions.push(
    vscode.commands.registerCommand('kqlHunt.insertHunt', (args?: Partial<InsertHuntChoice>) => insertHuntCommand(args)),
    vscode.commands.registerCommand('kqlHunt.addAllExclusions', () => addAllExclusionsCommand()),
    vscode.commands.registerCommand('kqlHunt.showIntelStatus', () => showIntelStatusCommand()),
  );
  await client.start();
  client.onNotification(INTEL_STATUS_NOTIFICATION, (status: IntelStatus) => announceFileErrors(status));
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

interface InsertHuntChoice {
  set: string;
  table: string;
  withExclusions: boolean;
}

async function chooseHunt(preset: Partial<InsertHuntChoice>): Promise<InsertHuntChoice | undefined> {
  const options = (await client!.sendRequest<HuntOption[]>('workspace/executeCommand', { command: SERVER_COMMANDS.huntOptions, arguments: [] })) ?? [];
  if (options.length === 0) {
    void vscode.window.showWarningMessage('KQL Hunt: no loaded indicator set can be hunted. Check the indicator files in the settings.');
    return undefined;
  }

  const set =
    preset.set ??
    (options.length === 1
      ? options[0].set
      : (await vscode.window.showQuickPick(options.map((option) => ({ label: option.set, description: `${option.indicators} indicators` })), { placeHolder: 'Indicator set to hunt for' }))?.label);
  const option = options.find((candidate) => candidate.set === set);
  if (!option) return undefined;

  const table = preset.table ?? (await vscode.window.showQuickPick(option.tables, { placeHolder: 'Table to hunt in' }));
  if (!table) return undefined;

  let withExclusions = preset.withExclusions;
  if (withExclusions === undefined) {
    const choice = await vscode.window.showQuickPick(
      [
        { label: 'With exclusions', description: 'Exclude the known false-positive scenarios', value: true },
        { label: 'Without exclusions', value: false },
      ],
      { placeHolder: 'Add the false-positive exclusions?' },
    );
    if (!choice) return undefined;
    withExclusions = choice.value;
  }
  return { set: option.set, table, withExclusions };
}

async function insertHuntCommand(preset: Partial<InsertHuntChoice> = {}): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!client || !editor || editor.document.languageId !== 'kql') {
    void vscode.window.showWarningMessage('KQL Hunt: open a .kql file to insert a hunt.');
    return;
  }
  const choice = await chooseHunt(preset);
  if (!choice) return;

  const result = await client.sendRequest<CommandResult>('workspace/executeCommand', {
    command: SERVER_COMMANDS.insertHunt,
    arguments: [{ uri: editor.document.uri.toString(), ...choice, position: editor.selection.active }],
  });
  if (!result.applied) void vscode.window.showWarningMessage(`KQL Hunt: ${result.message ?? 'the hunt was not inserted.'}`);
}

async function addAllExclusionsCommand(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!client || !editor || editor.document.languageId !== 'kql') return;
  const result = await client.sendRequest<CommandResult>('workspace/executeCommand', {
    command: SERVER_COMMANDS.addAllExclusions,
    arguments: [{ uri: editor.document.uri.toString() }],
  });
  if (!result.applied && result.message) void vscode.window.showInformationMessage(`KQL Hunt: ${result.message}`);
}

function formatIntelStatus(status: IntelStatus): string {
  const lines = [`Indicator sets: ${status.indicators} indicators loaded${status.loading ? ' (still loading)' : ''}.`];
  for (const source of status.sources) {
    lines.push('', `${source.name}: ${source.state}${source.format ? `, ${source.format}` : ''}, ${source.indicators} indicators`);
    for (const set of source.sets) lines.push(`  ${set.name}: ${set.indicators}`);
    for (const problem of source.problems) lines.push(`  ${problem.file}${problem.line ? `:${problem.line}` : ''}: ${problem.severity}: ${problem.message}`);
  }
  for (const pattern of status.patterns) if (pattern.matches === 0) lines.push('', `The pattern ${pattern.pattern} matches no file.`);
  return lines.join('\n');
}

async function showIntelStatusCommand(): Promise<void> {
  if (!client) return;
  const status = await client.sendRequest<IntelStatus>(INTEL_STATUS_REQUEST);
  client.outputChannel.appendLine(formatIntelStatus(status));
  client.outputChannel.show(true);
}

/** Tells the user once about an indicator file that failed to load: they can fix it. */
function announceFileErrors(status: IntelStatus): void {
  for (const source of status.sources) {
    const problem = source.problems.find((candidate) => candidate.severity === 'error');
    if (!problem) continue;
    const key = `${problem.file}\u0000${problem.message}`;
    if (shownProblems.has(key)) continue;
    shownProblems.add(key);
    void vscode.window.showWarningMessage(`KQL Hunt: ${problem.file}${problem.line ? `:${problem.line}` : ''}: ${problem.message}`, 'Show Indicator Sets').then((choice) => {
      if (choice) void showIntelStatusCommand();
    });
  }
}
