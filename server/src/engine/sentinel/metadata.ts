import { isScalar, isSeq, Node, YAMLMap } from 'yaml';
import { checkAnalyticsSettings } from './analyticsSettings';
import { canonicalTactic, canonicalTechnique, ENTERPRISE_TACTICS, isTechniqueId } from './attack';
import { connectorsFor, dataTypeTable } from './connectors';
import { finding, MetadataContext, MetadataFinding, MetadataFix } from './findings';
import { appendToSeq, displayFile, firstKeySpan, keySpan, mapItems, replaceScalar, scalarText, seqItems, spanOf, stringOf, valueOf } from './yamlNodes';

// Checks of a Sentinel rule's metadata against its query and the rest of the workspace.

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function checkId(context: MetadataContext): MetadataFinding[] {
  const root = context.rule.root;
  const node = valueOf(root, 'id');
  const id = scalarText(node);
  if (id === undefined || id.trim() === '') {
    return [finding('sentinel/id-invalid', 'error', 'The rule has no id; add `id:` with a new GUID, such as one from `uuidgen`.', keySpan(root, 'id', firstKeySpan(root)))];
  }
  const span = spanOf(node, firstKeySpan(root));
  if (!GUID.test(id)) return [finding('sentinel/id-invalid', 'error', `The id '${id}' is not a GUID; use a new GUID such as one from \`uuidgen\`.`, span)];

  const others = context.ruleIds.othersWith(id, context.file);
  if (others.length === 0) return [];
  const names = others.slice(0, 3).map(displayFile).join(', ') + (others.length > 3 ? ` and ${others.length - 3} more` : '');
  return [finding('sentinel/id-duplicate', 'error', `The id ${id} is also used by ${names}; every rule needs its own GUID.`, span)];
}

function checkText(context: MetadataContext, key: 'name' | 'description'): MetadataFinding[] {
  const root = context.rule.root;
  const value = stringOf(valueOf(root, key));
  if (value !== undefined && value.trim() !== '') return [];
  const code = key === 'name' ? 'sentinel/name-missing' : 'sentinel/description-missing';
  const what = key === 'name' ? 'a name (`name:`), the title Sentinel shows' : 'a description (`description:`) of what the query finds and why';
  return [finding(code, 'error', `The rule has no ${key}; add ${what}.`, keySpan(root, key, firstKeySpan(root)))];
}

function checkTactics(context: MetadataContext): MetadataFinding[] {
  const node = valueOf(context.rule.root, 'tactics');
  if (node === undefined || node === null) return [];
  if (!isSeq(node)) return [finding('sentinel/tactic-unknown', 'error', '`tactics` must be a list of MITRE ATT&CK tactics, such as `- CommandAndControl`.', spanOf(node, firstKeySpan(context.rule.root)))];

  const findings: MetadataFinding[] = [];
  for (const item of seqItems(node)) {
    const value = scalarText(item);
    if (value !== undefined && ENTERPRISE_TACTICS.includes(value)) continue;
    const span = spanOf(item, spanOf(node, firstKeySpan(context.rule.root)));
    const canonical = value === undefined ? undefined : canonicalTactic(value);
    if (canonical && isScalar(item)) {
      const fix = { title: `Change to '${canonical}'`, edits: [replaceScalar(item, canonical)] };
      findings.push(finding('sentinel/tactic-unknown', 'error', `Sentinel spells the tactic '${value}' as '${canonical}'.`, span, fix));
      continue;
    }
    findings.push(finding('sentinel/tactic-unknown', 'error', `'${value ?? ''}' is not a MITRE ATT&CK enterprise tactic; use one of ${ENTERPRISE_TACTICS.join(', ')}.`, span));
  }
  return findings;
}

function checkTechniques(context: MetadataContext): MetadataFinding[] {
  const node = valueOf(context.rule.root, 'relevantTechniques');
  if (node === undefined || node === null) return [];
  if (!isSeq(node)) return [finding('sentinel/technique-invalid', 'error', '`relevantTechniques` must be a list of technique ids, such as `- T1071`.', spanOf(node, firstKeySpan(context.rule.root)))];

  const findings: MetadataFinding[] = [];
  for (const item of seqItems(node)) {
    const value = scalarText(item) ?? '';
    if (isTechniqueId(value)) continue;
    const span = spanOf(item, spanOf(node, firstKeySpan(context.rule.root)));
    const canonical = canonicalTechnique(value);
    const fix = canonical && isScalar(item) ? { title: `Change to '${canonical}'`, edits: [replaceScalar(item, canonical)] } : undefined;
    const hint = canonical ? ` Did you mean '${canonical}'?` : '';
    findings.push(finding('sentinel/technique-invalid', 'error', `'${value}' is not a MITRE ATT&CK technique id; write T followed by four digits, with an optional sub-technique (T1071 or T1071.001).${hint}`, span, fix));
  }
  return findings;
}

