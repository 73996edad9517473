import { SCENARIOS } from '../hunts/scenarios';
import { Severity } from '../kusto/types';
import { missingExclusionCode } from './missingExclusion';

export interface RuleDescription {
  id: string;
  severity: Severity;
  /** One line, for the README, SARIF and hovers. */
  summary: string;
  /** Why the rule matters and how to fix a finding, for SARIF's help text. */
  help: string;
}

const KQL_SUPPRESSION = 'Suppress one occurrence with a `// kql-hunt-disable-next-line ID` comment on the line above it.';
const YAML_SUPPRESSION = 'Suppress it with a `# kql-hunt-disable-next-line ID` comment above the line, or `# kql-hunt-disable ID` for the whole file.';

function rule(id: string, severity: Severity, summary: string, help: string, suppression = KQL_SUPPRESSION): RuleDescription {
  return { id, severity, summary, help: suppression ? `${help} ${suppression.replace('ID', id)}` : help };
}

const SENTINEL_RULES: readonly RuleDescription[] = [
  rule('sentinel/query-not-string', 'error', 'The `query` of a Sentinel rule is not a string.', 'Sentinel runs the text of `query`; a number, list, mapping or empty value cannot run. Write the KQL as a block scalar: `query: |` followed by the indented query.', YAML_SUPPRESSION),
  rule('sentinel/id-invalid', 'error', 'A Sentinel rule has no `id`, or its `id` is not a GUID.', 'Sentinel identifies a rule template by its GUID, and updates replace the template with the same id. Generate a new GUID (`uuidgen`, `[guid]::NewGuid()`).', YAML_SUPPRESSION),
  rule('sentinel/id-duplicate', 'error', 'Another rule file in the workspace has the same `id`.', 'Two templates with one id overwrite each other when they are deployed. Give the copied rule a new GUID.', YAML_SUPPRESSION),
  rule('sentinel/name-missing', 'error', 'A Sentinel rule has no `name`.', 'The name is the title Sentinel shows for the rule and its results. Add `name:` with a short title.', YAML_SUPPRESSION),
  rule('sentinel/description-missing', 'error', 'A Sentinel rule has no `description`.', 'Analysts read the description to decide what a result means. Add `description:` saying what the query finds and why it matters.', YAML_SUPPRESSION),
  rule('sentinel/tactic-unknown', 'error', 'A `tactics` entry is not a MITRE ATT&CK enterprise tactic as Sentinel spells it.', 'Sentinel accepts the enterprise tactics written without spaces: Reconnaissance, ResourceDevelopment, InitialAccess, Execution, Persistence, PrivilegeEscalation, DefenseEvasion, CredentialAccess, Discovery, LateralMovement, Collection, CommandAndControl, Exfiltration, Impact. The quick fix corrects case and spacing.', YAML_SUPPRESSION),
  rule('sentinel/technique-invalid', 'error', 'A `relevantTechniques` entry is not a technique id such as T1071 or T1071.001.', 'Technique ids are an upper-case T, four digits and an optional three-digit sub-technique. The quick fix corrects the case.', YAML_SUPPRESSION),
  rule('sentinel/data-type-missing', 'warning', 'The query reads a table that no `requiredDataConnectors` entry lists in `dataTypes`.', 'Sentinel uses `requiredDataConnectors` to tell whether a workspace has the data a rule needs. List every table the query reads; the quick fix adds it under the connector that fills it.', YAML_SUPPRESSION),
  rule('sentinel/data-type-unused', 'warning', 'A `dataTypes` entry names a table the query does not read.', 'A listed table the query never reads makes Sentinel ask for a connector the rule does not need. Remove the entry, or query the table.', YAML_SUPPRESSION),
  rule('sentinel/entity-column-missing', 'error', 'An entity mapping reads a column the query does not output.', 'Sentinel maps entities from the columns of the query result; a column that is not in the result leaves the entity empty. Project the column or fix its name; the quick fix corrects a name that differs only in case.', YAML_SUPPRESSION),
  rule('sentinel/query-frequency-invalid', 'error', 'An analytics rule has a missing or invalid `queryFrequency`.', 'queryFrequency is a duration such as 5m, 1h or 1d, from 5 minutes to 14 days; with a queryPeriod of 2 days or more it must be at least 1 hour.', YAML_SUPPRESSION),
  rule('sentinel/query-period-invalid', 'error', 'An analytics rule has a missing or invalid `queryPeriod`.', 'queryPeriod is a duration such as 5m, 1h or 14d, from 5 minutes to 14 days, and at least queryFrequency so that no events are skipped.', YAML_SUPPRESSION),
  rule('sentinel/trigger-operator-invalid', 'error', 'An analytics rule has a missing or invalid `triggerOperator`.', 'triggerOperator compares the number of results with triggerThreshold: gt, lt, eq or ne (GreaterThan, LessThan, Equal, NotEqual).', YAML_SUPPRESSION),
  rule('sentinel/trigger-threshold-invalid', 'error', 'An analytics rule has a missing or invalid `triggerThreshold`.', 'triggerThreshold is a whole number from 0 to 10000.', YAML_SUPPRESSION),
  rule('sentinel/severity-invalid', 'error', 'An analytics rule has a missing or invalid `severity`.', 'Sentinel accepts Informational, Low, Medium and High; the quick fix corrects the case.', YAML_SUPPRESSION),
];

