// Runs in code-server after the packaged .vsix was installed with --install-extension: checks
// that the installed extension (not the working tree) activates on a .kql file and analyses it.
import assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import { sep } from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'kql-hunt.kql-hunt';

function waitForKustoDiagnostics(uri: vscode.Uri): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve) => {
    const check = (): void => {
      const diagnostics = vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'Kusto');
      if (diagnostics.length === 0) return;
      subscription.dispose();
      resolve(diagnostics);
    };
    const subscription = vscode.languages.onDidChangeDiagnostics(check);
    check();
  });
}

export async function run(): Promise<void> {
  const extensionsDir = process.env.KQL_HUNT_E2E_EXTENSIONS_DIR;
  assert.ok(extensionsDir, 'KQL_HUNT_E2E_EXTENSIONS_DIR is not set');
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');

  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  assert.equal(extension.isActive, false, 'the extension activated before any KQL file was opened');
  assert.ok(realpathSync(extension.extensionPath).startsWith(realpathSync(extensionsDir) + sep), `the extension runs from ${extension.extensionPath}, not from the installed package`);

  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'example-hunt.kql'));
  await vscode.window.showTextDocument(document);
  const diagnostics = await waitForKustoDiagnostics(document.uri);
  assert.equal(extension.isActive, true);
  assert.match(diagnostics[0].message, /Did you mean 'DestinationPort'/);
  console.log(`installed package: ${EXTENSION_ID} ${extension.packageJSON.version} activated on ${document.uri.path} and reported ${diagnostics.length} Kusto diagnostic(s)`);
}
