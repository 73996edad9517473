import { SCENARIOS } from '../hunts/scenarios';
import { Severity } from '../kusto/types';
import { missingExclusionCode } from './missingExclusion';

export interface RuleDescription {
  id: string;
  severity: Severity;
  /** One line, for the README, SARIF and hovers. */
  summary: string;
}

/** Every diagnostic code the product itself emits (Kusto.Language's KS codes come on top). */
export const RULE_DESCRIPTIONS: readonly RuleDescription[] = [
  ...SCENARIOS.map((scenario) => ({
    id: missingExclusionCode(scenario.id),
    severity: 'warning' as const,
    summary: `An indicator hunt lacks the exclusion for the false-positive scenario "${scenario.title}".`,
  })),
  { id: 'unknown-custom-table', severity: 'warning', summary: 'A custom _CL table is in no catalog, so its columns are not checked; add its schema with kqlHunt.schema.customTables.' },
  { id: 'time-column-mismatch', severity: 'warning', summary: "A block uses the other environment's time column (an error where that column does not exist)." },
  { id: 'invalid-directive', severity: 'warning', summary: 'A `// kql-hunt: environment=...` comment names an unknown environment.' },
  { id: 'analysis-timeout', severity: 'warning', summary: 'Analysing a block took longer than kqlHunt.analysis.timeoutMs; the block was skipped.' },
  { id: 'analysis-failed', severity: 'warning', summary: 'Kusto.Language failed on a block; the block was skipped.' },
  { id: 'block-too-large', severity: 'information', summary: 'A block is longer than kqlHunt.analysis.maxBlockLength and was not analysed.' },
  { id: 'block-too-complex', severity: 'information', summary: 'A block nests brackets deeper than kqlHunt.analysis.maxNestingDepth and was not analysed.' },
  { id: 'block-limit', severity: 'information', summary: 'A document has more blocks than kqlHunt.analysis.maxBlocks; the rest were not analysed.' },
  { id: 'rule-failed', severity: 'information', summary: 'A rule crashed on a block; the other rules still ran.' },
];

export function describeRule(id: string): RuleDescription | undefined {
  return RULE_DESCRIPTIONS.find((rule) => rule.id === id);
}
