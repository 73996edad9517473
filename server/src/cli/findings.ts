import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-types';
import { Severity } from '../engine/kusto/types';

/** One finding of the linter, in the shape `--format json` prints. */
export interface LintFinding {
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: Severity;
  code: string;
  message: string;
}

const SEVERITY_NAMES: Record<DiagnosticSeverity, Severity> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'information',
  [DiagnosticSeverity.Hint]: 'hint',
};

export function toLintFinding(file: string, diagnostic: Diagnostic): LintFinding {
  return {
    file,
    range: diagnostic.range,
    severity: SEVERITY_NAMES[diagnostic.severity ?? DiagnosticSeverity.Error],
    code: String(diagnostic.code ?? ''),
    message: diagnostic.message,
  };
}

export interface LintSummary {
  files: number;
  /** Every finding, whether shown or not. */
  total: number;
  errors: number;
  warnings: number;
  others: number;
}

export function summarize(files: number, findings: readonly LintFinding[]): LintSummary {
  return {
    files,
    total: findings.length,
    errors: findings.filter((finding) => finding.severity === 'error').length,
    warnings: findings.filter((finding) => finding.severity === 'warning').length,
    others: findings.filter((finding) => finding.severity === 'information' || finding.severity === 'hint').length,
  };
}

export function formatText(findings: readonly LintFinding[], summary: LintSummary): string {
  const lines = findings.map(
    (finding) => `${finding.file}:${finding.range.start.line + 1}:${finding.range.start.character + 1}: ${finding.severity} ${finding.code}: ${finding.message}`,
  );
  const total = summary.total;
  const counts = `${summary.errors} error${summary.errors === 1 ? '' : 's'}, ${summary.warnings} warning${summary.warnings === 1 ? '' : 's'}, ${summary.others} other`;
  const hidden = total - findings.length;
  const shown = hidden > 0 ? `; ${hidden} not shown, because --quiet prints errors only` : '';
  lines.push(`${total} finding${total === 1 ? '' : 's'} (${counts}) in ${summary.files} file${summary.files === 1 ? '' : 's'}${shown}.`);
  return lines.join('\n');
}

/** Orders findings by file, then position, so each file reads top to bottom. */
export function sortFindings(findings: LintFinding[]): LintFinding[] {
  return findings.sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      a.code.localeCompare(b.code),
  );
}
