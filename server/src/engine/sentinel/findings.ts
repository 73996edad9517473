import { AnalyzedBlock } from '../documentAnalysis';
import { DocumentEdit, SentinelRule } from '../embedded/types';
import { Severity } from '../kusto/types';
import { RuleIdIndex } from './ruleIds';
import { Span } from './yamlNodes';

// A finding of a Sentinel rule's metadata check: in document offsets, with its quick fix when
// the fix is certain.

export interface MetadataFix {
  title: string;
  edits: DocumentEdit[];
}

export interface MetadataFinding extends Span {
  code: string;
  severity: Severity;
  message: string;
  fix?: MetadataFix;
}

export interface MetadataContext {
  /** The document's text. */
  text: string;
  /** The document's URI or path, as the key of the rule id index. */
  file: string;
  rule: SentinelRule;
  /** The analysed query, when the query is a string and was analysed. */
  query?: AnalyzedBlock;
  ruleIds: RuleIdIndex;
}

export function finding(code: string, severity: Severity, message: string, span: Span, fix?: MetadataFix): MetadataFinding {
  return { code, severity, message, ...span, fix };
}

