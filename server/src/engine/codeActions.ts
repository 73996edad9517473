import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeAction, CodeActionKind, Diagnostic, Range, TextEdit } from 'vscode-languageserver-types';
import { AnalyzedBlock, DocumentAnalysis, toDiagnostic } from './documentAnalysis';
import { HuntEngine } from './engine';
import { exclusionColumns, renderExclusion, scenarioApplicability } from './hunts/exclusions';
import { planFilterInsertion } from './exclusionFix';
import { defangedLiterals, incompleteListsOf, missingValuesEdit, portConditionEdit, refangEdit, uncheckedPortsOf } from './indicatorFixes';
import { huntOptions } from './insertHunt';
import { kindLabel } from './intel/huntValues';
import { setName } from './intel/model';
import { DEFANGED_INDICATOR } from './rules/defangedIndicator';
import { INCOMPLETE_INDICATOR_LIST } from './rules/incompleteList';
import { MISSING_EXCLUSION } from './rules/missingExclusion';
import { PORT_UNCHECKED } from './rules/portUnchecked';
import { Finding } from './rules/types';
import { Settings } from './settings';

export const SOURCE_INSERT_HUNT = `${CodeActionKind.Source}.kqlHunt.insertHunt`;
export const SOURCE_FIX_ALL = `${CodeActionKind.SourceFixAll}.kqlHunt`;


/** The server command that source actions run to insert a hunt (see features/commands.ts). */
export const INSERT_HUNT_COMMAND = 'kqlHunt.server.insertHunt';

function overlaps(a: Range, b: Range): boolean {
  const before = (x: Range['start'], y: Range['start']): boolean => x.line < y.line || (x.line === y.line && x.character < y.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/**
 * The edit that adds the exclusions of `scenarioIds` to one analysed block, or undefined when
 * the block's query shape is unknown.
 */
export function exclusionEdit(engine: HuntEngine, document: TextDocument, analyzed: AnalyzedBlock, scenarioIds: readonly string[], settings: Settings): TextEdit | undefined {
  if (analyzed.outcome.status !== 'analyzed') return undefined;
  const { summary, environment } = analyzed.outcome.analysis;
  if (!summary.query) return undefined;
  const table = summary.tables.find((reference) => analyzed.findings.some((finding) => finding.start === reference.start && finding.code.startsWith(MISSING_EXCLUSION)));
  if (!table) return undefined;

  const applicable = scenarioApplicability(table.name, environment, engine.catalog, settings).filter(
    (applicability) => !applicability.reason && scenarioIds.includes(applicability.scenario.id),
  );
  if (applicable.length === 0) return undefined;

  const lines = applicable.map((applicability) => `| where ${renderExclusion(applicability.scenario, applicability.columns, settings)}`);
  const columns = [...new Set(applicable.flatMap(exclusionColumns))];
  const insertion = planFilterInsertion(analyzed.block.text, summary.query, columns, lines);
  return TextEdit.insert(document.positionAt(analyzed.block.start + insertion.offset), insertion.text);
}

function missingScenarios(analyzed: AnalyzedBlock): string[] {
  return analyzed.findings.filter((finding) => finding.code.startsWith(`${MISSING_EXCLUSION}/`)).map((finding) => finding.code.slice(MISSING_EXCLUSION.length + 1));
}

/** One WorkspaceEdit-ready list of edits adding every missing exclusion in the document. */
export function allExclusionEdits(engine: HuntEngine, document: TextDocument, analysis: DocumentAnalysis, settings: Settings): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const analyzed of analysis.blocks) {
    const scenarios = missingScenarios(analyzed);
    const edit = scenarios.length > 0 ? exclusionEdit(engine, document, analyzed, scenarios, settings) : undefined;
    if (edit) edits.push(edit);
  }
  return edits;
}

function action(title: string, kind: string, uri: string, edits: TextEdit[], diagnostics?: Diagnostic[], isPreferred?: boolean): CodeAction {
  return { title, kind, diagnostics, isPreferred, edit: { changes: { [uri]: edits } } };
}

