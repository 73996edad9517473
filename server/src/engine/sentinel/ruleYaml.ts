import { createHash, randomUUID } from 'node:crypto';
import { Document, Scalar } from 'yaml';
import { planBlocks } from '../documentAnalysis';
import type { HuntEngine } from '../engine';
import { BlockSummary } from '../kusto/types';
import { Settings } from '../settings';
import { threatMapping } from './attack';
import { requiredConnectorIds } from '../schema/dataConnectors';

// Writes Microsoft Sentinel hunting queries as YAML in the Azure-Sentinel repository's format,
// for Insert Hunt and `kql-hunt export`. The metadata comes from the analysed query: the tables
// it reads give requiredDataConnectors, the indicators it contains give tactics and techniques, and
// its output columns give the entity mappings.

/** Output columns that hold an IP address, as Sentinel's IP entity (`Address`) takes it. */
const IP_COLUMNS = ['RemoteIP', 'DestinationIP', 'SourceIP', 'DestinationIp', 'SourceIp', 'DstIpAddr', 'SrcIpAddr', 'HostIP', 'IPAddress', 'ClientIP'];

/** Output columns that name a host, with the Host entity identifier each fits. */
const HOST_COLUMNS: Record<string, string> = { DeviceName: 'FullName', Computer: 'HostName', HostName: 'HostName' };

export interface HuntingQuery {
  name: string;
  description: string;
  query: string;
  /** The rule's GUID; a random one when omitted. */
  id?: string;
}

interface QueryFacts {
  tables: string[];
  outputColumns: string[];
  threatTypes: string[];
  isIndicatorHunt: boolean;
}

/** Derives a GUID from `seed`, in the form of a name-based (version 5) UUID, so re-exports keep their ids. */
export function stableGuid(seed: string): string {
  const hash = createHash('sha1').update(`kql-hunt:${seed}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

async function queryFacts(engine: HuntEngine, query: string, settings: Settings): Promise<QueryFacts> {
  const plan = planBlocks(query, settings.environment, true)[0];
  const outcome = plan ? await engine.analyzeBlock(plan.block, plan.environmentRequest, settings) : { status: 'empty' as const };
  const summary: BlockSummary | undefined = outcome.status === 'analyzed' ? outcome.analysis.summary : undefined;
  const matches = (summary?.strings ?? []).flatMap((literal) => engine.intel.lookup(literal.value));
  return {
    tables: [...new Set((summary?.tables ?? []).map((table) => table.name))],
    outputColumns: summary?.outputColumns ?? [],
    threatTypes: [...new Set(matches.map((match) => match.indicator.threatType).filter((type): type is string => !!type))],
    isIndicatorHunt: matches.length > 0,
  };
}

/**
 * requiredDataConnectors for the tables a query reads: each current connector with a known id
 * lists the tables it fills. Tables with no such connector are left out.
 */
function dataConnectors(tables: readonly string[]): { connectorId: string; dataTypes: string[] }[] {
  const byConnector = new Map<string, string[]>();
  for (const table of tables) {
    for (const connector of requiredConnectorIds(table)) byConnector.set(connector, [...(byConnector.get(connector) ?? []), table]);
  }
  return [...byConnector].map(([connectorId, dataTypes]) => ({ connectorId, dataTypes }));
}

function entityMappings(outputColumns: readonly string[]): { entityType: string; fieldMappings: { identifier: string; columnName: string }[] }[] {
  const mappings = [];
  for (const column of outputColumns) {
    if (IP_COLUMNS.includes(column)) mappings.push({ entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: column }] });
  }
  for (const column of outputColumns) {
    const identifier = HOST_COLUMNS[column];
    if (identifier) mappings.push({ entityType: 'Host', fieldMappings: [{ identifier, columnName: column }] });
  }
  // Sentinel takes at most five entity mappings per rule.
  return mappings.slice(0, 5);
}

function blockScalar(value: string): Scalar {
  const scalar = new Scalar(value);
  scalar.type = value.includes('\n') || value.length > 80 ? 'BLOCK_LITERAL' : 'PLAIN';
  return scalar;
}

/** Writes the YAML text of a hunting query, with metadata taken from its analysed query. */
export async function huntingQueryYaml(engine: HuntEngine, hunt: HuntingQuery, settings: Settings): Promise<string> {
  const facts = await queryFacts(engine, hunt.query, settings);
  const document = new Document({});
  document.set('id', hunt.id ?? randomUUID());
  document.set('name', hunt.name);
  document.set('description', blockScalar(hunt.description));
  document.set('requiredDataConnectors', dataConnectors(facts.tables));
  if (facts.isIndicatorHunt) {
    const mapping = threatMapping(facts.threatTypes);
    document.set('tactics', mapping.tactics);
    document.set('relevantTechniques', mapping.techniques);
  }
  const query = new Scalar(hunt.query);
  query.type = 'BLOCK_LITERAL';
  document.set('query', query);
  const mappings = entityMappings(facts.outputColumns);
  if (mappings.length > 0) document.set('entityMappings', mappings);
  document.set('version', '1.0.0');
  return document.toString({ lineWidth: 0, indentSeq: true });
}

/** Makes a file name for a rule: its name in lower case with dashes, as the Azure-Sentinel repository names files. */
export function ruleFileName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${slug || 'hunt'}.yaml`;
}
