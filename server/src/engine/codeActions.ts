import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeAction, CodeActionKind, Diagnostic, Range, TextEdit } from 'vscode-languageserver-types';
import { AnalyzedBlock, DocumentAnalysis, toDiagnostic } from './documentAnalysis';
import { HuntEngine } from './engine';
import { exclusionColumns, renderExclusion, scenarioApplicability } from './hunts/exclusions';
import { planFilterInsertion } from './exclusionFix';
import { huntOptions, insertHunt } from './insertHunt';
import { MISSING_EXCLUSION } from './rules/missingExclusion';
import { Finding } from './rules/types';
import { Settings } from './settings';

export const SOURCE_INSERT_HUNT = `${CodeActionKind.Source}.kqlHunt.insertHunt`;
export const SOURCE_FIX_ALL = `${CodeActionKind.SourceFixAll}.kqlHunt`;

/** The tables offered as source actions; the Insert Hunt command offers every supported table. */
const SOURCE_ACTION_TABLES = ['CommonSecurityLog', 'DeviceNetworkEvents'];

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

function quickFixes(engine: HuntEngine, document: TextDocument, analyzed: AnalyzedBlock, range: Range, settings: Settings): CodeAction[] {
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

  for (const { finding, diagnostic } of inRange) {
    if (finding.replacement === undefined) continue;
    const edit = TextEdit.replace(diagnostic.range, finding.replacement);
    actions.push(action(`Change to '${finding.replacement}'`, CodeActionKind.QuickFix, uri, [edit], [diagnostic], true));
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

  for (const { finding, diagnostic } of inRange) actions.push(suppressionAction(document, analyzed, finding, diagnostic));
  return actions;
}

function sourceActions(engine: HuntEngine, document: TextDocument, range: Range, settings: Settings): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const option of huntOptions(engine)) {
    for (const table of option.tables.filter((candidate) => SOURCE_ACTION_TABLES.includes(candidate))) {
      for (const withExclusions of [false, true]) {
        const result = insertHunt(engine, document, settings, { set: option.set, table, withExclusions, position: range.start });
        if ('error' in result) continue;
        const title = `Insert hunt: ${option.set} over ${table}${withExclusions ? ' with exclusions' : ''}`;
        actions.push(action(title, SOURCE_INSERT_HUNT, document.uri, [result.edit]));
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
    for (const analyzed of analysis.blocks) actions.push(...quickFixes(engine, document, analyzed, range, settings));
  }
  if (wants(only, SOURCE_FIX_ALL)) {
    const edits = allExclusionEdits(engine, document, analysis, settings);
    if (edits.length > 0) actions.push(action('Add all missing exclusions in this file', SOURCE_FIX_ALL, document.uri, edits));
  }
  if (wants(only, SOURCE_INSERT_HUNT)) actions.push(...sourceActions(engine, document, range, settings));
  return actions;
}

