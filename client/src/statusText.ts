// Text and severity of the language status item, from the server's status and the block at
// the cursor. The module does not import vscode, so unit tests can run it.
import type { BlockInfo, ServerStatus } from '../../server/src/protocol';
import type { StatusItemState } from './api';

const SHORT_ENVIRONMENT: Record<string, string> = { sentinel: 'Sentinel', defender: 'Defender XDR' };

function describeIntel(status: ServerStatus): string {
  const families = status.families.length > 0 ? ` (${status.families.join(', ')})` : '';
  return `${status.indicators.toLocaleString('en-US')} indicators${families}`;
}

function describeAnalysis(status: ServerStatus): string {
  if (!status.lastAnalysis) return 'not analysed yet';
  const time = new Date(status.lastAnalysis).toLocaleTimeString();
  return `analysed ${time} in ${status.lastAnalysisMs} ms`;
}

/** Builds what the item shows from the server's status and the block at the cursor. */
export function statusItemState(status: ServerStatus | undefined, block: BlockInfo | undefined): StatusItemState {
  const environment = block?.environment ? SHORT_ENVIRONMENT[block.environment] : undefined;
  const text = environment ? `KQL: ${environment}` : 'KQL Hunt';
  if (!status) return { text, detail: 'starting the language server', severity: 'information', command: 'kqlHunt.showOutput' };

  const parts = [describeIntel(status), describeAnalysis(status)];
  if (!status.workspaceTrusted) parts.push('workspace files not loaded until the workspace is trusted');
  const problems = status.loadProblems.length;
  if (problems > 0) {
    parts.unshift(`${problems} file problem${problems === 1 ? '' : 's'}`);
    return { text: `$(warning) ${text}`, detail: parts.join(' · '), severity: 'warning', command: 'kqlHunt.showOutput' };
  }
  return { text, detail: parts.join(' · '), severity: 'information', command: 'kqlHunt.showOutput' };
}
