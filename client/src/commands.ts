// The client's commands: the ones that need the editor's UI (quick picks, the cursor) and the
// ones that manage the server. The work itself is done by the server's commands.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CommandResult, HuntOption, InsertHuntArguments, SERVER_COMMANDS } from '../../server/src/protocol';

export interface InsertHuntChoice {
  /** Set name ("ThreatFox - Mirai") or family ("Mirai"). */
  set: string;
  table: string;
  withExclusions: boolean;
}

/** Arguments of `kqlHunt.insertHunt`; each one given skips its quick pick. */
export interface InsertHuntPreset {
  family?: string;
  set?: string;
  table?: string;
  withExclusions?: boolean;
}

const ENVIRONMENT_NAMES: Record<string, string> = { sentinel: 'Microsoft Sentinel', defender: 'Defender XDR' };

function executeServerCommand<T>(client: LanguageClient, command: string, ...args: unknown[]): Promise<T> {
  return client.sendRequest<T>('workspace/executeCommand', { command, arguments: args });
}

/**
 * Finds the KQL editor a command works on: the active one, else a visible one, because a
 * walkthrough page may have the focus. With `create`, it opens a new untitled KQL document
 * when there is neither.
 */
async function targetEditor(languageIds: readonly string[], create: boolean): Promise<vscode.TextEditor | undefined> {
  const isKql = (editor: vscode.TextEditor | undefined): editor is vscode.TextEditor => editor !== undefined && languageIds.includes(editor.document.languageId);
  const active = vscode.window.activeTextEditor;
  if (isKql(active)) return active;
  const visible = vscode.window.visibleTextEditors.find(isKql);
  if (visible) return vscode.window.showTextDocument(visible.document, visible.viewColumn);
  if (!create) return undefined;
  const document = await vscode.workspace.openTextDocument({ language: languageIds[0], content: '' });
  return vscode.window.showTextDocument(document);
}

/** Step 1 of Insert Hunt: the indicator set, shown by family. */
async function chooseSet(options: HuntOption[], preset: InsertHuntPreset): Promise<HuntOption | undefined> {
  const requested = preset.set ?? preset.family;
  if (requested) {
    const lower = requested.toLowerCase();
    return options.find((option) => option.set === requested || option.family.toLowerCase() === lower);
  }
  const picked = await vscode.window.showQuickPick(
    options.map((option) => ({ label: option.family, description: `${option.indicators} indicators from ${option.source}`, option })),
    { title: 'KQL Hunt: Insert Hunt (1/3)', placeHolder: 'Malware family to hunt for' },
  );
  return picked?.option;
}

/** Step 2: the table, with the environment it is usually hunted in. */
async function chooseTable(option: HuntOption, preset: InsertHuntPreset): Promise<string | undefined> {
  if (preset.table) return preset.table;
  const picked = await vscode.window.showQuickPick(
    option.tableDetails.map((detail) => ({ label: detail.table, description: ENVIRONMENT_NAMES[detail.environment] ?? detail.environment, detail: detail.title })),
    { title: 'KQL Hunt: Insert Hunt (2/3)', placeHolder: `Table to hunt ${option.family} in`, matchOnDescription: true },
  );
  return picked?.label;
}

/** Step 3: with or without the false-positive exclusions. */
async function chooseExclusions(preset: InsertHuntPreset): Promise<boolean | undefined> {
  if (preset.withExclusions !== undefined) return preset.withExclusions;
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'With exclusions', description: 'Leave out the known false-positive scenarios (tar backups, admin nc, rsync, nmap, cron updates)', value: true },
      { label: 'Without exclusions', description: 'Add them later from the warnings', value: false },
    ],
    { title: 'KQL Hunt: Insert Hunt (3/3)', placeHolder: 'Add the false-positive exclusions?' },
  );
  return picked?.value;
}

