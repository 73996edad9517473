import ipaddr from 'ipaddr.js';
import { PredicateTest } from '../kusto/types';
import { Catalog } from '../schema/catalog';
import { Environment } from '../schema/types';
import { Settings } from '../settings';
import { kqlString, kqlStringList, kqlVerbatimString } from './kqlText';
import { Condition, ListSetting, Role, ROLE_LABELS, Scenario, scenarioRoles, SCENARIOS } from './scenarios';
import { TABLE_ROLES } from './tableRoles';

export interface Applicability {
  scenario: Scenario;
  /** Column for each role the scenario needs, where the table has one. */
  columns: Partial<Record<Role, string>>;
  /** Roles the table has no column for; empty when the scenario applies. */
  missingRoles: Role[];
  /** Why the scenario does not apply, in words; undefined when it does. */
  reason?: string;
}

/** For each scenario, whether `table` can express its exclusion in `environment`, and how. */
export function scenarioApplicability(table: string, environment: Environment, catalog: Catalog, settings: Settings): Applicability[] {
  const roles = TABLE_ROLES[table] ?? {};
  const schema = catalog.table(table, environment);
  const hasColumn = (column: string | undefined): column is string => !!column && !!schema?.columns.some((candidate) => candidate.name === column);

  return SCENARIOS.map((scenario) => {
    const columns: Partial<Record<Role, string>> = {};
    const missingRoles: Role[] = [];
    for (const role of scenarioRoles(scenario)) {
      if (hasColumn(roles[role])) columns[role] = roles[role];
      else missingRoles.push(role);
    }
    let reason: string | undefined;
    if (missingRoles.length > 0) {
      reason = `${table} has no ${missingRoles.map((role) => ROLE_LABELS[role]).join(' or ')} column`;
    } else if (renderExclusion(scenario, columns, settings) === undefined) {
      reason = 'the address settings it needs are empty or invalid';
    }
    return { scenario, columns, missingRoles, reason };
  });
}

function settingValues(settings: Settings, setting: ListSetting): string[] {
  return settings.exclusions[setting];
}

/** Splits address settings into IPv4 and IPv6 ranges that Kusto's range functions accept. */
function addressRanges(values: string[]): { v4: string[]; v6: string[] } {
  const v4: string[] = [];
  const v6: string[] = [];
  for (const value of values) {
    const text = value.trim();
    try {
      const [address] = text.includes('/') ? ipaddr.parseCIDR(text) : [ipaddr.parse(text)];
      (address.kind() === 'ipv4' ? v4 : v6).push(text);
    } catch {
      // NOTE: invalid entries are skipped here; the settings check reports them to the user.
    }
  }
  return { v4, v6 };
}

function renderCondition(condition: Condition, column: string, settings: Settings): string | undefined {
  switch (condition.match) {
    case 'has_any':
      return condition.terms.length === 1 ? `${column} has ${kqlString(condition.terms[0])}` : `${column} has_any (${kqlStringList(condition.terms)})`;
    case 'in~': {
      const values = condition.terms ?? (condition.setting ? settingValues(settings, condition.setting) : []);
      return values.length > 0 ? `${column} in~ (${kqlStringList(values)})` : undefined;
    }
    case 'regex':
      return `${column} matches regex ${kqlVerbatimString(condition.pattern)}`;
    case 'address': {
      const { v4, v6 } = addressRanges(condition.settings.flatMap((setting) => settingValues(settings, setting)));
      const parts: string[] = [];
      if (v4.length > 0) parts.push(`ipv4_is_in_any_range(${column}, dynamic([${kqlStringList(v4)}]))`);
      if (v6.length > 0) parts.push(`ipv6_is_in_any_range(${column}, dynamic([${kqlStringList(v6)}]))`);
      if (parts.length === 0) return undefined;
      return parts.length === 1 ? parts[0] : `(${parts.join(' or ')})`;
    }
  }
}

/**
 * The exclusion's predicate, `not(... and ...)`, over the given columns; undefined when a
 * condition has no values to test (an empty setting).
 */
export function renderExclusion(scenario: Scenario, columns: Partial<Record<Role, string>>, settings: Settings): string | undefined {
  const parts: string[] = [];
  for (const condition of scenario.conditions) {
    const column = columns[condition.role];
    if (!column) return undefined;
    const rendered = renderCondition(condition, column, settings);
    if (!rendered) return undefined;
    parts.push(rendered);
  }
  return `not(${parts.join(' and ')})`;
}

/** The columns an exclusion reads, which must still exist where it is inserted. */
export function exclusionColumns(applicability: Applicability): string[] {
  return [...new Set(Object.values(applicability.columns))] as string[];
}

function terms(value: string): string[] {
  return value.toLowerCase().split(/[^a-z0-9_-]+/).filter(Boolean);
}

/**
 * Whether the block already excludes the scenario, in any wording: some filter tests one of the
 * scenario's anchor terms under a negation (`not(...)`, `!has`, `!in~`, `!contains`, `!=`, ...).
 */
export function hasExclusion(scenario: Scenario, tests: readonly PredicateTest[]): boolean {
  const anchors = new Set(scenario.anchors);
  return tests.some((test) => test.negated && test.values.some((value) => terms(value).some((term) => anchors.has(term))));
}
