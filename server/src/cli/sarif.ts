import type { Log, ReportingDescriptor, Result } from 'sarif';
import { describeRule } from '../engine/rules/ruleIndex';
import { LintFinding } from './findings';

const LEVELS: Record<LintFinding['severity'], Result.level> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

function ruleDescriptor(id: string): ReportingDescriptor {
  const known = describeRule(id);
  const summary = known?.summary ?? (/^KS\d+$/.test(id) ? `Kusto.Language diagnostic ${id}.` : `KQL Hunt finding ${id}.`);
  return {
    id,
    shortDescription: { text: summary },
    fullDescription: { text: summary },
    help: { text: `${summary} Suppress one occurrence with a \`// kql-hunt-disable-next-line ${id}\` comment on the line above.` },
    defaultConfiguration: known ? { level: LEVELS[known.severity] } : undefined,
  };
}

/** A SARIF 2.1.0 log of the findings; file paths are relative to the repository root. */
export function toSarif(findings: readonly LintFinding[], version: string): Log {
  const ids = [...new Set(findings.map((finding) => finding.code))].sort();
  const results: Result[] = findings.map((finding) => ({
    ruleId: finding.code,
    ruleIndex: ids.indexOf(finding.code),
    level: LEVELS[finding.severity],
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: finding.file.split('\\').join('/'), uriBaseId: '%SRCROOT%' },
          region: {
            startLine: finding.range.start.line + 1,
            startColumn: finding.range.start.character + 1,
            endLine: finding.range.end.line + 1,
            endColumn: finding.range.end.character + 1,
          },
        },
      },
    ],
  }));
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: { driver: { name: 'KQL Hunt', version, rules: ids.map(ruleDescriptor) } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}
