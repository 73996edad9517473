// KQL Hunt: Scan Workspace resumes a paused workspace scan, or offers to turn the workspace scope
// on. KQL Hunt: Pause Workspace Scan pauses it: VS Code shows the scan's progress in the status
// bar, where it cannot be cancelled.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { PAUSE_SCAN_REQUEST, SCAN_WORKSPACE_REQUEST, ScanStatus } from '../../server/src/protocol';

const TURN_ON = 'Check the Workspace';

export async function scanWorkspace(client: LanguageClient): Promise<ScanStatus> {
  const status = await client.sendRequest<ScanStatus>(SCAN_WORKSPACE_REQUEST);
  if (status.state !== 'off') return status;
  const choice = await vscode.window.showInformationMessage('KQL Hunt checks open files only. Check every hunt file of the workspace in the background (kqlHunt.lint.scope: workspace)?', TURN_ON);
  if (choice === TURN_ON) await vscode.workspace.getConfiguration('kqlHunt').update('lint.scope', 'workspace', vscode.ConfigurationTarget.Workspace);
  return status;
}

export async function pauseScan(client: LanguageClient): Promise<ScanStatus> {
  const status = await client.sendRequest<ScanStatus>(PAUSE_SCAN_REQUEST);
  if (status.state === 'paused') vscode.window.setStatusBarMessage(`KQL Hunt: workspace scan paused at ${status.done}/${status.total} files; "Scan Workspace" resumes it`, 5000);
  return status;
}
