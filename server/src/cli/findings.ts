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
  errors: number;
  warnings: number;
  others: number;
}

export function summarize(files: number, findings: readonly LintFinding[]): LintSummary {
  return {
    files,
    errors: findings.filter((finding) => finding.severity === 'error').length,
    warnings: findings.filter((finding) => finding.severity === 'warning').length,
    others: findings.filter((finding) => finding.severity === 'information' || finding.severity === 'hint').length,
  };
}

export function formatText(findings: readonly LintFinding[], summary: LintSummary): string {
  const lines = findings.map(
    (finding) => `${finding.file}:${finding.range.start.line + 1}:${finding.range.start.character + 1}: ${finding.severity} ${finding.code}: ${finding.message}`,
  );
  const total = findings.length;
  const counts = `${summary.errors} error${summary.errors === 1 ? '' : 's'}, ${summary.warnings} warning${summary.warnings === 1 ? '' : 's'}, ${summary.others} other`;
  lines.push(`${total} finding${total === 1 ? '' : 's'} (${counts}) in ${summary.files} file${summary.files === 1 ? '' : 's'}.`);
  return lines.join('\n');
}
