import { TextDocument } from 'vscode-languageserver-textdocument';
import { Position } from 'vscode-languageserver-types';
import { Block, splitLines } from '../blocks';
import { BlockPlan, planBlocks } from '../documentAnalysis';
import { containerKind } from '../embedded/sources';
import type { HuntEngine } from '../engine';
import { Located } from '../locate';
import { Settings } from '../settings';

// Where a hunt's own text starts and what it is called. A block can begin with a file header
// (comment paragraphs before the first hunt belong to the block that follows them), so a hunt
// starts at the last comment paragraph directly above its code, and that paragraph names it.

/** KQL Hunt's own comments, which mean nothing to the Sentinel or Defender portal. */
const TOOL_COMMENT = /^\s*\/\/\s*kql-hunt[:-]/;
const TRAILING_TOOL_COMMENT = /\s*\/\/\s*kql-hunt-[^\r\n]*(\r\n|\n|\r|$)/;

export interface HuntLayout {
  plan: BlockPlan;
  /** Offset in the block's text where the hunt's own text starts. */
  start: number;
  /** The hunt's name from its header comment, with the comment line's span in the block's text. */
  comment?: { name: string; start: number; end: number };
  /** The block's first line of code, trimmed, with its span in the block's text. */
  firstCode?: { text: string; start: number; end: number };
}

function isComment(text: string): boolean {
  return text.trimStart().startsWith('//');
}

/** Returns a comment line's text as a name, or undefined for a tool comment or a rule such as `// ----`. */
function commentName(text: string): string | undefined {
  if (TOOL_COMMENT.test(text)) return undefined;
  const name = text.trim().replace(/^\/+/, '').trim();
  return /[\p{L}\p{N}]/u.test(name) ? name : undefined;
}

export function huntLayout(plan: BlockPlan): HuntLayout {
  const lines = splitLines(plan.block.text);
  let paragraphStart: number | undefined;
  let inParagraph = false;
  let codeIndex = lines.length;
  for (let index = 0; index < lines.length; index++) {
    const text = lines[index].text;
    if (text.trim() === '') {
      inParagraph = false;
      continue;
    }
    if (!isComment(text)) {
      codeIndex = index;
      break;
    }
    if (!inParagraph) paragraphStart = index;
    inParagraph = true;
  }

  const layout: HuntLayout = { plan, start: lines[paragraphStart ?? Math.min(codeIndex, lines.length - 1)].start };
  for (let index = paragraphStart ?? codeIndex; index < codeIndex; index++) {
    const name = commentName(lines[index].text);
    if (!name) continue;
    layout.comment = { name, start: lines[index].start, end: lines[index].end };
    break;
  }
  const code = lines[codeIndex];
  if (code) layout.firstCode = { text: code.text.trim(), start: code.start, end: code.end };
  return layout;
}

/** Lists the hunts of a document (blocks with code), up to the analysis block limit. */
export function documentHunts(text: string, settings: Settings): HuntLayout[] {
  return huntsOfPlans(planBlocks(text, settings.environment), settings);
}

/** Lists the hunts of a .kql document from the engine's current plan, which follows edits without splitting the whole text. */
export function planHunts(engine: HuntEngine, document: TextDocument, settings: Settings): HuntLayout[] {
  return huntsOfPlans(engine.planDocument(document, settings).regions[0]?.plans ?? [], settings);
}

function huntsOfPlans(plans: readonly BlockPlan[], settings: Settings): HuntLayout[] {
  return plans
    .slice(0, settings.analysis.maxBlocks)
    .filter((plan) => !plan.block.commentOnly)
    .map(huntLayout);
}

/** Returns the hunt's text for the portal, from its header comment on and without KQL Hunt's own comments. */
export function huntText(layout: HuntLayout): string {
  const own = layout.plan.block.text.slice(layout.start);
  const lines: string[] = [];
  for (const line of own.split(/(?<=\n)|(?<=\r)(?!\n)/)) {
    if (TOOL_COMMENT.test(line)) continue;
    // A trailing suppression comment goes, the code before it stays.
    lines.push(line.replace(TRAILING_TOOL_COMMENT, (_match, lineBreak: string) => lineBreak));
  }
  return lines.join('').replace(/(\r\n|\n|\r)$/, '');
}

/** Finds the hunt whose block contains the offset. */
export function huntAt(hunts: readonly HuntLayout[], offset: number): HuntLayout | undefined {
  return hunts.find((hunt) => hunt.plan.block.start <= offset && offset <= hunt.plan.block.end);
}

/** True when a block is within the limits under which Kusto.Language is asked about it. */
export function withinLimits(block: Block, settings: Settings): boolean {
  return block.text.length <= settings.analysis.maxBlockLength && block.maxDepth <= settings.analysis.maxNestingDepth;
}

/** The block under the cursor and the cursor's offset in it, unless there is none or it is over the limits. */
export function analysableBlockAt(engine: HuntEngine, document: TextDocument, position: Position, settings: Settings): Located | undefined {
  if (containerKind(document.uri, document.languageId) !== 'kql') return undefined;
  const located = engine.locate(document, position, settings);
  if (!located || located.plan.block.text === '' || !withinLimits(located.plan.block, settings)) return undefined;
  return located;
}
