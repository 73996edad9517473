import { join } from 'node:path';
import { HuntEngine } from '../engine/engine';
import { resolveSettings, Settings } from '../engine/settings';
import { loadUserSchema } from '../engine/schema/schemaFiles';
import { createLogger } from '../engine/util/logger';
import { formatProblem } from '../engine/util/problems';
import { loadCliIntel } from './intel';
import { UsageError } from './usage';

// Options and engine set-up that the CLI's commands share.

/** The settings options of lint and hunt, as `util.parseArgs` declares them. */
export const SETTINGS_OPTIONS = {
  environment: { type: 'string' },
  'min-confidence': { type: 'string' },
  'max-age-days': { type: 'string' },
} as const;

export interface SettingsValues {
  environment?: string;
  'min-confidence'?: string;
  'max-age-days'?: string;
}

/** The schema options of lint: custom tables, functions and watchlists. */
export const SCHEMA_OPTIONS = {
  schema: { type: 'string', multiple: true },
  functions: { type: 'string', multiple: true },
  watchlists: { type: 'string' },
} as const;

export interface SchemaValues {
  schema?: string[];
  functions?: string[];
  watchlists?: string;
}

export interface IntelValues {
  intel?: string[];
  'no-builtin-intel'?: boolean;
}

const logger = createLogger((_level, line) => process.stderr.write(`kql-hunt: ${line}\n`), () => 'warn');

/** Problems of indicator files are printed by loadCliIntel; the manager itself stays quiet. */
const intelLogger = createLogger(() => undefined, () => 'error');

export function createEngine(): HuntEngine {
  return new HuntEngine({ workerPath: join(__dirname, 'kustoWorker.js'), logger });
}

function wholeNumber(option: string, value: string | undefined, maximum: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > maximum) throw new UsageError(`Invalid --${option} '${value}'; use a whole number from 0 to ${maximum}.`);
  return number;
}

/** Settings from the command line options; an invalid value is a usage error. */
export function cliSettings(values: SettingsValues): Settings {
  const environment = values.environment;
  if (environment !== undefined && !['auto', 'sentinel', 'defender'].includes(environment)) {
    throw new UsageError(`Invalid --environment '${environment}'; use auto, sentinel or defender.`);
  }
  const intel = { minConfidence: wholeNumber('min-confidence', values['min-confidence'], 100), maxAgeDays: wholeNumber('max-age-days', values['max-age-days'], 36500) };
  return resolveSettings({ environment: environment ?? 'auto', intel });
}

/** An engine with the built-in set and the `--intel` files loaded; `intelFailed` when one could not be. */
export async function engineWithIntel(values: IntelValues): Promise<{ engine: HuntEngine; intelFailed: boolean }> {
  const { manager, failed } = await loadCliIntel(values.intel, values['no-builtin-intel'], intelLogger);
  const engine = createEngine();
  engine.setIntelStore(manager.store);
  return { engine, intelFailed: failed };
}

/**
 * Loads the schema options into the engine, prints every problem, and returns how many paths
 * could not be read.
 */
export async function loadSchema(engine: HuntEngine, values: SchemaValues): Promise<number> {
  const tables = values.schema ?? [];
  const functions = values.functions ?? [];
  if (tables.length === 0 && functions.length === 0 && values.watchlists === undefined) return 0;
  const schema = await loadUserSchema({ tables, functions, watchlists: values.watchlists === undefined ? [] : { file: values.watchlists } });
  const problems = [...schema.problems, ...(await engine.setSchema(schema))];
  for (const problem of problems) process.stderr.write(`kql-hunt: ${formatProblem(problem)}\n`);
  return schema.unreadable.length;
}

export { intelLogger };
