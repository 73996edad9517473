import { IndicatorSet, setAddresses, setName } from '../intel/model';
import { Catalog } from '../schema/catalog';
import { Environment, TIME_COLUMNS } from '../schema/types';
import { Settings } from '../settings';
import { renderExclusion, scenarioApplicability } from './exclusions';
import { HUNT_PROFILES, HuntProfile } from './huntProfiles';
import { kqlName, kqlStringList } from './kqlText';

export const ADDRESS_LIST_NAME = 'malicious_ips';

export interface HuntRequest {
  set: IndicatorSet;
  profile: HuntProfile;
  /** Overrides the profile's environment, for a document pinned to the other one. */
  environment?: Environment;
  withExclusions: boolean;
  settings: Settings;
  catalog: Catalog;
}

/** Profiles a set can be hunted with: the set has addresses and the table has the columns. */
export function huntableProfiles(set: IndicatorSet, catalog: Catalog): HuntProfile[] {
  if (setAddresses(set).length === 0) return [];
  return HUNT_PROFILES.filter((profile) => {
    const table = catalog.table(profile.table, profile.environment);
    const names = new Set(table?.columns.map((column) => column.name));
    const needed = [...(profile.addressColumns ?? []), ...(profile.addressTextColumns ?? [])];
    return table !== undefined && needed.length > 0 && needed.every((column) => names.has(column));
  });
}

function matchLine(profile: HuntProfile): string {
  const tests = [
    ...(profile.addressColumns ?? []).map((column) => `${kqlName(column)} in (${ADDRESS_LIST_NAME})`),
    ...(profile.addressTextColumns ?? []).map((column) => `${kqlName(column)} has_any (${ADDRESS_LIST_NAME})`),
  ];
  return `| where ${tests.join(' or ')}`;
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

/**
 * Writes a hunt for a set's addresses over one table: header comments, the address list, the
 * match, optionally the exclusions, the output columns and the newest rows first.
 */
export function generateHunt(request: HuntRequest): string {
  const { set, profile, settings, catalog } = request;
  const environment = request.environment ?? profile.environment;
  const time = TIME_COLUMNS[environment];
  const project = profile.project.map((column) => (column === '{time}' ? time : kqlName(column)));

  const lines = [
    `// ${profile.title}`,
    `// Source: ${setName(set)}`,
    `let ${ADDRESS_LIST_NAME} = dynamic([${kqlStringList(setAddresses(set))}]);`,
    kqlName(profile.table),
    matchLine(profile),
  ];
  if (request.withExclusions) lines.push(...exclusionLines(profile.table, environment, catalog, settings));
  lines.push(`| project ${project.join(', ')}`, `| order by ${time} desc`);
  return lines.join('\n');
}
