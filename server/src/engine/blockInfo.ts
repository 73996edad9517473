import { TextDocument } from 'vscode-languageserver-textdocument';
import { Position } from 'vscode-languageserver-types';
import { HuntEngine } from './engine';
import { requestedEnvironmentReason } from './embedded/types';
import { ENVIRONMENT_LABELS, Environment } from './schema/types';
import { Settings } from './settings';

export interface BlockEnvironment {
  environment: Environment | null;
  label: string | null;
  reason: string;
  lines: { start: number; end: number } | null;
}

/**
 * Returns the environment of the block at `position`, as its analysis decided it. A block that was not
 * analysed (too large, timed out) still has one when a setting or directive names it.
 */
export async function blockEnvironment(engine: HuntEngine, document: TextDocument, position: Position, settings: Settings): Promise<BlockEnvironment> {
  const located = engine.locate(document, position, settings);
  const block = located?.plan.block;
  if (!located || !block || block.text === '' || block.commentOnly) return { environment: null, label: null, reason: 'no query at the cursor', lines: null };

  const { plan, region } = located;
  const range = region.map.toDocumentRange(block.start, block.end);
  const lines = { start: document.positionAt(range.start).line, end: document.positionAt(range.end).line };
  const outcome = await engine.analyzeRegionBlock(region, block, plan.environmentRequest, settings, { priority: 'interactive' });
  if (outcome.status === 'analyzed') {
    const { environment, environmentReason } = outcome.analysis;
    return { environment, label: ENVIRONMENT_LABELS[environment], reason: environmentReason, lines };
  }
  if (plan.environmentRequest !== 'auto') {
    const environment = plan.environmentRequest;
    return { environment, label: ENVIRONMENT_LABELS[environment], reason: requestedEnvironmentReason(region, environment), lines };
  }
  return { environment: null, label: null, reason: 'the block was not analysed, so its environment is unknown', lines };
}
