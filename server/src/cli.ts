#!/usr/bin/env node
// kql-hunt: the command-line linter and hunt generator, on the same engine as the language server.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { pathToFileURL } from 'node:url';
import { HuntEngine } from './engine/engine';
import { huntProfile } from './engine/hunts/huntProfiles';
import { generateHunt, huntableProfiles } from './engine/hunts/templates';
import { findSet } from './engine/insertHunt';
import { setName } from './engine/intel/model';
import { resolveSettings, Settings } from './engine/settings';
import { findQueryFiles } from './cli/files';
import { formatText, LintFinding, summarize, toLintFinding } from './cli/findings';
import { toSarif } from './cli/sarif';
import { createLogger } from './engine/util/logger';
import { loadUserSchema } from './engine/schema/schemaFiles';
import { formatProblem } from './engine/util/problems';

const VERSION = '0.1.0';

const USAGE = `Usage:
  kql-hunt lint [options] PATH...     Check .kql files (and folders of them) for problems
  kql-hunt hunt --family NAME --table TABLE [--environment ENV] [--with-exclusions]
                                      Print a hunt for a loaded indicator set
  kql-hunt --version | --help

Lint options:
  --format text|json|sarif            Output format (default: text)
  --environment auto|sentinel|defender
                                      Environment of the queries (default: auto, per block)
  --schema PATH                       Custom-table schemas: a file or folder of Sentinel table
                                      JSON, getschema CSV/JSON or {"Table": {"Column": "type"}}
                                      maps (repeatable)
  --functions PATH                    A file or folder of function declarations (repeatable)
  --watchlists FILE                   Watchlist columns: {"Alias": ["Column", ...]}
  --max-warnings N                    Exit with 1 when there are more than N warnings
  --quiet                             Print errors only

Exit codes: 0 no errors, 1 errors (or too many warnings), 2 usage error or unreadable input.`;

class UsageError extends Error {}

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

async function lint(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      environment: { type: 'string' },
      'max-warnings': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      schema: { type: 'string', multiple: true, default: [] },
      functions: { type: 'string', multiple: true, default: [] },
      watchlists: { type: 'string' },
    },
  });
  if (!['text', 'json', 'sarif'].includes(values.format!)) throw new UsageError(`Invalid --format '${values.format}'; use text, json or sarif.`);
  if (positionals.length === 0) throw new UsageError('lint needs at least one file or folder.');
  const maxWarnings = values['max-warnings'] === undefined ? Infinity : Number(values['max-warnings']);
  if (!Number.isInteger(maxWarnings) && maxWarnings !== Infinity) throw new UsageError(`Invalid --max-warnings '${values['max-warnings']}'; use a whole number.`);
  const settings = environmentSettings(values.environment);

  const { files, missing } = await findQueryFiles(positionals);
  for (const entry of missing) process.stderr.write(`kql-hunt: cannot read ${entry.path}: ${entry.reason}\n`);

  const engine = createEngine();
  let unreadable = missing.length;
  const findings: LintFinding[] = [];
  try {
    unreadable += await loadSchema(engine, values.schema!, values.functions!, values.watchlists);
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

/** Loads the schema options into the engine, prints every problem, and returns how many paths could not be read. */
async function loadSchema(engine: HuntEngine, tables: string[], functions: string[], watchlists: string | undefined): Promise<number> {
  if (tables.length === 0 && functions.length === 0 && watchlists === undefined) return 0;
  const schema = await loadUserSchema({ tables, functions, watchlists: watchlists === undefined ? [] : { file: watchlists } });
  const problems = [...schema.problems, ...(await engine.setSchema(schema))];
  for (const problem of problems) process.stderr.write(`kql-hunt: ${formatProblem(problem)}\n`);
  return schema.unreadable.length;
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
    if (command === 'lint') return await lint(rest);
    if (command === 'hunt') return await hunt(rest);
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
