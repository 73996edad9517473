import { Catalog } from './catalog';
import { Environment, ENVIRONMENTS, TIME_COLUMNS } from './types';

export type EnvironmentSetting = Environment | 'auto';

export interface EnvironmentChoice {
  environment: Environment;
  /** Why, in words a hover can show. */
  reason: string;
}

/**
 * Picks the environment of a block from the identifiers it uses (`auto`): a table that only
 * Defender XDR has means Defender, one only Sentinel has means Sentinel, and otherwise
 * `Timestamp` on a Device* table means Defender. Everything else runs in Sentinel.
 */
export function chooseEnvironment(identifiers: Iterable<string>, catalog: Catalog): EnvironmentChoice {
  const names = new Set(identifiers);
  const tables = [...names].filter((name) => catalog.has(name));

  const defenderOnly = tables.find((table) => isOnlyIn(catalog, table, 'defender'));
  const sentinelOnly = tables.find((table) => isOnlyIn(catalog, table, 'sentinel'));
  if (defenderOnly && !sentinelOnly) return { environment: 'defender', reason: `auto: ${defenderOnly} exists only in Defender XDR advanced hunting` };
  if (sentinelOnly) return { environment: 'sentinel', reason: `auto: ${sentinelOnly} exists only in Microsoft Sentinel` };

  const deviceTable = tables.find((table) => table.startsWith('Device'));
  if (deviceTable && names.has(TIME_COLUMNS.defender) && !names.has(TIME_COLUMNS.sentinel)) {
    return { environment: 'defender', reason: `auto: uses Timestamp on ${deviceTable}` };
  }
  return { environment: 'sentinel', reason: 'auto: no Defender XDR-only table and no Timestamp on a Device* table' };
}

function isOnlyIn(catalog: Catalog, table: string, environment: Environment): boolean {
  const environments = catalog.environmentsOf(table);
  return environments.length === 1 && environments[0] === environment;
}

const DIRECTIVE = /^\s*\/\/\s*kql-hunt:\s*environment\s*=\s*(\w+)\s*$/;

/** Reads a `// kql-hunt: environment=defender|sentinel|auto` line; undefined for any other line. */
export function parseEnvironmentDirective(line: string): EnvironmentSetting | 'invalid' | undefined {
  const match = DIRECTIVE.exec(line);
  if (!match) return undefined;
  const value = match[1].toLowerCase();
  if (value === 'auto' || (ENVIRONMENTS as readonly string[]).includes(value)) return value as EnvironmentSetting;
  return 'invalid';
}
