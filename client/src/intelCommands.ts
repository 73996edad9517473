// Client side of the indicator sources: Show Indicator Sets, and a one-time popup for a file
// that failed to load.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { INTEL_STATUS_REQUEST, IntelStatus } from '../../server/src/protocol';

/** Problems already shown in a popup, so each is shown once per session. */
const shownProblems = new Set<string>();

export function formatIntelStatus(status: IntelStatus): string {
  const lines = [`Indicator sets: ${status.indicators} indicators loaded${status.loading ? ' (still loading)' : ''}.`];
  for (const source of status.sources) {
    lines.push('', `${source.name}: ${source.state}${source.format ? `, ${source.format}` : ''}, ${source.indicators} indicators`);
    for (const set of source.sets) lines.push(`  ${set.name}: ${set.indicators}`);
    for (const problem of source.problems) lines.push(`  ${problem.file}${problem.line ? `:${problem.line}` : ''}: ${problem.severity}: ${problem.message}`);
  }
  for (const pattern of status.patterns) if (pattern.matches === 0) lines.push('', `The pattern ${pattern.pattern} matches no file.`);
  return lines.join('\n');
}

/** Writes every indicator source with its sets and problems to the output channel and shows it. */
export async function showIntelStatus(client: LanguageClient, output: vscode.LogOutputChannel): Promise<IntelStatus> {
  const status = await client.sendRequest<IntelStatus>(INTEL_STATUS_REQUEST);
  output.appendLine(formatIntelStatus(status));
  output.show(true);
  return status;
}

/** Tells the user once about an indicator file that failed to load: they can fix it. */
export function announceFileErrors(client: LanguageClient, output: vscode.LogOutputChannel, status: IntelStatus): void {
  for (const source of status.sources) {
    const problem = source.problems.find((candidate) => candidate.severity === 'error');
    if (!problem) continue;
    const key = `${problem.file}\u0000${problem.message}`;
    if (shownProblems.has(key)) continue;
    shownProblems.add(key);
    const where = `${problem.file}${problem.line ? `:${problem.line}` : ''}`;
    void vscode.window.showWarningMessage(`KQL Hunt: ${where}: ${problem.message}`, 'Show Indicator Sets').then((choice) => {
      if (choice) void showIntelStatus(client, output);
    });
  }
}
