import { TextDocument } from 'vscode-languageserver-textdocument';
import { TextEdit } from 'vscode-languageserver-types';
import { AnalyzedBlock } from './documentAnalysis';
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
// returns document edits, so the code actions and the tests share them.

function literalRange(document: TextDocument, analyzed: AnalyzedBlock, literal: StringLiteral): TextEdit['range'] {
  return { start: document.positionAt(analyzed.block.start + literal.start), end: document.positionAt(analyzed.block.start + literal.end) };
}

/** Returns the defanged indicator literals of a block. */
export function defangedLiterals(engine: HuntEngine, analyzed: AnalyzedBlock): StringLiteral[] {
  if (analyzed.outcome.status !== 'analyzed') return [];
  return indicatorLiterals(analyzed.outcome.analysis, engine.intel)
    .filter(({ literal }) => isDefanged(literal.value))
    .map(({ literal }) => literal);
}

/** Replaces a literal with its refanged text, keeping its quotes and prefix. */
export function refangEdit(document: TextDocument, analyzed: AnalyzedBlock, literal: StringLiteral): TextEdit {
  return TextEdit.replace(literalRange(document, analyzed, literal), refang(literal.raw));
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
export function missingValuesEdit(document: TextDocument, analyzed: AnalyzedBlock, incomplete: IncompleteList): TextEdit {
  const { list, missing } = incomplete;
  const last = list.items[list.items.length - 1];
  const separator = itemSeparator(analyzed.block.text, list);
  const text = missing.map((value) => `${separator}${quoteLike(list.items[0].raw, value)}`).join('');
  return TextEdit.insert(document.positionAt(analyzed.block.start + last.end), text);
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
export function portConditionEdit(document: TextDocument, analyzed: AnalyzedBlock, unchecked: UncheckedPorts): TextEdit | undefined {
  if (analyzed.outcome.status !== 'analyzed') return undefined;
  const query = analyzed.outcome.analysis.summary.query;
  if (!query) return undefined;
  const column = kqlName(unchecked.portColumn);
  const insertion = planFilterInsertion(analyzed.block.text, query, [unchecked.portColumn], [`| where ${column} in (${unchecked.ports.join(', ')})`]);
  return TextEdit.insert(document.positionAt(analyzed.block.start + insertion.offset), insertion.text);
}
