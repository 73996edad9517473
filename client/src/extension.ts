// The VS Code side of KQL Hunt: starts the language server and adds the commands that need
// the editor's UI (quick picks, the active cursor).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';

const SERVER_COMMANDS = {
  insertHunt: 'kqlHunt.server.insertHunt',
  huntOptions: 'kqlHunt.server.huntOptions',
  addAllExclusions: 'kqlHunt.server.addAllExclusions',
  formatHunt: 'kqlHunt.server.formatHunt',
  huntText: 'kqlHunt.server.huntText',
  huntingQueryYaml: 'kqlHunt.server.huntingQueryYaml',
};

/** A hunt's name and its text as it goes to the Sentinel or Defender portal. */
interface HuntCopy {
  name: string;
  text: string;
}

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

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // YAML and Markdown go to the server too; it reports only on Sentinel rules and KQL fences.
    documentSelector: [{ language: 'kql' }, { language: 'yaml' }, { language: 'markdown' }],
    synchronize: { configurationSection: 'kqlHunt', fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}') },
  };

  client = new LanguageClient('kqlHunt', 'KQL Hunt', serverOptions, clientOptions);
  context.subscriptions.push(
    vscode.commands.registerCommand('kqlHunt.insertHunt', (args?: Partial<InsertHuntChoice>) => insertHuntCommand(args)),
    vscode.commands.registerCommand('kqlHunt.addAllExclusions', () => addAllExclusionsCommand()),
    // The code lens passes the hunt; from the command palette the hunt under the cursor is copied.
    vscode.commands.registerCommand('kqlHunt.copyHunt', (hunt?: HuntCopy) => copyHuntCommand(hunt)),
    vscode.commands.registerCommand('kqlHunt.formatHunt', () => formatHuntCommand()),
    vscode.commands.registerCommand('kqlHunt.newHuntingQuery', (args?: Partial<InsertHuntChoice>) => newHuntingQueryCommand(args)),
  );
  await client.start();
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

/** A file URI in `folder` named `fileName`, with a number added when that name is taken. */
async function freeFileUri(folder: vscode.Uri, fileName: string): Promise<vscode.Uri> {
  const base = fileName.replace(/\.yaml$/, '');
  for (let suffix = 1; ; suffix++) {
    const candidate = vscode.Uri.joinPath(folder, suffix === 1 ? fileName : `${base}-${suffix}.yaml`);
    try {
      await vscode.workspace.fs.stat(candidate);
    } catch {
      return candidate;
    }
  }
}

/** Writes a new Sentinel hunting-query YAML file for a hunt and opens it. */
async function newHuntingQueryCommand(preset: Partial<InsertHuntChoice> = {}): Promise<void> {
  if (!client) return;
  const choice = await chooseHunt({ withExclusions: true, ...preset });
  if (!choice) return;
  const result = await client.sendRequest<{ text: string; fileName: string } | CommandResult>('workspace/executeCommand', {
    command: SERVER_COMMANDS.huntingQueryYaml,
    arguments: [choice],
  });
  if (!('text' in result)) {
    void vscode.window.showWarningMessage(`KQL Hunt: ${result.message ?? 'the hunting query was not created.'}`);
    return;
  }

  const active = vscode.window.activeTextEditor?.document.uri;
  const folder = (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: result.text });
    await vscode.window.showTextDocument(document);
    return;
  }
  const target = await freeFileUri(active ? vscode.Uri.joinPath(active, '..') : folder.uri, result.fileName);
  await vscode.workspace.fs.writeFile(target, Buffer.from(result.text, 'utf8'));
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(target));
}

async function addAllExclusionsCommand(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!client || !editor || !['kql', 'yaml', 'markdown'].includes(editor.document.languageId)) return;
  const result = await client.sendRequest<CommandResult>('workspace/executeCommand', {
    command: SERVER_COMMANDS.addAllExclusions,
    arguments: [{ uri: editor.document.uri.toString() }],
  });
  if (!result.applied && result.message) void vscode.window.showInformationMessage(`KQL Hunt: ${result.message}`);
}

function isHuntCopy(value: unknown): value is HuntCopy {
  return typeof value === 'object' && value !== null && typeof (value as HuntCopy).text === 'string' && typeof (value as HuntCopy).name === 'string';
}

async function copyHuntCommand(hunt?: HuntCopy): Promise<void> {
  let copy = hunt;
  if (!isHuntCopy(copy)) {
    const editor = vscode.window.activeTextEditor;
    if (!client || !editor || editor.document.languageId !== 'kql') {
      void vscode.window.showWarningMessage('KQL Hunt: open a .kql file and place the cursor in a hunt to copy it.');
      return;
    }
    const result = await client.sendRequest<HuntCopy | CommandResult>('workspace/executeCommand', {
      command: SERVER_COMMANDS.huntText,
      arguments: [{ uri: editor.document.uri.toString(), position: editor.selection.active }],
    });
    if (!isHuntCopy(result)) {
      void vscode.window.showWarningMessage(`KQL Hunt: ${result.message ?? 'no hunt at the cursor.'}`);
      return;
    }
    copy = result;
  }
  await vscode.env.clipboard.writeText(copy.text);
  vscode.window.setStatusBarMessage(`KQL Hunt: copied "${copy.name}"`, 3000);
}

async function formatHuntCommand(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!client || !editor || editor.document.languageId !== 'kql') return;
  const options = { tabSize: Number(editor.options.tabSize) || 4, insertSpaces: editor.options.insertSpaces !== false };
  const result = await client.sendRequest<CommandResult>('workspace/executeCommand', {
    command: SERVER_COMMANDS.formatHunt,
    arguments: [{ uri: editor.document.uri.toString(), position: editor.selection.active, options }],
  });
  if (!result.applied && result.message) void vscode.window.showInformationMessage(`KQL Hunt: ${result.message}`);
}
