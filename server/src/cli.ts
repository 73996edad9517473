#!/usr/bin/env node
// kql-hunt: the command-line linter and hunt generator, on the same engine as the language server.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { pathToFileURL } from 'node:url';
import { HuntEngine } from './engine/engine';
import { findSet, huntText } from './engine/insertHunt';
import { setName } from './engine/intel/model';
import { resolveSettings, Settings } from './engine/settings';
import { findQueryFiles } from './cli/files';
import { formatText, LintFinding, summarize, toLintFinding } from './cli/findings';
import { formatIntelStatus, INTEL_OPTIONS, loadCliIntel } from './cli/intel';
import { toSarif } from './cli/sarif';
import { createLogger } from './engine/util/logger';

const VERSION = '0.1.0';

const USAGE = `Usage:
  kql-hunt lint [options] PATH...     Check .kql files (and folders of them) for problems
  kql-hunt hunt --family NAME --table TABLE [--environment ENV] [--with-exclusions] [--intel FILE...]
                                      Print a hunt for a loaded indicator set
  kql-hunt intel list [--intel FILE...] [--format text|json]
                                      List the indicator files, their sets and problems
  kql-hunt --version | --help

Lint options:
  --format text|json|sarif            Output format (default: text)
  --environment auto|sentinel|defender
                                      Environment of the queries (default: auto, per block)
  --max-warnings N                    Exit with 1 when there are more than N warnings
  --quiet                             Print errors only

Indicator options (lint, hunt, intel list):
  --intel FILE                        Load an indicator file (ThreatFox CSV or JSON export, hunt
                                      report, plain list); repeatable, globs work
  --no-builtin-intel                  Leave out the built-in ThreatFox Mirai set
  --min-confidence N                  Indicators below confidence N (0-100) are stale (default: 50)
  --max-age-days N                    Indicators last seen more than N days ago are stale
                                      (default: 0, no age limit)

Exit codes: 0 no errors, 1 errors (or too many warnings), 2 usage error or unreadable input.`;

class UsageError extends Error {}

const logger = createLogger((_level, line) => process.stderr.write(`kql-hunt: ${line}\n`), () => 'warn');

/** Problems of indicator files are printed by loadCliIntel; the manager itself stays quiet. */
const intelLogger = createLogger(() => undefined, () => 'error');

function createEngine(): HuntEngine {
  return new HuntEngine({ workerPath: join(__dirname, 'kustoWorker.js'), logger });
}

const SETTINGS_OPTIONS = {
  environment: { type: 'string' },
  'min-confidence': { type: 'string' },
  'max-age-days': { type: 'string' },
} as const;

function wholeNumber(option: string, value: string | undefined, maximum: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > maximum) throw new UsageError(`Invalid --${option} '${value}'; use a whole number from 0 to ${maximum}.`);
  return number;
}

function cliSettings(values: { environment?: string; 'min-confidence'?: string; 'max-age-days'?: string }): Settings {
  const environment = values.environment;
  if (environment !== undefined && !['auto', 'sentinel', 'defender'].includes(environment)) {
    throw new UsageError(`Invalid --environment '${environment}'; use auto, sentinel or defender.`);
  }
  const intel = { minConfidence: wholeNumber('min-confidence', values['min-confidence'], 100), maxAgeDays: wholeNumber('max-age-days', values['max-age-days'], 36500) };
  return resolveSettings({ environment: environment ?? 'auto', intel });
}

async function engineWithIntel(values: { intel?: string[]; 'no-builtin-intel'?: boolean }): Promise<{ engine: HuntEngine; intelFailed: boolean }> {
  const { manager, failed } = await loadCliIntel(values.intel, values['no-builtin-intel'], intelLogger);
  const engine = createEngine();
  engine.setIntelStore(manager.store);
  return { engine, intelFailed: failed };
}

async function lint(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...SETTINGS_OPTIONS,
      ...INTEL_OPTIONS,
      format: { type: 'string', default: 'text' },
      'max-warnings': { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
  });
  if (!['text', 'json', 'sarif'].includes(values.format!)) throw new UsageError(`Invalid --format '${values.format}'; use text, json or sarif.`);
  if (positionals.length === 0) throw new UsageError('lint needs at least one file or folder.');
  const maxWarnings = values['max-warnings'] === undefined ? Infinity : Number(values['max-warnings']);
  if (!Number.isInteger(maxWarnings) && maxWarnings !== Infinity) throw new UsageError(`Invalid --max-warnings '${values['max-warnings']}'; use a whole number.`);
  const settings = cliSettings(values);

  const { files, missing } = await findQueryFiles(positionals);
  for (const entry of missing) process.stderr.write(`kql-hunt: cannot read ${entry.path}: ${entry.reason}\n`);

  const { engine, intelFailed } = await engineWithIntel(values);
  let unreadable = missing.length + (intelFailed ? 1 : 0);
  const findings: LintFinding[] = [];
  try {
    const perFile = await Promise.all(
      files.map(async (file) => {
        let text: string;
        try {
          text = await readFile(file, 'utf8');
        } catch (error) {
          unreadable++;
          process.stderr.write(`kql-hunt: cannot read ${file}: ${(error as Error).message}\n`);
          return [];
        }
        const document = TextDocument.create(pathToFileURL(file).href, 'kql', 1, text);
        const analysis = await engine.analyzeDocument(document, settings);
        return analysis.diagnostics.map((diagnostic) => toLintFinding(file, diagnostic));
      }),
    );
    for (const list of perFile) findings.push(...list);
  } finally {
    await engine.dispose();
  }

  const shown = values.quiet ? findings.filter((finding) => finding.severity === 'error') : findings;
  const summary = summarize(files.length, findings);
  if (values.format === 'json') process.stdout.write(JSON.stringify(shown, null, 2) + '\n');
  else if (values.format === 'sarif') process.stdout.write(JSON.stringify(toSarif(shown, VERSION), null, 2) + '\n');
  else process.stdout.write(formatText(shown, summary) + '\n');

  if (unreadable > 0) return 2;
  return summary.errors > 0 || summary.warnings > maxWarnings ? 1 : 0;
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

  const { manager, failed } = await loadCliIntel(values.intel, values['no-builtin-intel'], intelLogger);
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
    if (command === 'lint') return await lint(rest);
    if (command === 'hunt') return await hunt(rest);
    if (command === 'intel') return await intel(rest);
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
