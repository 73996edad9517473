import { FreshnessPolicy, isFresh } from '../intel/freshness';
import { huntKinds, kindValues, ValueKind, valueKindOf } from '../intel/huntValues';
import { HashType, IndicatorSet, setName } from '../intel/model';
import { Catalog } from '../schema/catalog';
import { connectorList, tableConnectors } from '../schema/dataConnectors';
import { Environment, TIME_COLUMNS } from '../schema/types';
import { Settings } from '../settings';
import { renderExclusion, scenarioApplicability } from './exclusions';
import { HUNT_PROFILES, HuntProfile } from './huntProfiles';
import { kqlName, kqlStringList } from './kqlText';

export const ADDRESS_LIST_NAME = 'malicious_ips';

/** The `let` name of each kind's list in a generated hunt. */
export const LIST_NAMES: Record<Exclude<ValueKind, 'ip:port'>, string> = {
  address: ADDRESS_LIST_NAME,
  domain: 'malicious_domains',
  url: 'malicious_urls',
  md5_hash: 'malicious_md5',
  sha1_hash: 'malicious_sha1',
  sha256_hash: 'malicious_sha256',
};

type HuntKind = keyof typeof LIST_NAMES;

export interface HuntRequest {
  set: IndicatorSet;
  profile: HuntProfile;
  /** Overrides the profile's environment, for a document pinned to the other one. */
  environment?: Environment;
  withExclusions: boolean;
  settings: Settings;
  catalog: Catalog;
  /** Leaves stale indicators out of the lists. */
  policy?: FreshnessPolicy;
}

/** One `Column op (list)` test of a hunt's match line. */
interface MatchTest {
  column: string;
  operator: 'in' | 'in~' | 'has_any';
  kind: HuntKind;
}

/** Lists the tests a profile offers for one kind of value. */
function kindTests(profile: HuntProfile, kind: HuntKind): MatchTest[] {
  const tests = (columns: string[] | undefined, operator: MatchTest['operator']): MatchTest[] => (columns ?? []).map((column) => ({ column, operator, kind }));
  if (kind === 'address') return [...tests(profile.addressColumns, 'in'), ...tests(profile.addressTextColumns, 'has_any')];
  if (kind === 'domain') return [...tests(profile.domainColumns, 'in~'), ...tests(profile.domainTextColumns, 'has_any')];
  if (kind === 'url') return tests(profile.urlColumns, 'has_any');
  const column = profile.hashColumns?.[kind as HashType];
  return column ? [{ column, operator: 'in~', kind }] : [];
}

function tableColumns(profile: HuntProfile, catalog: Catalog, environment: Environment): Set<string> | undefined {
  const table = catalog.table(profile.table, environment);
  return table ? new Set(table.columns.map((column) => column.name)) : undefined;
}

/** Lists the kinds of the set that have at least one fresh value, in one pass over the set. */
function freshKinds(set: IndicatorSet, policy?: FreshnessPolicy): HuntKind[] {
  const kinds = new Set<HuntKind>();
  for (const indicator of set.indicators) {
    if (policy && !isFresh(indicator, policy)) continue;
    const kind = valueKindOf(indicator);
    if (kind !== 'ip:port') kinds.add(kind);
    else if (indicator.ip) kinds.add('address');
  }
  return (huntKinds(set) as HuntKind[]).filter((kind) => kinds.has(kind));
}

/** Lists the tests for each of the kinds that the profile's table has columns for. */
function profileTests(profile: HuntProfile, kinds: readonly HuntKind[], catalog: Catalog): MatchTest[] {
  const columns = tableColumns(profile, catalog, profile.environment);
  if (!columns) return [];
  const planned: MatchTest[] = [];
  for (const kind of kinds) {
    const tests = kindTests(profile, kind);
    if (tests.length > 0 && tests.every((test) => columns.has(test.column))) planned.push(...tests);
  }
  return planned;
}

/** Profiles a set can be hunted with: the set has values the table has columns for. */
export function huntableProfiles(set: IndicatorSet, catalog: Catalog, policy?: FreshnessPolicy): HuntProfile[] {
  const kinds = freshKinds(set, policy);
  return HUNT_PROFILES.filter((profile) => profileTests(profile, kinds, catalog).length > 0);
}

/** Exclusion lines (`| where not(...)`) for every scenario the table can express. */
export function exclusionLines(table: string, environment: Environment, catalog: Catalog, settings: Settings): string[] {
  const lines: string[] = [];
  for (const applicability of scenarioApplicability(table, environment, catalog, settings)) {
    if (applicability.reason) continue;
    const predicate = renderExclusion(applicability.scenario, applicability.columns, settings);
    if (predicate) lines.push(`| where ${predicate}`);
  }
  return lines;
}

const KIND_WORDS: Record<HuntKind, string> = {
  address: 'IPs',
  domain: 'domains',
  url: 'URLs',
  md5_hash: 'file hashes',
  sha1_hash: 'file hashes',
  sha256_hash: 'file hashes',
};

function huntTitle(profile: HuntProfile, kinds: HuntKind[]): string {
  if (kinds.length === 1 && kinds[0] === 'address') return profile.title;
  const words = [...new Set(kinds.map((kind) => KIND_WORDS[kind]))];
  const listed = words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
  return `Hunt in ${profile.table} for known malicious ${listed}`;
}

function projectColumns(profile: HuntProfile, tests: MatchTest[], time: string): string[] {
  const project = profile.project.map((column) => (column === '{time}' ? time : column));
  for (const test of tests) if (!project.includes(test.column)) project.push(test.column);
  return project.map((column) => (column === time ? column : kqlName(column)));
}

/** Returns the header line naming the data connectors that fill the table in Microsoft Sentinel, if any are known. */
function connectorComment(table: string): string[] {
  const count = tableConnectors(table).length;
  if (count === 0) return [];
  return [`// Data connector${count === 1 ? '' : 's'}: ${connectorList(table)}`];
}

/**
 * Writes a hunt for a set over one table: header comments (title, source set, data
 * connectors), one list per kind of value (IPs, domains, URLs, each hash type), the match,
 * optionally the exclusions, the output columns and the newest rows first. For a set of
 * addresses only, its query lines and first two comment lines are the hunt of the report the
 * product was specified from.
 */
export function generateHunt(request: HuntRequest): string {
  const { set, profile, settings, catalog, policy } = request;
  const environment = request.environment ?? profile.environment;
  const time = TIME_COLUMNS[environment];
  const tests = profileTests(profile, freshKinds(set, policy), catalog);
  const kinds = [...new Set(tests.map((test) => test.kind))];

  const lines = [`// ${huntTitle(profile, kinds)}`, `// Source: ${setName(set)}`, ...connectorComment(profile.table)];
  for (const kind of kinds) lines.push(`let ${LIST_NAMES[kind]} = dynamic([${kqlStringList(kindValues(set, kind, policy))}]);`);
  lines.push(kqlName(profile.table), `| where ${tests.map((test) => `${kqlName(test.column)} ${test.operator} (${LIST_NAMES[test.kind]})`).join(' or ')}`);
  if (request.withExclusions) lines.push(...exclusionLines(profile.table, environment, catalog, settings));
  lines.push(`| project ${projectColumns(profile, tests, time).join(', ')}`, `| order by ${time} desc`);
  return lines.join('\n');
}