/** Every diagnostic code the product itself emits (Kusto.Language's KS codes come on top). */
export const RULE_DESCRIPTIONS: readonly RuleDescription[] = [
  ...SCENARIOS.map((scenario) =>
    rule(
      missingExclusionCode(scenario.id),
      'warning',
      `An indicator hunt lacks the exclusion for the false-positive scenario "${scenario.title}".`,
      `${scenario.description} Without an exclusion for it, the hunt reports this benign activity as a match. The quick fix adds the exclusion as a \`| where not(...)\` line.`,
    ),
  ),
  rule('defanged-indicator', 'error', 'A string literal contains a defanged indicator (`5[.]39[.]216[.]137`, `hxxp://`), which can never match real data.', 'Defanged values are for reports and chat; telemetry holds the real address or URL, so the hunt silently finds nothing. The quick fix refangs the literal, or every literal in the file.'),
  rule('ip-port-in-address-column', 'error', 'An address column is compared with ip:port values, which it never holds.', 'Tables store the remote address and port in separate columns (RemoteIP and RemotePort, DestinationIP and DestinationPort), so a value pasted from an ip:port export never equals the address column. The quick fix keeps the address; test the port in the port column.'),
  rule('incomplete-indicator-list', 'warning', 'A list contains some indicators of a loaded set but not all of them.', 'A hunt that lists part of a set misses the rest of the campaign. The message names the set and the missing values; the quick fix adds them in the list\'s quoting and layout.'),
  rule('port-unchecked', 'hint', 'A hunt matches the addresses of ip:port indicators but does not test their ports: it tests none (and shows none), or tests ports that leave some out.', 'ip:port indicators name a service on a host; matching the address alone also finds unrelated traffic to that host, and testing other ports misses the indicators. The quick fix adds the port test for the table\'s port column; a hunt that keeps none of the indicators\' ports is a warning.'),
  rule('stale-indicator', 'information', 'An indicator in a hunt is older than kqlHunt.intel.maxAgeDays or below kqlHunt.intel.minConfidence.', 'Old or low-confidence indicators are more likely reassigned or wrong. Review the indicator, or change the two settings.'),
  rule('unknown-custom-table', 'warning', 'A custom _CL table is in no catalog, so its columns are not checked; add its schema with kqlHunt.schema.customTables.', 'Without a schema every column of the table is accepted, so typos in column names go unnoticed. Add the table\'s schema file (Azure-Sentinel table JSON, getschema output or a plain map) to kqlHunt.schema.customTables, or pass it with --schema.'),
  rule('time-column-mismatch', 'warning', "A block uses the other environment's time column (an error where that column does not exist).", 'Sentinel tables stamp rows with TimeGenerated and Defender XDR advanced hunting with Timestamp; a query written for one environment fails or filters nothing in the other. The quick fix switches to the environment\'s time column.'),
  rule('invalid-directive', 'warning', 'A `// kql-hunt: environment=...` comment names an unknown environment.', 'The directive chooses the table catalog; use `sentinel`, `defender` or `auto`.'),
  rule('analysis-timeout', 'warning', 'Analysing a block took longer than kqlHunt.analysis.timeoutMs; the block was skipped.', 'Kusto.Language stopped on this block, so it was not checked. Simplify or split the query, or raise kqlHunt.analysis.timeoutMs.'),
  rule('analysis-failed', 'warning', 'Kusto.Language failed on a block; the block was skipped.', 'The block was not checked. The message names the failure; please report it with the query.'),
  rule('block-too-large', 'information', 'A block is longer than kqlHunt.analysis.maxBlockLength and was not analysed.', 'Very long blocks are skipped to keep the editor responsive. Split the query or raise the limit.'),
  rule('block-too-complex', 'information', 'A block nests brackets deeper than kqlHunt.analysis.maxNestingDepth and was not analysed.', 'Deep nesting makes Kusto.Language take seconds to minutes. Flatten the query or raise the limit.'),
  rule('block-limit', 'information', 'A document has more blocks than kqlHunt.analysis.maxBlocks; the rest were not analysed.', 'Split the file or raise kqlHunt.analysis.maxBlocks.'),
  rule('rule-failed', 'information', 'A rule crashed on a block; the other rules still ran.', 'This is a bug in KQL Hunt; please report it with the query.'),
  rule('yaml-syntax', 'error', 'A YAML file that looks like a Sentinel rule does not parse.', 'Invalid YAML (including duplicate keys and tabs used as indentation) cannot be deployed, and its query cannot be checked. Fix the YAML at the line the message names.', YAML_SUPPRESSION),
  rule('markdown-fence-unclosed', 'error', 'A ```kql fence in a Markdown file is never closed.', 'Markdown then renders the rest of the file as code, and all of it is checked as KQL. Add the closing fence line.', ''),
  rule('file-too-large', 'error', 'A YAML or Markdown file is longer than kqlHunt.analysis.maxFileSize and was not checked.', 'Large files are skipped to bound memory and time. Split the file or raise kqlHunt.analysis.maxFileSize.', ''),
  rule('file-unreadable', 'error', 'A file found by `kql-hunt lint` could not be read.', 'The message names the operating system error; fix the file permissions or exclude the file with --exclude.', ''),
  ...SENTINEL_RULES,
];

export function describeRule(id: string): RuleDescription | undefined {
  return RULE_DESCRIPTIONS.find((rule) => rule.id === id);
}
