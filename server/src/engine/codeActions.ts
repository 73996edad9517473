import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeAction, CodeActionKind, Diagnostic, Range, TextEdit } from 'vscode-languageserver-types';
import { AnalyzedBlock, DocumentAnalysis, documentDiagnostic, toDiagnostic } from './documentAnalysis';
import { encodeRegionEdits } from './embedded/edits';
import { DocumentEdit, KqlEdit } from './embedded/types';
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

function toTextEdits(document: TextDocument, edits: readonly DocumentEdit[]): TextEdit[] {
  return edits.map((edit) => TextEdit.replace({ start: document.positionAt(edit.start), end: document.positionAt(edit.end) }, edit.newText));
}

/**
 * Converts KQL edits in one region of an analysed document to document edits, written the way
 * the container needs. Returns undefined when no edit of the container keeps it valid.
 */
export function regionEdits(document: TextDocument, analysis: DocumentAnalysis, regionIndex: number, edits: readonly KqlEdit[]): TextEdit[] | undefined {
  const encoded = encodeRegionEdits(analysis.container, document.getText(), analysis.source, regionIndex, edits);
  return encoded ? toTextEdits(document, encoded) : undefined;
}

/**
 * The KQL edit (in region offsets) that adds the exclusions of `scenarioIds` to one analysed
 * block, or undefined when the block's query shape is unknown.
 */
export function exclusionKqlEdit(engine: HuntEngine, analyzed: AnalyzedBlock, scenarioIds: readonly string[], settings: Settings): KqlEdit | undefined {
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
  const offset = analyzed.block.start + insertion.offset;
  return { start: offset, end: offset, newText: insertion.text };
}

function missingScenarios(analyzed: AnalyzedBlock): string[] {
  return analyzed.findings.filter((finding) => finding.code.startsWith(`${MISSING_EXCLUSION}/`)).map((finding) => finding.code.slice(MISSING_EXCLUSION.length + 1));
}

/** One WorkspaceEdit-ready list of edits adding every missing exclusion in the document. */
export function allExclusionEdits(engine: HuntEngine, document: TextDocument, analysis: DocumentAnalysis, settings: Settings): TextEdit[] {
  return documentEdits(document, analysis, (analyzed) => {
    const scenarios = missingScenarios(analyzed);
    const edit = scenarios.length > 0 ? exclusionKqlEdit(engine, analyzed, scenarios, settings) : undefined;
    return edit ? [edit] : [];
  });
}

function action(title: string, kind: string, uri: string, edits: TextEdit[], diagnostics?: Diagnostic[], isPreferred?: boolean): CodeAction {
  return { title, kind, diagnostics, isPreferred, edit: { changes: { [uri]: edits } } };
}

/** Inserts `// kql-hunt-disable-next-line CODE` above the finding's line of KQL. */
function suppressionEdit(analyzed: AnalyzedBlock, finding: Finding): KqlEdit {
  const text = analyzed.region.value;
  const offset = analyzed.block.start + finding.start;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const lineBreak = analyzed.block.text.includes('\r\n') ? '\r\n' : '\n';
  const at = lineStart + indent.length;
  return { start: at, end: at, newText: `// kql-hunt-disable-next-line ${finding.code}${lineBreak}${indent}` };
}

interface Candidate {
  title: string;
  edits: KqlEdit[];
  diagnostics: Diagnostic[];
  isPreferred?: boolean;
}

interface FindingInRange {
  finding: Finding;
  diagnostic: Diagnostic;
}