interface DataTypeEntry {
  connector: YAMLMap;
  connectorId?: string;
  item: Node;
  table: string;
}

function dataTypeEntries(root: YAMLMap): DataTypeEntry[] {
  const entries: DataTypeEntry[] = [];
  for (const connector of mapItems(valueOf(root, 'requiredDataConnectors'))) {
    const connectorId = stringOf(valueOf(connector, 'connectorId'));
    for (const item of seqItems(valueOf(connector, 'dataTypes'))) {
      const value = scalarText(item);
      if (value !== undefined) entries.push({ connector, connectorId, item, table: dataTypeTable(value) });
    }
  }
  return entries;
}

/** Builds the edit that lists `table` under the connector that fills it, or under the only connector. */
function addDataTypeFix(context: MetadataContext, table: string): MetadataFix | undefined {
  const connectors = mapItems(valueOf(context.rule.root, 'requiredDataConnectors'));
  const known = connectorsFor(table);
  const target = connectors.find((connector) => known.includes(stringOf(valueOf(connector, 'connectorId')) ?? '')) ?? (connectors.length === 1 ? connectors[0] : undefined);
  const dataTypes = target ? valueOf(target, 'dataTypes') : undefined;
  if (!isSeq(dataTypes)) return undefined;
  const edit = appendToSeq(context.text, dataTypes, table);
  return edit ? { title: `Add ${table} to requiredDataConnectors`, edits: [edit] } : undefined;
}

function checkDataTypes(context: MetadataContext): MetadataFinding[] {
  const query = context.query;
  if (!query || query.outcome.status !== 'analyzed') return [];
  const tables = query.outcome.analysis.summary.tables;
  const entries = dataTypeEntries(context.rule.root);
  const listed = new Set(entries.map((entry) => entry.table.toLowerCase()));
  const read = new Set(tables.map((table) => table.name.toLowerCase()));
  const findings: MetadataFinding[] = [];

  // An empty list (`requiredDataConnectors: []`), as ASIM content uses, declares no connector on purpose.
  const connectors = valueOf(context.rule.root, 'requiredDataConnectors');
  const declaresNone = isSeq(connectors) && connectors.items.length === 0;
  const reported = new Set<string>();
  for (const table of declaresNone ? [] : tables) {
    if (listed.has(table.name.toLowerCase()) || reported.has(table.name)) continue;
    reported.add(table.name);
    const span = query.region.map.toDocumentRange(query.block.start + table.start, query.block.start + table.end);
    const message = `The query reads ${table.name}, but no requiredDataConnectors entry lists it in dataTypes; add it so Sentinel knows the data the rule needs.`;
    findings.push(finding('sentinel/data-type-missing', 'warning', message, span, addDataTypeFix(context, table.name)));
  }

  for (const entry of entries) {
    if (read.has(entry.table.toLowerCase())) continue;
    const message = `dataTypes lists ${entry.table}, but the query does not read it; remove it or query the table.`;
    findings.push(finding('sentinel/data-type-unused', 'warning', message, spanOf(entry.item, firstKeySpan(context.rule.root))));
  }
  return findings;
}

function checkEntityMappings(context: MetadataContext): MetadataFinding[] {
  const query = context.query;
  const columns = query?.outcome.status === 'analyzed' ? query.outcome.analysis.summary.outputColumns : null;
  if (!columns) return [];

  const findings: MetadataFinding[] = [];
  for (const mapping of mapItems(valueOf(context.rule.root, 'entityMappings'))) {
    for (const field of mapItems(valueOf(mapping, 'fieldMappings'))) {
      const node = valueOf(field, 'columnName');
      const column = scalarText(node);
      if (column === undefined || columns.includes(column) || !isScalar(node)) continue;
      const sameName = columns.filter((candidate) => candidate.toLowerCase() === column.toLowerCase());
      const fix = sameName.length === 1 ? { title: `Change to '${sameName[0]}'`, edits: [replaceScalar(node, sameName[0])] } : undefined;
      const shown = columns.length > 12 ? `${columns.slice(0, 12).join(', ')}, ...` : columns.join(', ');
      const message = `The entity mapping reads column '${column}', which the query does not output${fix ? `; did you mean '${sameName[0]}'?` : `. Output columns: ${shown}.`}`;
      findings.push(finding('sentinel/entity-column-missing', 'error', message, spanOf(node, firstKeySpan(context.rule.root)), fix));
    }
  }
  return findings;
}

/** Runs every metadata check of a Sentinel rule. */
export function checkSentinelRule(context: MetadataContext): MetadataFinding[] {
  return [
    ...checkId(context),
    ...checkText(context, 'name'),
    ...checkText(context, 'description'),
    ...checkTactics(context),
    ...checkTechniques(context),
    ...checkDataTypes(context),
    ...checkEntityMappings(context),
    ...(context.rule.kind === 'analytics' ? checkAnalyticsSettings(context) : []),
  ];
}
