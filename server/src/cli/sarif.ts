import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Artifact, Log, Region, ReportingDescriptor, Result } from 'sarif';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { describeRule, RULE_DESCRIPTIONS } from '../engine/rules/ruleIndex';
import { relativePath } from '../engine/workspace/files';
import { LintFinding } from './findings';

const LEVELS: Record<LintFinding['severity'], Result.level> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

const SOURCE_ROOT = '%SRCROOT%';

export interface SarifOptions {
  version: string;
  /** The repository root; artifact locations are relative to it. */
  root: string;
  /** The text of each file, by the path findings name it with, for regions' offsets and snippets. */
  texts: ReadonlyMap<string, string>;
}

function ruleDescriptor(id: string): ReportingDescriptor {
  const known = describeRule(id);
  if (known) {
    return {
      id,
      shortDescription: { text: known.summary },
      fullDescription: { text: known.help },
      help: { text: known.help, markdown: known.help },
      defaultConfiguration: { level: LEVELS[known.severity] },
      properties: { tags: [id.startsWith('sentinel/') || id.startsWith('yaml') ? 'sentinel' : 'kql'] },
    };
  }
  const summary = /^KS\d+$/.test(id) ? `Kusto.Language diagnostic ${id}.` : `KQL Hunt finding ${id}.`;
  const help = `${summary} The result's message tells what Kusto.Language found and, for unknown names, the closest known name. Suppress one occurrence with a \`// kql-hunt-disable-next-line ${id}\` comment on the line above it.`;
  return { id, shortDescription: { text: summary }, fullDescription: { text: help }, help: { text: help, markdown: help }, properties: { tags: ['kql'] } };
}

function sourceLanguage(uri: string): string {
  if (/\.ya?ml$/i.test(uri)) return 'yaml';
  if (/\.(md|markdown)$/i.test(uri)) return 'markdown';
  return 'kql';
}

/** Builds the region of a finding: lines and columns (1-based, UTF-16), offsets, and the text it covers. */
function region(finding: LintFinding, text: string | undefined): Region {
  const { start, end } = finding.range;
  const lines = { startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
  if (text === undefined) return lines;
  const document = TextDocument.create('file:///sarif', 'plaintext', 1, text);
  const charOffset = document.offsetAt(start);
  const charLength = document.offsetAt(end) - charOffset;
  return { ...lines, charOffset, charLength, snippet: { text: text.slice(charOffset, charOffset + charLength) } };
}

/**
 * Builds a SARIF 2.1.0 log of the findings. It describes every rule the product has, with help
 * text, and the Kusto codes found, and gives artifact locations relative to the repository root
 * (`%SRCROOT%`).
 */
export function toSarif(findings: readonly LintFinding[], options: SarifOptions): Log {
  const kustoCodes = [...new Set(findings.map((finding) => finding.code))].filter((code) => !describeRule(code)).sort();
  const ruleIds = [...RULE_DESCRIPTIONS.map((rule) => rule.id), ...kustoCodes];
  const artifactIndex = new Map<string, number>();
  const artifacts: Artifact[] = [];
  const uriOf = (file: string): string => relativePath(options.root, resolve(file));

  const results: Result[] = findings.map((finding) => {
    const uri = uriOf(finding.file);
    if (!artifactIndex.has(uri)) {
      artifactIndex.set(uri, artifacts.length);
      artifacts.push({ location: { uri, uriBaseId: SOURCE_ROOT }, sourceLanguage: sourceLanguage(uri) });
    }
    return {
      ruleId: finding.code,
      ruleIndex: ruleIds.indexOf(finding.code),
      level: LEVELS[finding.severity],
      message: { text: finding.message },
      locations: [{ physicalLocation: { artifactLocation: { uri, uriBaseId: SOURCE_ROOT, index: artifactIndex.get(uri) }, region: region(finding, options.texts.get(finding.file)) } }],
    };
  });

  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: { driver: { name: 'KQL Hunt', version: options.version, semanticVersion: options.version, rules: ruleIds.map(ruleDescriptor) } },
        originalUriBaseIds: { [SOURCE_ROOT]: { uri: pathToFileURL(options.root).href.replace(/\/?$/, '/') } },
        invocations: [{ executionSuccessful: true }],
        artifacts,
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}
