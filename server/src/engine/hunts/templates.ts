import { FreshnessPolicy } from '../intel/freshness';
import { huntKinds, kindValues, ValueKind } from '../intel/huntValues';
import { HashType, IndicatorSet, setName } from '../intel/model';
import { Catalog } from '../schema/catalog';
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

/** The tests a profile offers for one kind of value. */
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

/** The kinds of the set a profile can hunt for, with their tests, where the table has the columns. */
function plannedTests(set: IndicatorSet, profile: HuntProfile, catalog: Catalog, policy?: FreshnessPolicy): MatchTest[] {
  const columns = tableColumns(profile, catalog, profile.environment);
  if (!columns) return [];
  const planned: MatchTest[] = [];
  for (const kind of huntKinds(set) as HuntKind[]) {
    const tests = kindTests(profile, kind);
    if (tests.length === 0 || !tests.every((test) => columns.has(test.column))) continue;
    if (kindValues(set, kind, policy).length === 0) continue;
    planned.push(...tests);
  }
  return planned;
}

/** Profiles a set can be hunted with: the set has values the table has columns for. */
export function huntableProfiles(set: IndicatorSet, catalog: Catalog, policy?: FreshnessPolicy): HuntProfile[] {
  return HUNT_PROFILES.filter((profile) => plannedTests(set, profile, catalog, policy).length > 0);
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

/**
 * Writes a hunt for a set over one table: header comments, one list per kind of value (IPs,
 * domains, URLs, each hash type), the match, optionally the exclusions, the output columns
 * and the newest rows first. For a set of addresses only, it is the hunt of the report the
 * product was specified from.
 */
export function generateHunt(request: HuntRequest): string {
  const { set, profile, settings, catalog, policy } = request;
  const environment = request.environment ?? profile.environment;
  const time = TIME_COLUMNS[environment];
  const tests = plannedTests(set, profile, catalog, policy);
  const kinds = [...new Set(tests.map((test) => test.kind))];

  const lines = [`// ${huntTitle(profile, kinds)}`, `// Source: ${setName(set)}`];
  for (const kind of kinds) lines.push(`let ${LIST_NAMES[kind]} = dynamic([${kqlStringList(kindValues(set, kind, policy))}]);`);
  lines.push(kqlName(profile.table), `| where ${tests.map((test) => `${kqlName(test.column)} ${test.operator} (${LIST_NAMES[test.kind]})`).join(' or ')}`);
  if (request.withExclusions) lines.push(...exclusionLines(profile.table, environment, catalog, settings));
  lines.push(`| project ${projectColumns(profile, tests, time).join(', ')}`, `| order by ${time} desc`);
  return lines.join('\n');
}