function suppressionAction(document: TextDocument, analyzed: AnalyzedBlock, finding: Finding, diagnostic: Diagnostic): CodeAction {
  const line = diagnostic.range.start.line;
  const lineText = document.getText({ start: { line, character: 0 }, end: { line, character: Number.MAX_SAFE_INTEGER } });
  const indent = /^[ \t]*/.exec(lineText)![0];
  const lineBreak = analyzed.block.text.includes('\r\n') ? '\r\n' : '\n';
  const edit = TextEdit.insert({ line, character: 0 }, `${indent}// kql-hunt-disable-next-line ${finding.code}${lineBreak}`);
  return action(`Disable ${finding.code} for this line`, CodeActionKind.QuickFix, document.uri, [edit], [diagnostic]);
}

function quickFixes(engine: HuntEngine, document: TextDocument, analysis: DocumentAnalysis, analyzed: AnalyzedBlock, range: Range, settings: Settings): CodeAction[] {
  const actions: CodeAction[] = [];
  const uri = document.uri;
  const inRange = analyzed.findings
    .map((finding) => ({ finding, diagnostic: toDiagnostic(document, analyzed.block, finding) }))
    .filter(({ diagnostic }) => overlaps(diagnostic.range, range));

  const missing = inRange.filter(({ finding }) => finding.code.startsWith(`${MISSING_EXCLUSION}/`));
  for (const { finding, diagnostic } of missing) {
    const scenarioId = finding.code.slice(MISSING_EXCLUSION.length + 1);
    const edit = exclusionEdit(engine, document, analyzed, [scenarioId], settings);
    if (edit) actions.push(action(`Add exclusion for ${scenarioId}`, CodeActionKind.QuickFix, uri, [edit], [diagnostic], missing.length === 1));
  }
  if (missing.length > 1) {
    const all = missingScenarios(analyzed);
    const edit = exclusionEdit(engine, document, analyzed, all, settings);
    if (edit) actions.push(action('Add all missing exclusions to this hunt', CodeActionKind.QuickFix, uri, [edit], missing.map(({ diagnostic }) => diagnostic), true));
  }

  if (analyzed.outcome.status === 'analyzed') {
    for (const diagnostic of analyzed.outcome.analysis.diagnostics) {
      if (!diagnostic.suggestion) continue;
      const match = inRange.find(({ finding }) => finding.code === diagnostic.code && finding.start === diagnostic.start);
      if (!match) continue;
      const edit = TextEdit.replace(match.diagnostic.range, diagnostic.suggestion);
      actions.push(action(`Change to '${diagnostic.suggestion}'`, CodeActionKind.QuickFix, uri, [edit], [match.diagnostic], true));
    }
  }

  actions.push(...indicatorFixes(engine, document, analysis, analyzed, inRange, settings));
  for (const { finding, diagnostic } of inRange) actions.push(suppressionAction(document, analyzed, finding, diagnostic));
  return actions;
}

interface FindingInRange {
  finding: Finding;
  diagnostic: Diagnostic;
}

/** Refang edits for every defanged indicator of the document. */
export function allRefangEdits(engine: HuntEngine, document: TextDocument, analysis: DocumentAnalysis): TextEdit[] {
  return analysis.blocks.flatMap((analyzed) => defangedLiterals(engine, analyzed).map((literal) => refangEdit(document, analyzed, literal)));
}

