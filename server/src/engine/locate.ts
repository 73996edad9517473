import { TextDocument } from 'vscode-languageserver-textdocument';
import { Position } from 'vscode-languageserver-types';
import { BlockPlan, planBlocks } from './documentAnalysis';
import { EnvironmentSetting } from './schema/environment';

export interface Located {
  plan: BlockPlan;
  /** Cursor offset relative to the block's text. */
  offset: number;
}

/**
 * The block under the cursor. A cursor between blocks gets an empty block at its position, so
 * completion there offers what a new query can start with.
 */
export function locateBlock(document: TextDocument, position: Position, setting: EnvironmentSetting): Located {
  const offset = document.offsetAt(position);
  const plans = planBlocks(document.getText(), setting);
  const plan = plans.find((candidate) => candidate.block.start <= offset && offset <= candidate.block.end);
  if (plan) return { plan, offset: offset - plan.block.start };

  const previous = [...plans].reverse().find((candidate) => candidate.block.end < offset);
  const line = position.line;
  return {
    plan: {
      block: { start: offset, end: offset, text: '', startLine: line, endLine: line, maxDepth: 0, commentOnly: false },
      environmentRequest: previous?.environmentRequest ?? setting,
      findings: [],
    },
    offset: 0,
  };
}
