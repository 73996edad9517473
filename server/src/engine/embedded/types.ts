import type { Document, LineCounter, YAMLMap } from 'yaml';
import { BlockAnalysis, REQUESTED_ENVIRONMENT_REASON, Severity, TextSpan } from '../kusto/types';
import { EnvironmentSetting } from '../schema/environment';
import { Environment } from '../schema/types';
import { OffsetMap } from './offsetMap';

// KQL embedded in other documents. A source document (a .kql file, a Sentinel rule in YAML, a
// Markdown file with KQL fences) yields KQL regions; each region has the KQL text as its parser
// resolved it and an offset map back to the document, so that analysis, completion, hover and
// code actions work on the KQL and report positions in the document.

export type SourceKind = 'kql' | 'sentinel-yaml' | 'markdown' | 'other';

/** An edit in a region's KQL text (offsets into `KqlRegion.value`). */
export interface KqlEdit {
  start: number;
  end: number;
  newText: string;
}

/** An edit in the document text (offsets into the document). */
export interface DocumentEdit {
  start: number;
  end: number;
  newText: string;
}

export interface KqlRegion {
  /** The KQL as the document holds it, after the container's quoting and indentation are resolved. */
  value: string;
  /** The text that is analysed: `value` with template placeholders made parseable (same length). */
  text: string;
  map: OffsetMap;
  /** True when the region may hold several queries separated by blank lines (a Markdown fence). */
  splitBlocks: boolean;
  /**
   * The environment the container always runs its query in, which takes the place of `auto`:
   * Microsoft Sentinel for a Sentinel rule. A directive in the query still wins.
   */
  environment?: Environment;
  /** The reason `environment` applies, shown where a block's environment is explained. */
  environmentReason?: string;
  /** Template placeholders (`{{StartTimeISO}}`) in `value`; findings on them are dropped. */
  placeholders: TextSpan[];
  /**
   * Candidate document edits, best first, that each make the region's value `value` with
   * `edits` applied, written the way the container needs (indentation, escapes). The caller
   * keeps the first candidate that extracts back to the expected KQL.
   */
  encodeEdits(documentText: string, edits: readonly KqlEdit[]): DocumentEdit[][];
  /** Encodes single-line text for insertion at a position inside the region (for completion). */
  encodeInline(text: string): string;
}

/** A problem of the container itself (bad YAML, an unclosed fence), in document offsets. */
export interface SourceProblem {
  code: string;
  severity: Severity;
  message: string;
  start: number;
  end: number;
}

/** A Microsoft Sentinel hunting query or analytics rule, as parsed YAML with source positions. */
export interface SentinelRule {
  kind: 'hunting' | 'analytics';
  document: Document.Parsed;
  root: YAMLMap;
  lineCounter: LineCounter;
  /** Index of the `query` region in `EmbeddedSource.regions`, when the query is a string. */
  queryRegion?: number;
}

export interface EmbeddedSource {
  kind: SourceKind;
  regions: KqlRegion[];
  problems: SourceProblem[];
  rule?: SentinelRule;
}

/** Applies KQL edits to a text, last edit first. */
export function applyKqlEdits(text: string, edits: readonly KqlEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

/** Returns the reason for a requested environment: the region's own when the region fixes that environment. */
export function requestedEnvironmentReason(region: KqlRegion, environment: Environment): string {
  return region.environmentReason && region.environment === environment ? region.environmentReason : REQUESTED_ENVIRONMENT_REASON;
}

/** Gives an analysis the region's reason when the region fixed its environment, in place of the generic one. */
export function withRegionReason(region: KqlRegion, analysis: BlockAnalysis): BlockAnalysis {
  if (analysis.environmentReason !== REQUESTED_ENVIRONMENT_REASON) return analysis;
  const environmentReason = requestedEnvironmentReason(region, analysis.environment);
  return environmentReason === analysis.environmentReason ? analysis : { ...analysis, environmentReason };
}

/** The environment setting that applies to a region's blocks. */
export function regionEnvironment(region: KqlRegion, setting: EnvironmentSetting): EnvironmentSetting {
  return setting === 'auto' && region.environment ? region.environment : setting;
}