export async function chooseHunt(client: LanguageClient, preset: InsertHuntPreset): Promise<InsertHuntChoice | undefined> {
  const options = (await executeServerCommand<HuntOption[]>(client, SERVER_COMMANDS.huntOptions)) ?? [];
  if (options.length === 0) {
    void vscode.window.showWarningMessage('KQL Hunt: no loaded indicator set has addresses to hunt for. Check the indicator files in the settings, then run "KQL Hunt: Show Output" for load problems.');
    return undefined;
  }

  const option = await chooseSet(options, preset);
  if (!option) {
    const requested = preset.set ?? preset.family;
    if (requested) void vscode.window.showWarningMessage(`KQL Hunt: no loaded indicator set is named '${requested}'. Loaded: ${options.map((candidate) => candidate.set).join(', ')}.`);
    return undefined;
  }
  const table = await chooseTable(option, preset);
  if (!table) return undefined;
  const withExclusions = await chooseExclusions(preset);
  if (withExclusions === undefined) return undefined;
  return { set: option.set, table, withExclusions };
}

export async function insertHunt(client: LanguageClient, languageIds: readonly string[], preset: InsertHuntPreset = {}): Promise<CommandResult> {
  const editor = await targetEditor(languageIds, true);
  if (!editor) return { applied: false, message: 'No KQL editor could be opened.' };
  const choice = await chooseHunt(client, preset);
  if (!choice) return { applied: false, message: 'Cancelled.' };

  const args: InsertHuntArguments = { uri: editor.document.uri.toString(), ...choice, position: editor.selection.active };
  const result = await executeServerCommand<CommandResult>(client, SERVER_COMMANDS.insertHunt, args);
  if (!result.applied) void vscode.window.showWarningMessage(`KQL Hunt: ${result.message ?? 'the hunt was not inserted.'}`);
  return result;
}

export async function addAllExclusions(client: LanguageClient, languageIds: readonly string[]): Promise<CommandResult> {
  const editor = await targetEditor(languageIds, false);
  if (!editor) {
    void vscode.window.showWarningMessage('KQL Hunt: open a .kql file to add exclusions.');
    return { applied: false, message: 'No KQL editor is active.' };
  }
  const result = await executeServerCommand<CommandResult>(client, SERVER_COMMANDS.addAllExclusions, { uri: editor.document.uri.toString() });
  if (!result.applied && result.message) void vscode.window.showInformationMessage(`KQL Hunt: ${result.message}`);
  return result;
}

/** Replaces every defanged indicator in the strings of the active file with its refanged value. */
export async function refangFile(client: LanguageClient, languageIds: readonly string[]): Promise<CommandResult> {
  const editor = await targetEditor(languageIds, false);
  if (!editor) {
    void vscode.window.showWarningMessage('KQL Hunt: open a .kql file to refang its indicators.');
    return { applied: false, message: 'No KQL editor is active.' };
  }
  const result = await executeServerCommand<CommandResult>(client, SERVER_COMMANDS.refangFile, { uri: editor.document.uri.toString() });
  if (result.message) void vscode.window.showInformationMessage(`KQL Hunt: ${result.message}`);
  return result;
}

/** Reads the indicator, schema and function files again and reports what was loaded. */
export async function reloadWorkspaceFiles(client: LanguageClient): Promise<CommandResult> {
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'KQL Hunt: reloading intel and schemas' }, () =>
    executeServerCommand<CommandResult>(client, SERVER_COMMANDS.reload),
  );
  if (result.message) void vscode.window.showInformationMessage(`KQL Hunt: ${result.message}`);
  return result;
}

/** Opens the packaged example hunt as a new untitled document, so edits never touch the extension. */
export async function openExample(context: vscode.ExtensionContext): Promise<vscode.TextEditor> {
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, 'walkthrough', 'example-hunt.kql'));
  const document = await vscode.workspace.openTextDocument({ language: 'kql', content: new TextDecoder().decode(bytes) });
  return vscode.window.showTextDocument(document);
}
