#!/usr/bin/env node
// kql-hunt: the command-line linter and hunt generator, on the same engine as the language server.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HuntEngine } from './engine/engine';
import { huntProfile } from './engine/hunts/huntProfiles';
import { generateHunt, huntableProfiles } from './engine/hunts/templates';
import { findSet } from './engine/insertHunt';
import { setName } from './engine/intel/model';
import { resolveSettings, Settings } from './engine/settings';
import { exportHunts } from './cli/export';
import { lint } from './cli/lint';
import { UsageError } from './cli/usage';
import { createLogger } from './engine/util/logger';

const VERSION = '0.1.0';

const USAGE = `Usage:
  kql-hunt lint [options] PATH...     Check the KQL in .kql files, Sentinel rules (YAML) and
                                      Markdown fences, in these files and folders
  kql-hunt hunt --family NAME --table TABLE [--environment ENV] [--with-exclusions]
                                      Print a hunt for a loaded indicator set
  kql-hunt export --to sentinel-yaml [--out DIR] [--force] FILE.kql...
                                      Write one Sentinel hunting-query YAML file per hunt
  kql-hunt export --to kql [--out FILE] PATH...
                                      Collect the queries of Sentinel YAML rules into one .kql file
  kql-hunt --version | --help

Lint options:
  --format text|json|sarif            Output format (default: text)
  --output FILE                       Write the report to FILE instead of standard output
  --environment auto|sentinel|defender
                                      Environment of the queries (default: auto, per block)
  --max-warnings N                    Exit with 1 when there are more than N warnings
  --quiet                             Print errors only
  --exclude PATTERN                   Skip files matching a gitignore-style pattern, relative
                                      to the repository root (repeatable); .gitignore is
                                      always respected in folders
  --root DIR                          Repository root for --exclude and SARIF paths (default:
                                      the nearest folder above the first path holding .git)

Exit codes: 0 no errors, 1 errors (or too many warnings), 2 usage error or a path that does
not exist (the other paths are still checked).`;

function createEngine(): HuntEngine {
  const logger = createLogger((_level, line) => process.stderr.write(`kql-hunt: ${line}\n`), () => 'warn');
  return new HuntEngine({ workerPath: join(__dirname, 'kustoWorker.js'), logger });
}

function environmentSettings(environment: string | undefined): Settings {
  if (environment !== undefined && !['auto', 'sentinel', 'defender'].includes(environment)) {
    throw new UsageError(`Invalid --environment '${environment}'; use auto, sentinel or defender.`);
  }
  return resolveSettings({ environment: environment ?? 'auto' });
}

async function hunt(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      family: { type: 'string' },
      table: { type: 'string' },
      environment: { type: 'string' },
      'with-exclusions': { type: 'boolean', default: false },
    },
  });
  if (!values.table) throw new UsageError('hunt needs --table, such as --table DeviceNetworkEvents.');
  const settings = environmentSettings(values.environment);

  const engine = createEngine();
  try {
    const set = findSet(engine, values.family);
    if (!set) throw new UsageError(`No loaded indicator set for family '${values.family}'. Loaded: ${engine.intel.sets.map(setName).join(', ')}.`);
    const profile = huntProfile(values.table);
    if (!profile || !huntableProfiles(set, engine.catalog).includes(profile)) {
      throw new UsageError(`No hunt template for table '${values.table}'. Supported: ${huntableProfiles(set, engine.catalog).map((candidate) => candidate.table).join(', ')}.`);
    }
    const environment = settings.environment === 'auto' ? undefined : settings.environment;
    process.stdout.write(generateHunt({ set, profile, environment, withExclusions: values['with-exclusions']!, settings, catalog: engine.catalog }) + '\n');
    return 0;
  } finally {
    await engine.dispose();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === '--version' || command === '-v') {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (command === undefined || command === '--help' || command === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    }
    if (command === 'lint') return await lint(rest, { createEngine, environmentSettings, version: VERSION });
    if (command === 'hunt') return await hunt(rest);
    if (command === 'export') return await exportHunts(rest, { createEngine, environmentSettings });
    throw new UsageError(`Unknown command '${command}'.`);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`kql-hunt: ${(error as Error).message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`kql-hunt: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
