import { AnalyzedBlock } from './documentAnalysis';
import { KqlEdit } from './embedded/types';
import { HuntEngine } from './engine';
import { planFilterInsertion } from './exclusionFix';
import { kqlName, kqlString } from './hunts/kqlText';
import { isDefanged, refang } from './intel/defang';
import { ListLiteral, StringLiteral } from './kusto/types';
import { IncompleteList, incompleteLists } from './rules/incompleteList';
import { indicatorLiterals } from './rules/indicatorLiterals';
import { UncheckedPorts, uncheckedPorts } from './rules/portUnchecked';
import { Settings } from './settings';

// The edits behind the quick fixes of the indicator rules. Each works on one analysed block and
// returns KQL edits in its region's offsets, which the code actions encode for the container
// (.kql file, YAML rule, Markdown fence).

/** Returns the defanged indicator literals of a block. */
export function defangedLiterals(engine: HuntEngine, analyzed: AnalyzedBlock): StringLiteral[] {
  if (analyzed.outcome.status !== 'analyzed') return [];
  return indicatorLiterals(analyzed.outcome.analysis, engine.intel)
    .filter(({ literal }) => isDefanged(literal.value))
    .map(({ literal }) => literal);
}

/** Replaces a literal with its refanged text, keeping its quotes and prefix. */
export function refangEdit(analyzed: AnalyzedBlock, literal: StringLiteral): KqlEdit {
  return { start: analyzed.block.start + literal.start, end: analyzed.block.start + literal.end, newText: refang(literal.raw) };
}

/** Writes a value the way the list's first item is quoted: `"..."`, `'...'`, `@"..."` or `@'...'`. */
export function quoteLike(example: string, value: string): string {
  if (example.startsWith('@"')) return `@"${value.replace(/"/g, '""')}"`;
  if (example.startsWith("@'")) return `@'${value.replace(/'/g, "''")}'`;
  if (example.startsWith("'")) return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return kqlString(value);
}

/**
 * Returns the text to put between two items of a list, so new items follow the list's layout.
 * That is `, ` on one line, or a comma, a line break and the indentation when each item has
 * its own line.
 */
export function itemSeparator(blockText: string, list: ListLiteral): string {
  const items = list.items;
  const last = items[items.length - 1];
  const between = items.length >= 2 ? blockText.slice(items[items.length - 2].end, last.start) : blockText.slice(list.inner.start, last.start);
  const lineBreak = /\r?\n/.exec(between)?.[0];
  if (!lineBreak) return items.length >= 2 && !between.includes('//') ? between : ', ';
  const indent = /[ \t]*$/.exec(between)![0];
  return `,${lineBreak}${indent}`;
}

/** Adds the missing values after the list's last item, in its quoting and layout. */
export function missingValuesEdit(analyzed: AnalyzedBlock, incomplete: IncompleteList): KqlEdit {
  const { list, missing } = incomplete;
  const last = list.items[list.items.length - 1];
  const separator = itemSeparator(analyzed.block.text, list);
  const text = missing.map((value) => `${separator}${quoteLike(list.items[0].raw, value)}`).join('');
  const offset = analyzed.block.start + last.end;
  return { start: offset, end: offset, newText: text };
}

export function incompleteListsOf(engine: HuntEngine, analyzed: AnalyzedBlock, settings: Settings): IncompleteList[] {
  if (analyzed.outcome.status !== 'analyzed') return [];
  return incompleteLists(engine.ruleContext(analyzed.block, analyzed.outcome.analysis, settings));
}

export function uncheckedPortsOf(engine: HuntEngine, analyzed: AnalyzedBlock, settings: Settings): UncheckedPorts[] {
  if (analyzed.outcome.status !== 'analyzed') return [];
  return uncheckedPorts(engine.ruleContext(analyzed.block, analyzed.outcome.analysis, settings));
}

/**
 * Adds `| where PortColumn in (ports)` where the block's query still has the port column, or
 * undefined when the block has no port column or no query to add it to.
 */
export function portConditionEdit(analyzed: AnalyzedBlock, unchecked: UncheckedPorts): KqlEdit | undefined {
  if (analyzed.outcome.status !== 'analyzed') return undefined;
  const query = analyzed.outcome.analysis.summary.query;
  if (!query) return undefined;
  const column = kqlName(unchecked.portColumn);
  const insertion = planFilterInsertion(analyzed.block.text, query, [unchecked.portColumn], [`| where ${column} in (${unchecked.ports.join(', ')})`]);
  const offset = analyzed.block.start + insertion.offset;
  return { start: offset, end: offset, newText: insertion.text };
}
