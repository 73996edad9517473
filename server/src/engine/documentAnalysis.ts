import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Block, splitBlocks, splitLines } from './blocks';
import { ContainerKind } from './embedded/sources';
import { EmbeddedSource, KqlRegion, SourceProblem } from './embedded/types';
import { BlockAnalysis, EnvironmentRequest, Severity } from './kusto/types';
import type { BlockResult } from './documentCache';
import { Finding } from './rules/types';
import { MetadataFinding } from './sentinel/findings';
import { EnvironmentSetting, parseEnvironmentDirective } from './schema/environment';
import { parseSuppressions } from './suppression';

/** What became of one block: analysed, or skipped or failed with the reason as a finding. */
export type BlockOutcome =
  | { status: 'analyzed'; analysis: BlockAnalysis }
  | { status: 'empty' }
  | { status: 'skipped' | 'failed'; finding: Finding };

export interface AnalyzedBlock {
  /** The KQL region of the document the block belongs to, and its index in `source.regions`. */
  region: KqlRegion;
  regionIndex: number;
  /** Offsets of the block are relative to the region's text. */
  block: Block;
  environmentRequest: EnvironmentRequest;
  outcome: BlockOutcome;
  /** Kusto's diagnostics and the rules' findings, after suppression comments. */
  findings: Finding[];
  /** The cached result the findings come from, when the engine keeps one. */
  result?: BlockResult;
}

export interface DocumentAnalysis {
  uri: string;
  version: number;
  container: ContainerKind;
  /** The document's KQL regions and the problems of the document itself. */
  source: EmbeddedSource;
  blocks: AnalyzedBlock[];
  /** Findings of a Sentinel rule's metadata checks, with their quick fixes. */
  metadata: MetadataFinding[];
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

/** One block holding all of `text`, for a query that runs whole (a Sentinel rule's `query`). */
function wholeBlock(text: string): Block[] {
  const parts = splitBlocks(text);
  if (parts.length <= 1) return parts;
  const first = parts[0];
  const last = parts[parts.length - 1];
  return [
    {
      start: first.start,
      end: last.end,
      text: text.slice(first.start, last.end),
      startLine: first.startLine,
      endLine: last.endLine,
      maxDepth: Math.max(...parts.map((part) => part.maxDepth)),
      commentOnly: parts.every((part) => part.commentOnly),
    },
  ];
}

/**
 * Splits a document into blocks and decides each block's environment request. A directive in
 * a comment-only block applies to the rest of the file; one inside a query applies to that block.
 * With `whole`, the text is one query however many blank lines it has.
 */
export function planBlocks(text: string, setting: EnvironmentSetting, whole = false): BlockPlan[] {
  return planSplitBlocks(whole ? wholeBlock(text) : splitBlocks(text), setting);
}

/** Decides the environment request of blocks already split, in document order. */
export function planSplitBlocks(blocks: readonly Block[], setting: EnvironmentSetting): BlockPlan[] {
  let fileLevel: EnvironmentSetting = setting;
  return blocks.map((block) => {
    // Most blocks have no directive; this test keeps planning a long document cheap.
    if (!block.text.includes('kql-hunt:')) return { block, environmentRequest: fileLevel, findings: [] };
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

/** The document range of a block finding, mapped through its region. */
export function findingRange(document: TextDocument, region: KqlRegion, block: Block, finding: Pick<Finding, 'start' | 'end'>): Diagnostic['range'] {
  const span = region.map.toDocumentRange(block.start + finding.start, block.start + finding.end);
  return { start: document.positionAt(span.start), end: document.positionAt(span.end) };
}

export function toDiagnostic(document: TextDocument, region: KqlRegion, block: Block, finding: Finding): Diagnostic {
  return diagnosticAt(findingRange(document, region, block, finding), finding);
}

/** Converts a block finding into a diagnostic at a document range. */
export function diagnosticAt(range: Diagnostic['range'], finding: Finding): Diagnostic {
  const isKusto = /^KS\d+$/.test(finding.code);
  return {
    range,
    severity: LSP_SEVERITY[finding.severity],
    code: finding.code,
    source: isKusto ? 'Kusto' : 'KQL Hunt',
    message: finding.message,
  };
}

/** A diagnostic for a finding already in document offsets (a problem of the YAML or Markdown). */
export function documentDiagnostic(document: TextDocument, finding: SourceProblem): Diagnostic {
  return {
    range: { start: document.positionAt(finding.start), end: document.positionAt(finding.end) },
    severity: LSP_SEVERITY[finding.severity],
    code: finding.code,
    source: 'KQL Hunt',
    message: finding.message,
  };
}
