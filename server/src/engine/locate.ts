import { TextDocument } from 'vscode-languageserver-textdocument';
import { Position } from 'vscode-languageserver-types';
import { BlockPlan, planBlocks } from './documentAnalysis';
import { EmbeddedSource, KqlRegion, regionEnvironment } from './embedded/types';
import { EnvironmentSetting } from './schema/environment';

export interface Located {
  region: KqlRegion;
  regionIndex: number;
  plan: BlockPlan;
  /** Cursor offset relative to the block's text. */
  offset: number;
}

/** A block that is the whole region, for a query that runs whole (a Sentinel rule's `query`). */
function wholeRegion(region: KqlRegion, kqlOffset: number, setting: EnvironmentSetting): Omit<Located, 'regionIndex'> {
  const planned = planBlocks(region.text, setting, true)[0];
  const text = region.text;
  const lines = text.split('\n');
  return {
    region,
    plan: {
      block: { start: 0, end: text.length, text, startLine: 0, endLine: lines.length - 1, maxDepth: planned?.block.maxDepth ?? 0, commentOnly: planned?.block.commentOnly ?? true },
      environmentRequest: planned?.environmentRequest ?? setting,
      findings: [],
    },
    offset: kqlOffset,
  };
}

/**
 * The block of a region under a KQL offset. A cursor between blocks gets an empty block at its
 * position, so completion there offers what a new query can start with.
 */
function blockInRegion(region: KqlRegion, kqlOffset: number, setting: EnvironmentSetting, planned?: BlockPlan[]): Omit<Located, 'regionIndex'> {
  if (!region.splitBlocks) return wholeRegion(region, kqlOffset, setting);
  const plans = planned ?? planBlocks(region.text, setting);
  const plan = plans.find((candidate) => candidate.block.start <= kqlOffset && kqlOffset <= candidate.block.end);
  if (plan) return { region, plan, offset: kqlOffset - plan.block.start };

  const previous = [...plans].reverse().find((candidate) => candidate.block.end < kqlOffset);
  const line = lineOf(region.text, kqlOffset);
  return {
    region,
    plan: {
      block: { start: kqlOffset, end: kqlOffset, text: '', startLine: line, endLine: line, maxDepth: 0, commentOnly: false },
      environmentRequest: previous?.environmentRequest ?? setting,
      findings: [],
    },
    offset: 0,
  };
}

/** Counts the line feeds before an offset, which gives its 0-based line. */
function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) line++;
  return line;
}

/**
 * Finds the KQL block under the cursor, or undefined when the cursor is not in KQL (YAML metadata,
 * Markdown prose). `plansOf` gives a region's blocks when the caller has planned them already.
 */
export function locateBlock(source: EmbeddedSource, document: TextDocument, position: Position, setting: EnvironmentSetting, plansOf?: (regionIndex: number) => BlockPlan[] | undefined): Located | undefined {
  const documentOffset = document.offsetAt(position);
  for (let regionIndex = 0; regionIndex < source.regions.length; regionIndex++) {
    const region = source.regions[regionIndex];
    const kqlOffset = region.map.toKql(documentOffset);
    if (kqlOffset === undefined) continue;
    return { ...blockInRegion(region, kqlOffset, regionEnvironment(region, setting), plansOf?.(regionIndex)), regionIndex };
  }
  return undefined;
}