function kqlCandidates(engine: HuntEngine, analyzed: AnalyzedBlock, inRange: FindingInRange[], settings: Settings): Candidate[] {
  const candidates: Candidate[] = [];
  const missing = inRange.filter(({ finding }) => finding.code.startsWith(`${MISSING_EXCLUSION}/`));
  for (const { finding, diagnostic } of missing) {
    const scenarioId = finding.code.slice(MISSING_EXCLUSION.length + 1);
    const edit = exclusionKqlEdit(engine, analyzed, [scenarioId], settings);
    if (edit) candidates.push({ title: `Add exclusion for ${scenarioId}`, edits: [edit], diagnostics: [diagnostic], isPreferred: missing.length === 1 });
  }
  if (missing.length > 1) {
    const edit = exclusionKqlEdit(engine, analyzed, missingScenarios(analyzed), settings);
    if (edit) candidates.push({ title: 'Add all missing exclusions to this hunt', edits: [edit], diagnostics: missing.map(({ diagnostic }) => diagnostic), isPreferred: true });
  }

  for (const { finding, diagnostic } of inRange) {
    if (finding.replacement === undefined) continue;
    const edit = { start: analyzed.block.start + finding.start, end: analyzed.block.start + finding.end, newText: finding.replacement };
    candidates.push({ title: `Change to '${finding.replacement}'`, edits: [edit], diagnostics: [diagnostic], isPreferred: true });
  }

  if (analyzed.outcome.status === 'analyzed') {
    for (const diagnostic of analyzed.outcome.analysis.diagnostics) {
      if (!diagnostic.suggestion) continue;
      const match = inRange.find(({ finding }) => finding.code === diagnostic.code && finding.start === diagnostic.start);
      if (!match) continue;
      const edit = { start: analyzed.block.start + diagnostic.start, end: analyzed.block.start + diagnostic.end, newText: diagnostic.suggestion };
      candidates.push({ title: `Change to '${diagnostic.suggestion}'`, edits: [edit], diagnostics: [match.diagnostic], isPreferred: true });
    }
  }

  candidates.push(...indicatorCandidates(engine, analyzed, inRange, settings));
  for (const { finding, diagnostic } of inRange) candidates.push({ title: `Disable ${finding.code} for this line`, edits: [suppressionEdit(analyzed, finding)], diagnostics: [diagnostic] });
  return candidates;
}

function indicatorCandidates(engine: HuntEngine, analyzed: AnalyzedBlock, inRange: FindingInRange[], settings: Settings): Candidate[] {
  const candidates: Candidate[] = [];
  const find = (code: string, start: number): FindingInRange | undefined => inRange.find(({ finding }) => finding.code === code && finding.start === start);

  for (const literal of defangedLiterals(engine, analyzed)) {
    const match = find(DEFANGED_INDICATOR, literal.start);
    if (match) candidates.push({ title: `Refang ${literal.raw}`, edits: [refangEdit(analyzed, literal)], diagnostics: [match.diagnostic], isPreferred: true });
  }

  for (const incomplete of incompleteListsOf(engine, analyzed, settings)) {
    const match = find(INCOMPLETE_INDICATOR_LIST, incomplete.list.start);
    if (!match) continue;
    const count = incomplete.missing.length;
    const title = `Add the ${count} missing ${kindLabel(incomplete.kind, count)} of ${setName(incomplete.set)}`;
    candidates.push({ title, edits: [missingValuesEdit(analyzed, incomplete)], diagnostics: [match.diagnostic], isPreferred: true });
  }

  for (const unchecked of uncheckedPortsOf(engine, analyzed, settings)) {
    const match = find(PORT_UNCHECKED, unchecked.span.start);
    const edit = match ? portConditionEdit(analyzed, unchecked) : undefined;
    if (match && edit) candidates.push({ title: `Add a ${unchecked.portColumn} condition for the ports of ${setName(unchecked.set)}`, edits: [edit], diagnostics: [match.diagnostic], isPreferred: true });
  }
  return candidates;
}