function indicatorFixes(engine: HuntEngine, document: TextDocument, analysis: DocumentAnalysis, analyzed: AnalyzedBlock, inRange: FindingInRange[], settings: Settings): CodeAction[] {
  const actions: CodeAction[] = [];
  const uri = document.uri;
  const find = (code: string, start: number): FindingInRange | undefined => inRange.find(({ finding }) => finding.code === code && finding.start === start);

  for (const literal of defangedLiterals(engine, analyzed)) {
    const match = find(DEFANGED_INDICATOR, literal.start);
    if (match) actions.push(action(`Refang ${literal.raw}`, CodeActionKind.QuickFix, uri, [refangEdit(document, analyzed, literal)], [match.diagnostic], true));
  }
  if (inRange.some(({ finding }) => finding.code === DEFANGED_INDICATOR)) {
    const edits = allRefangEdits(engine, document, analysis);
    const diagnostics = inRange.filter(({ finding }) => finding.code === DEFANGED_INDICATOR).map(({ diagnostic }) => diagnostic);
    if (edits.length > 1) actions.push(action('Refang all defanged indicators in this file', CodeActionKind.QuickFix, uri, edits, diagnostics));
  }

  for (const incomplete of incompleteListsOf(engine, analyzed, settings)) {
    const match = find(INCOMPLETE_INDICATOR_LIST, incomplete.list.start);
    if (!match) continue;
    const count = incomplete.missing.length;
    const title = `Add the ${count} missing ${kindLabel(incomplete.kind, count)} of ${setName(incomplete.set)}`;
    actions.push(action(title, CodeActionKind.QuickFix, uri, [missingValuesEdit(document, analyzed, incomplete)], [match.diagnostic], true));
  }

  for (const unchecked of uncheckedPortsOf(engine, analyzed, settings)) {
    const match = find(PORT_UNCHECKED, unchecked.span.start);
    const edit = match ? portConditionEdit(document, analyzed, unchecked) : undefined;
    if (match && edit) actions.push(action(`Add a ${unchecked.portColumn} condition for the ports of ${setName(unchecked.set)}`, CodeActionKind.QuickFix, uri, [edit], [match.diagnostic], true));
  }
  return actions;
}

/**
 * An insert-hunt source action for every loaded set over every table its hunts support. Each
 * runs the insert-hunt command, so the hunt text is written only for the one that is chosen.
 */
function sourceActions(engine: HuntEngine, document: TextDocument, range: Range): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const option of huntOptions(engine)) {
    for (const table of option.tables) {
      const variants = option.tablesWithExclusions.includes(table) ? [false, true] : [false];
      for (const withExclusions of variants) {
        const title = `Insert hunt: ${option.set} over ${table}${withExclusions ? ' with exclusions' : ''}`;
        const args = { uri: document.uri, set: option.set, table, withExclusions, position: range.start };
        actions.push({ title, kind: SOURCE_INSERT_HUNT, command: { title, command: INSERT_HUNT_COMMAND, arguments: [args] } });
      }
    }
  }
  return actions;
}

function wants(only: readonly string[] | undefined, kind: string): boolean {
  return !only || only.some((requested) => kind === requested || kind.startsWith(`${requested}.`));
}

/** Quick fixes for the findings in `range`, the fix-all action, and the insert-hunt source actions. */
export async function codeActions(engine: HuntEngine, document: TextDocument, range: Range, settings: Settings, only?: readonly string[]): Promise<CodeAction[]> {
  const analysis = await engine.analyzeDocument(document, settings);
  const actions: CodeAction[] = [];

  if (wants(only, CodeActionKind.QuickFix)) {
    for (const analyzed of analysis.blocks) actions.push(...quickFixes(engine, document, analysis, analyzed, range, settings));
  }
  if (wants(only, SOURCE_FIX_ALL)) {
    const edits = allExclusionEdits(engine, document, analysis, settings);
    if (edits.length > 0) actions.push(action('Add all missing exclusions in this file', SOURCE_FIX_ALL, document.uri, edits));
    const refangs = allRefangEdits(engine, document, analysis);
    if (refangs.length > 0) actions.push(action('Refang all defanged indicators in this file', SOURCE_FIX_ALL, document.uri, refangs));
  }
  // One action per loaded set and table can run into thousands with a full export loaded, so
  // they are listed only when the client asks for source actions by kind.
  if (only && wants(only, SOURCE_INSERT_HUNT)) actions.push(...sourceActions(engine, document, range));
  return actions;
}

