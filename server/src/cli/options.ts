import { join } from 'node:path';
import { HuntEngine } from '../engine/engine';
import { resolveSettings, Settings } from '../engine/settings';
import { createLogger } from '../engine/util/logger';
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

export { intelLogger };
