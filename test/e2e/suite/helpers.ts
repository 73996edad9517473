// Helpers for the end-to-end suites: documents, diagnostics and the extension's API, all waited
// for through VS Code's own events.
import * as vscode from 'vscode';
import type { KqlHuntApi, StatusItemState } from '../../../client/src/api';

export const EXTENSION_ID = 'kql-hunt.kql-hunt';

export async function activateExtension(): Promise<KqlHuntApi> {
  const extension = vscode.extensions.getExtension<KqlHuntApi>(EXTENSION_ID);
  if (!extension) throw new Error(`Extension ${EXTENSION_ID} is not installed in this VS Code.`);
  const api = await extension.activate();
  await api.ready;
  return api;
}

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('The end-to-end tests need a workspace folder holding the example hunts.');
  return vscode.Uri.joinPath(folder.uri, name);
}

export async function openFile(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(name));
  return vscode.window.showTextDocument(document);
}

let untitledDocuments = 0;

/**
 * Opens a new untitled KQL document under a name no other test used. VS Code gives a new
 * untitled document the name of one just closed, and in code-server 4.139.1 the language server
 * then kept the closed document's text under that name (2 of 5 runs of the status item test).
 */
export async function openUntitled(content: string): Promise<vscode.TextEditor> {
  untitledDocuments++;
  const uri = vscode.Uri.from({ scheme: 'untitled', path: `/e2e-untitled-${untitledDocuments}.kql` });
  let document = await vscode.workspace.openTextDocument(uri);
  if (document.languageId !== 'kql') document = await vscode.languages.setTextDocumentLanguage(document, 'kql');
  const editor = await vscode.window.showTextDocument(document);
  if (content === '') return editor;

  const inserted = await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), content));
  if (!inserted) throw new Error(`Could not insert the test text into ${uri.toString()}.`);
  // The cursor stays at the start, where a document opened with this content would have it.
  editor.selection = new vscode.Selection(0, 0, 0, 0);
  return editor;
}

export function codesOf(diagnostics: readonly vscode.Diagnostic[]): string[] {
  return diagnostics.map((diagnostic) => String(typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code)).sort();
}

/** Resolves with the document's diagnostics as soon as they satisfy `predicate`, now or after a change. */
export function waitForDiagnostics(uri: vscode.Uri, predicate: (diagnostics: vscode.Diagnostic[]) => boolean): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (!predicate(diagnostics)) return false;
      subscription.dispose();
      resolve(diagnostics);
      return true;
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) check();
    });
    check();
  });
}

/** Resolves with the status item's state once it satisfies `predicate`, now or after an update. */
export function waitForStatusItem(api: KqlHuntApi, predicate: (state: StatusItemState) => boolean, timeoutMs = 30_000): Promise<StatusItemState> {
  return new Promise((resolve, reject) => {
    if (predicate(api.statusItem())) {
      resolve(api.statusItem());
      return;
    }
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`The status item did not reach the expected state in ${timeoutMs} ms; it shows ${JSON.stringify(api.statusItem())}.`));
    }, timeoutMs);
    const subscription = api.onDidUpdateStatusItem((state) => {
      if (!predicate(state)) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(state);
    });
  });
}

/** Returns the position of the first occurrence of `text` in the document, plus `offset` characters. */
export function positionOf(document: vscode.TextDocument, text: string, offset = 0): vscode.Position {
  const index = document.getText().indexOf(text);
  if (index === -1) throw new Error(`'${text}' is not in ${document.uri.toString()}`);
  return document.positionAt(index + offset);
}

export async function codeActionsAt(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, range);
  return actions.filter((action): action is vscode.CodeAction => 'edit' in action || 'kind' in action);
}

/** Places the cursor and scrolls it into view, as a user clicking there would. */
export function placeCursor(editor: vscode.TextEditor, position: vscode.Position): void {
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/** Closes every editor, discarding changes, so that no save dialog opens and the next test starts clean. */
export async function closeEditorsWithoutSaving(): Promise<void> {
  const openTabs = (): number => vscode.window.tabGroups.all.reduce((total, group) => total + group.tabs.length, 0);
  let remaining = openTabs();
  while (remaining > 0) {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    const now = openTabs();
    if (now >= remaining) throw new Error(`Closing editors stopped with ${now} tabs open.`);
    remaining = now;
  }
}
