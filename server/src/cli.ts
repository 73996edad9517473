#!/usr/bin/env node
// kql-hunt: the command-line linter and hunt generator, on the same engine as the language server.
import { parseArgs } from 'node:util';
import { findSet, huntText } from './engine/insertHunt';
import { setName } from './engine/intel/model';
import { coverage } from './cli/coverage';
import { exportHunts } from './cli/export';
import { formatIntelStatus, INTEL_OPTIONS, loadCliIntel } from './cli/intel';
import { lint } from './cli/lint';
import { cliSettings, createEngine, engineWithIntel, intelLogger, SETTINGS_OPTIONS } from './cli/options';
import { UsageError, usageMessage } from './cli/usage';

const VERSION = '0.1.0';

const USAGE = `Usage:
  kql-hunt lint [options] PATH...     Check the KQL in .kql files, Sentinel rules (YAML) and
                                      Markdown fences, in these files and folders
  kql-hunt hunt --family NAME --table TABLE [--environment ENV] [--with-exclusions] [--intel FILE...]
                                      Print a hunt for a loaded indicator set
  kql-hunt coverage [--intel FILE...] [--format text|json|markdown] PATH...
                                      Print which loaded indicator sets the hunts under these
                                      paths search for, on which tables, and what they miss
  kql-hunt intel list [--intel FILE...] [--format text|json]
                                      List the indicator files, their sets and problems
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
  --schema PATH                       Custom-table schemas: a file or folder of Sentinel table
                                      JSON, getschema CSV/JSON or {"Table": {"Column": "type"}}
                                      maps (repeatable)
  --functions PATH                    A file or folder of function declarations (repeatable)
  --watchlists FILE                   Watchlist columns: {"Alias": ["Column", ...]}
  --max-warnings N                    Exit with 1 when there are more than N warnings
  --quiet                             Print errors only
  --exclude PATTERN                   Skip files matching a gitignore-style pattern, relative
                                      to the repository root (repeatable); .gitignore is
                                      always respected in folders
  --root DIR                          Repository root for --exclude and SARIF paths (default:
                                      the nearest folder above the first path holding .git)

Coverage options: --format text|json|markdown (default: text), --output, --environment,
  --schema, --functions, --watchlists, --exclude and --root as for lint. A progress line goes
  to standard error while files are analysed, when it is a terminal.

Indicator options (lint, hunt, coverage, intel list):
  --intel FILE                        Load an indicator file (ThreatFox CSV or JSON export, hunt
                                      report, plain list); repeatable, globs work
  --no-builtin-intel                  Leave out the built-in ThreatFox Mirai set
  --min-confidence N                  Indicators below confidence N (0-100) are stale (default: 50)
  --max-age-days N                    Indicators last seen more than N days ago are stale
                                      (default: 0, no age limit)

Exit codes: 0 no errors, 1 errors (or too many warnings), 2 usage error, a path that does not
exist or an indicator file that cannot be loaded (the other paths are still checked).`;

function environmentSettings(environment: string | undefined) {
  return cliSettings({ environment });
}

async function hunt(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...SETTINGS_OPTIONS,
      ...INTEL_OPTIONS,
      family: { type: 'string' },
      table: { type: 'string' },
      'with-exclusions': { type: 'boolean', default: false },
    },
  });
  if (!values.table) throw new UsageError('hunt needs --table, such as --table DeviceNetworkEvents.');
  const settings = cliSettings(values);

  const { engine } = await engineWithIntel(values);
  try {
    if (!values.family) throw new UsageError(`hunt needs --family, such as --family Mirai. Loaded: ${engine.intel.sets.map(setName).join(', ') || 'none'}.`);
    const set = findSet(engine, values.family);
    if (!set) throw new UsageError(`No loaded indicator set for family '${values.family}'. Loaded: ${engine.intel.sets.map(setName).join(', ') || 'none'}.`);
    const result = huntText(engine, settings, set, values.table, values['with-exclusions']!);
    if ('error' in result) throw new UsageError(result.error);
    process.stdout.write(result.hunt + '\n');
    return 0;
  } finally {
    await engine.dispose();
  }
}

async function intel(args: string[]): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand !== 'list') throw new UsageError(subcommand ? `Unknown intel command '${subcommand}'; use intel list.` : 'intel needs a command: intel list.');
  const { values } = parseArgs({ args: rest, options: { ...INTEL_OPTIONS, format: { type: 'string', default: 'text' } } });
  if (!['text', 'json'].includes(values.format!)) throw new UsageError(`Invalid --format '${values.format}'; use text or json.`);

  // The text listing shows each file's problems under it; JSON readers may only watch stderr.
  const { manager, failed } = await loadCliIntel(values.intel, values['no-builtin-intel'], intelLogger, values.format === 'json');
  const status = manager.status();
  process.stdout.write((values.format === 'json' ? JSON.stringify(status, null, 2) : formatIntelStatus(status)) + '\n');
  return failed ? 2 : 0;
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
    // `kql-hunt lint --help` and friends print the usage instead of failing on the unknown option.
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (command === 'lint') return await lint(rest, { version: VERSION });
    if (command === 'hunt') return await hunt(rest);
    if (command === 'coverage') return await coverage(rest);
    if (command === 'intel') return await intel(rest);
    if (command === 'export') return await exportHunts(rest, { createEngine, environmentSettings });
    throw new UsageError(`Unknown command '${command}'.`);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      // The full usage buries the one line that matters; point to it instead.
      process.stderr.write(`kql-hunt: ${usageMessage(error as Error)}\nRun 'kql-hunt --help' for the commands and options.\n`);
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
