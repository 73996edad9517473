import { TextDocument } from 'vscode-languageserver-textdocument';
import { FormattingOptions, Position, Range, TextEdit } from 'vscode-languageserver-types';
import { Block, splitBlocks } from '../blocks';
import { BlockPlan, planBlocks } from '../documentAnalysis';
import { HuntEngine } from '../engine';
import { FormatOptions, FormatResult } from '../kusto/editingTypes';
import { Settings } from '../settings';
import { LruCache } from '../util/lru';

// Formatting through Kusto.Language's formatter, one hunt at a time. Only the text of each
// hunt is replaced, so the blank lines between hunts stay as they are and two hunts never merge.
// The formatter writes CRLF; its output gets the document's own line break.

export interface FormatOutcome {
  edits: TextEdit[];
  /** Hunts left as they were, with the reason, for the log. */
  skipped: { line: number; reason: string }[];
}

/** Formatted blocks kept per engine, so formatting on save re-formats only the edited hunts. */
const CACHE_SIZE = 5000;
const caches = new WeakMap<HuntEngine, LruCache<string, Promise<FormatResult>>>();

/** Formats one block's text in the worker, from the cache when the same text was formatted the same way. */
function formatText(engine: HuntEngine, text: string, options: FormatOptions): Promise<FormatResult> {
  let cache = caches.get(engine);
  if (!cache) {
    cache = new LruCache(CACHE_SIZE);
    caches.set(engine, cache);
  }
  const key = (value: string): string => `${options.indentationSize}\u0000${options.pipePlacement}\u0000${value}`;
  const cached = cache.get(key(text));
  if (cached) return cached;

  const pending = engine.worker.request<FormatResult>({ method: 'format', text, options }, { priority: 'interactive' });
  cache.set(key(text), pending);
  void pending.then(
    // The worker formats until the text stops changing, so its output formats to itself.
    (result) => {
      if (result.ok) cache.set(key(result.text), Promise.resolve(result));
    },
    () => cache.delete(key(text)),
  );
  return pending;
}

/** Returns the document's line break: the first one it uses, or LF for a one-line document. */
export function lineBreakOf(text: string): string {
  const match = /\r\n|\n|\r/.exec(text);
  return match ? match[0] : '\n';
}

/** Replaces leading runs of `size` spaces with tabs, for editors that indent with tabs. */
function indentWithTabs(text: string, size: number): string {
  return text.replace(/^( +)/gm, (spaces) => '\t'.repeat(Math.floor(spaces.length / size)) + ' '.repeat(spaces.length % size));
}

async function formatBlock(engine: HuntEngine, plan: BlockPlan, options: FormattingOptions, settings: Settings, lineBreak: string): Promise<{ text: string } | { reason: string }> {
  const block = plan.block;
  const limits = settings.analysis;
  if (block.text.length > limits.maxBlockLength) return { reason: 'it is longer than kqlHunt.analysis.maxBlockLength' };
  if (block.maxDepth > limits.maxNestingDepth) return { reason: 'it nests deeper than kqlHunt.analysis.maxNestingDepth' };

  const indentationSize = settings.formatting.indentationSize || options.tabSize || 4;
  let result: FormatResult;
  try {
    // The worker gets LF line breaks, so that a CRLF document shares the cache with its formatted output.
    result = await formatText(engine, block.text.replace(/\r\n?/g, '\n'), { indentationSize, pipePlacement: settings.formatting.pipePlacement });
  } catch (error) {
    return { reason: `the formatter failed (${(error as Error).message})` };
  }
  if (!result.ok) return { reason: result.reason };

  let text = result.text.replace(/\n/g, lineBreak);
  if (options.insertSpaces === false) text = indentWithTabs(text, indentationSize);
  // A formatted hunt must still be exactly one block, or the file's hunts would change.
  const reSplit = splitBlocks(text);
  if (reSplit.length !== 1 || reSplit[0].text !== text) return { reason: 'the formatted text would not stay one hunt' };
  return { text };
}

/** Formats the blocks that `select` picks, leaving every other character of the document alone. */
async function formatBlocks(engine: HuntEngine, document: TextDocument, options: FormattingOptions, settings: Settings, select: (block: Block) => boolean): Promise<FormatOutcome> {
  const text = document.getText();
  const lineBreak = lineBreakOf(text);
  const plans = planBlocks(text, settings.environment)
    .slice(0, settings.analysis.maxBlocks)
    .filter((plan) => !plan.block.commentOnly && select(plan.block));

  const results = await Promise.all(plans.map((plan) => formatBlock(engine, plan, options, settings, lineBreak)));
  const outcome: FormatOutcome = { edits: [], skipped: [] };
  plans.forEach((plan, index) => {
    const result = results[index];
    const block = plan.block;
    if ('reason' in result) {
      outcome.skipped.push({ line: block.startLine + 1, reason: result.reason });
      return;
    }
    if (result.text === block.text) return;
    outcome.edits.push(TextEdit.replace({ start: document.positionAt(block.start), end: document.positionAt(block.end) }, result.text));
  });
  return outcome;
}

export function formatDocument(engine: HuntEngine, document: TextDocument, options: FormattingOptions, settings: Settings): Promise<FormatOutcome> {
  return formatBlocks(engine, document, options, settings, () => true);
}

/** Formats every hunt the range touches as a whole, because Kusto's formatter works on complete queries. */
export function formatRange(engine: HuntEngine, document: TextDocument, range: Range, options: FormattingOptions, settings: Settings): Promise<FormatOutcome> {
  const start = document.offsetAt(range.start);
  const end = document.offsetAt(range.end);
  return formatBlocks(engine, document, options, settings, (block) => block.start <= end && start <= block.end);
}

export function formatHunt(engine: HuntEngine, document: TextDocument, position: Position, options: FormattingOptions, settings: Settings): Promise<FormatOutcome> {
  const offset = document.offsetAt(position);
  return formatBlocks(engine, document, options, settings, (block) => block.start <= offset && offset <= block.end);
}
