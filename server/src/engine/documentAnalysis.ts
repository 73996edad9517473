import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Block, splitBlocks, splitLines } from './blocks';
import { BlockAnalysis, EnvironmentRequest, Severity } from './kusto/types';
import { Finding } from './rules/types';
import { EnvironmentSetting, parseEnvironmentDirective } from './schema/environment';
import { parseSuppressions } from './suppression';

/** What became of one block: analysed, or skipped or failed with the reason as a finding. */
export type BlockOutcome =
  | { status: 'analyzed'; analysis: BlockAnalysis }
  | { status: 'empty' }
  | { status: 'skipped' | 'failed'; finding: Finding };

export interface AnalyzedBlock {
  block: Block;
  environmentRequest: EnvironmentRequest;
  outcome: BlockOutcome;
  /** Kusto's diagnostics and the rules' findings, after suppression comments. */
  findings: Finding[];
}

export interface DocumentAnalysis {
  uri: string;
  version: number;
  blocks: AnalyzedBlock[];
  diagnostics: Diagnostic[];
}

const LSP_SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toLspSeverity(severity: Severity): DiagnosticSeverity {
  return LSP_SEVERITY[severity];
}

export interface BlockPlan {
  block: Block;
  environmentRequest: EnvironmentRequest;
  /** Problems found while planning, such as an invalid directive. */
  findings: Finding[];
}

/**
 * Splits a document into blocks and decides each block's environment request. A directive in
 * a comment-only block applies to the rest of the file; one inside a query applies to that block.
 */
export function planBlocks(text: string, setting: EnvironmentSetting): BlockPlan[] {
  let fileLevel: EnvironmentSetting = setting;
  return splitBlocks(text).map((block) => {
    const findings: Finding[] = [];
    let blockLevel: EnvironmentSetting | undefined;
    for (const line of splitLines(block.text)) {
      const directive = parseEnvironmentDirective(line.text);
      if (directive === undefined) continue;
      if (directive === 'invalid') {
        findings.push({
          code: 'invalid-directive',
          severity: 'warning',
          message: 'Unknown environment in directive; use `// kql-hunt: environment=sentinel`, `defender` or `auto`.',
          start: line.start,
          end: line.end,
        });
        continue;
      }
      if (block.commentOnly) fileLevel = directive;
      else blockLevel = directive;
    }
    return { block, environmentRequest: blockLevel ?? fileLevel, findings };
  });
}

/** Drops findings silenced by suppression comments in their block. */
export function applySuppressions(block: Block, findings: Finding[]): Finding[] {
  if (!block.text.includes('kql-hunt-disable')) return findings;
  const suppressions = parseSuppressions(block.text);
  const lineStarts = splitLines(block.text).map((line) => line.start);
  const lineOf = (offset: number): number => {
    let line = 0;
    while (line + 1 < lineStarts.length && lineStarts[line + 1] <= offset) line++;
    return line;
  };
  return findings.filter((finding) => !suppressions.isSuppressed(finding.code, lineOf(finding.start)));
}

export function toDiagnostic(document: TextDocument, block: Block, finding: Finding): Diagnostic {
  const isKusto = /^KS\d+$/.test(finding.code);
  return {
    range: { start: document.positionAt(block.start + finding.start), end: document.positionAt(block.start + finding.end) },
    severity: LSP_SEVERITY[finding.severity],
    code: finding.code,
    source: isKusto ? 'Kusto' : 'KQL Hunt',
    message: finding.message,
  };
}
