import { Catalog } from './catalog';
import { Environment, ENVIRONMENTS, TIME_COLUMNS } from './types';

export type EnvironmentSetting = Environment | 'auto';

export interface EnvironmentChoice {
  environment: Environment;
  /** Why, in words a hover can show. */
  reason: string;
}

/**
 * Picks the environment of a block from the identifiers it uses (`auto`): a table or function
 * that only Defender XDR has means Defender, one only Sentinel has means Sentinel. Otherwise
 * `Timestamp` without `TimeGenerated` on a table both environments have (Device*, Email*,
 * Identity*, ...) means Defender, because there the tables carry Timestamp as their time column.
 * Everything else runs in Sentinel.
 */
export function chooseEnvironment(identifiers: Iterable<string>, catalog: Catalog): EnvironmentChoice {
  const names = new Set(identifiers);
  const known = [...names].filter((name) => catalog.environmentsOfName(name).length > 0);

  const defenderOnly = known.find((name) => isOnlyIn(catalog, name, 'defender'));
  const sentinelOnly = known.find((name) => isOnlyIn(catalog, name, 'sentinel'));
  if (defenderOnly && !sentinelOnly) return { environment: 'defender', reason: `auto: ${defenderOnly} exists only in Defender XDR advanced hunting` };
  if (sentinelOnly) return { environment: 'sentinel', reason: `auto: ${sentinelOnly} exists only in Microsoft Sentinel` };

  const sharedTable = known.find((name) => catalog.environmentsOf(name).length === ENVIRONMENTS.length);
  if (sharedTable && names.has(TIME_COLUMNS.defender) && !names.has(TIME_COLUMNS.sentinel)) {
    return { environment: 'defender', reason: `auto: uses Timestamp, the Defender XDR time column, on ${sharedTable}` };
  }
  return { environment: 'sentinel', reason: 'auto: no table or function only Defender XDR has, and no Timestamp on a table both environments have' };
}

function isOnlyIn(catalog: Catalog, name: string, environment: Environment): boolean {
  const environments = catalog.environmentsOfName(name);
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
