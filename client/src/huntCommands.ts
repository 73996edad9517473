// Client commands that work on one hunt of the active .kql file (Copy Hunt, Format Hunt) and
// the command that writes a new Sentinel hunting-query YAML file.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CommandResult, HuntCopy, HuntingQueryFile, SERVER_COMMANDS } from '../../server/src/protocol';
import { chooseHunt, InsertHuntPreset } from './commands';

function executeServerCommand<T>(client: LanguageClient, command: string, ...args: unknown[]): Promise<T> {
  return client.sendRequest<T>('workspace/executeCommand', { command, arguments: args });
}

function activeKqlEditor(): vscode.TextEditor | undefined {
  const editor = vscode.window.activeTextEditor;
  return editor?.document.languageId === 'kql' ? editor : undefined;
}

function isHuntCopy(value: unknown): value is HuntCopy {
  return typeof value === 'object' && value !== null && typeof (value as HuntCopy).text === 'string' && typeof (value as HuntCopy).name === 'string';
}

/** Copies a hunt for the portal: the one the code lens passes, or the one under the cursor. */
export async function copyHunt(client: LanguageClient, hunt?: HuntCopy): Promise<void> {
  let copy = hunt;
  if (!isHuntCopy(copy)) {
    const editor = activeKqlEditor();
    if (!editor) {
      void vscode.window.showWarningMessage('KQL Hunt: open a .kql file and place the cursor in a hunt to copy it.');
      return;
    }
    const result = await executeServerCommand<HuntCopy | CommandResult>(client, SERVER_COMMANDS.huntText, { uri: editor.document.uri.toString(), position: editor.selection.active });
    if (!isHuntCopy(result)) {
      void vscode.window.showWarningMessage(`KQL Hunt: ${result.message ?? 'no hunt at the cursor.'}`);
      return;
    }
    copy = result;
  }
  await vscode.env.clipboard.writeText(copy.text);
  vscode.window.setStatusBarMessage(`KQL Hunt: copied "${copy.name}"`, 3000);
}

export async function formatHunt(client: LanguageClient): Promise<void> {
  const editor = activeKqlEditor();
  if (!editor) return;
  const options = { tabSize: Number(editor.options.tabSize) || 4, insertSpaces: editor.options.insertSpaces !== false };
  const result = await executeServerCommand<CommandResult>(client, SERVER_COMMANDS.formatHunt, { uri: editor.document.uri.toString(), position: editor.selection.active, options });
  if (!result.applied && result.message) void vscode.window.showInformationMessage(`KQL Hunt: ${result.message}`);
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

/** Writes a new Sentinel hunting-query YAML file for a hunt, next to the active file, and opens it. */
export async function newHuntingQuery(client: LanguageClient, preset: InsertHuntPreset = {}): Promise<void> {
  const choice = await chooseHunt(client, { withExclusions: true, ...preset });
  if (!choice) return;
  const result = await executeServerCommand<HuntingQueryFile | CommandResult>(client, SERVER_COMMANDS.huntingQueryYaml, choice);
  if (!('text' in result) || typeof result.text !== 'string' || !('fileName' in result)) {
    void vscode.window.showWarningMessage(`KQL Hunt: ${(result as CommandResult).message ?? 'the hunting query was not created.'}`);
    return;
  }

  const active = vscode.window.activeTextEditor?.document.uri;
  const folder = (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: result.text });
    await vscode.window.showTextDocument(document);
    return;
  }
  const target = await freeFileUri(active && active.scheme === 'file' ? vscode.Uri.joinPath(active, '..') : folder.uri, result.fileName);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(result.text));
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(target));
}