function quickFixes(engine: HuntEngine, document: TextDocument, analysis: DocumentAnalysis, analyzed: AnalyzedBlock, range: Range, settings: Settings): CodeAction[] {
  const inRange = analyzed.findings
    .map((finding) => ({ finding, diagnostic: toDiagnostic(document, analyzed.region, analyzed.block, finding) }))
    .filter(({ diagnostic }) => overlaps(diagnostic.range, range));
  const actions: CodeAction[] = [];
  for (const candidate of kqlCandidates(engine, analyzed, inRange, settings)) {
    const edits = regionEdits(document, analysis, analyzed.regionIndex, candidate.edits);
    if (edits) actions.push(action(candidate.title, CodeActionKind.QuickFix, document.uri, edits, candidate.diagnostics, candidate.isPreferred));
  }

  const defanged = inRange.filter(({ finding }) => finding.code === DEFANGED_INDICATOR);
  if (defanged.length > 0) {
    const edits = allRefangEdits(engine, document, analysis);
    if (edits.length > 1) actions.push(action('Refang all defanged indicators in this file', CodeActionKind.QuickFix, document.uri, edits, defanged.map(({ diagnostic }) => diagnostic)));
  }
  return actions;
}

/** Whether a document offset lies inside one of the document's KQL regions. */
function inKql(analysis: DocumentAnalysis, offset: number): boolean {
  return analysis.source.regions.some((region) => region.map.docStart <= offset && offset <= region.map.docEnd);
}

/** Quick fixes of a rule's metadata findings, and a `# kql-hunt-disable-next-line` comment for each. */
function metadataFixes(document: TextDocument, analysis: DocumentAnalysis, range: Range): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const finding of analysis.metadata) {
    const diagnostic = documentDiagnostic(document, finding);
    if (!overlaps(diagnostic.range, range)) continue;
    if (finding.fix) actions.push(action(finding.fix.title, CodeActionKind.QuickFix, document.uri, toTextEdits(document, finding.fix.edits), [diagnostic], true));
    if (inKql(analysis, finding.start)) continue;

    const line = diagnostic.range.start.line;
    const lineText = document.getText({ start: { line, character: 0 }, end: { line, character: Number.MAX_SAFE_INTEGER } });
    const indent = /^[ \t]*/.exec(lineText)![0];
    const lineBreak = document.getText().includes('\r\n') ? '\r\n' : '\n';
    const edit = TextEdit.insert({ line, character: 0 }, `${indent}# kql-hunt-disable-next-line ${finding.code}${lineBreak}`);
    actions.push(action(`Disable ${finding.code} for this line`, CodeActionKind.QuickFix, document.uri, [edit], [diagnostic]));
  }
  return actions;
}

/** Edits of one kind for the whole document, grouped by region and encoded for the container. */
function documentEdits(document: TextDocument, analysis: DocumentAnalysis, editsOf: (analyzed: AnalyzedBlock) => KqlEdit[]): TextEdit[] {
  const byRegion = new Map<number, KqlEdit[]>();
  for (const analyzed of analysis.blocks) {
    const edits = editsOf(analyzed);
    if (edits.length === 0) continue;
    byRegion.set(analyzed.regionIndex, [...(byRegion.get(analyzed.regionIndex) ?? []), ...edits]);
  }
  return [...byRegion].flatMap(([regionIndex, edits]) => regionEdits(document, analysis, regionIndex, edits) ?? []);
}

/** Refang edits for every defanged indicator of the document. */
export function allRefangEdits(engine: HuntEngine, document: TextDocument, analysis: DocumentAnalysis): TextEdit[] {
  return documentEdits(document, analysis, (analyzed) => defangedLiterals(engine, analyzed).map((literal) => refangEdit(analyzed, literal)));
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
    actions.push(...metadataFixes(document, analysis, range));
  }
  if (wants(only, SOURCE_FIX_ALL)) {
    const edits = allExclusionEdits(engine, document, analysis, settings);
    if (edits.length > 0) actions.push(action('Add all missing exclusions in this file', SOURCE_FIX_ALL, document.uri, edits));
    const refangs = allRefangEdits(engine, document, analysis);
    if (refangs.length > 0) actions.push(action('Refang all defanged indicators in this file', SOURCE_FIX_ALL, document.uri, refangs));
  }
  // One action per loaded set and table can run into thousands with a full export loaded, so
  // they are listed only when the client asks for source actions by kind.
  if (only && wants(only, SOURCE_INSERT_HUNT) && analysis.container === 'kql') actions.push(...sourceActions(engine, document, range));
  return actions;
}

