// Corpus check: runs the built CLI over a folder of working hunts and reports how many blocks
// it flags with an error, which errors, and how fast it went. A working hunt should get no
// error, so every flagged block is either a false error or a mistake in the corpus.
//
// Usage: node scripts/run.mjs bench/corpus.ts [--corpus DIR] [--cli PATH] [--runs N] [--bare]
//   --corpus DIR   folder of .kql files (default bench/corpus); DIR/schema/tables,
//                  DIR/schema/functions.json and DIR/schema/watchlists.json are passed to the
//                  CLI as --schema, --functions and --watchlists when they exist
//   --cli PATH     the CLI to run (default dist/cli.js; build it first with `npm run build`)
//   --runs N       timed runs; the report gives the median (default 3)
//   --bare         pass no schema options, as for a CLI that has none
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import fg from 'fast-glob';
import { splitBlocks } from '../server/src/engine/blocks';

interface JsonFinding {
  file: string;
  range: { start: { line: number; character: number } };
  severity: string;
  code: string;
  message: string;
}

interface CorpusFile {
  path: string;
  lines: number;
  /** 0-based first and last line of each block that holds a query. */
  blocks: { startLine: number; endLine: number }[];
}

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: 'bench/corpus' },
    cli: { type: 'string', default: 'dist/cli.js' },
    runs: { type: 'string', default: '3' },
    bare: { type: 'boolean', default: false },
  },
});

const corpusDir = resolve(values.corpus!);
const cliPath = resolve(values.cli!);
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`Invalid --runs '${values.runs}'; use a whole number of at least 1.`);
if (!existsSync(cliPath)) throw new Error(`CLI not found at ${cliPath}; run \`npm run build\` first.`);

function schemaOptions(): string[] {
  if (values.bare) return [];
  const options: string[] = [];
  const tables = join(corpusDir, 'schema', 'tables');
  const functions = join(corpusDir, 'schema', 'functions.json');
  const watchlists = join(corpusDir, 'schema', 'watchlists.json');
  if (existsSync(tables)) options.push('--schema', tables);
  if (existsSync(functions)) options.push('--functions', functions);
  if (existsSync(watchlists)) options.push('--watchlists', watchlists);
  return options;
}

function readCorpus(): CorpusFile[] {
  const paths = fg.sync('**/*.kql', { cwd: corpusDir, absolute: true }).sort();
  return paths.map((path) => {
    const text = readFileSync(path, 'utf8');
    const blocks = splitBlocks(text)
      .filter((block) => !block.commentOnly)
      .map((block) => ({ startLine: block.startLine, endLine: block.endLine }));
    return { path, lines: text.split(/\r?\n/).length, blocks };
  });
}

function runCli(args: string[]): { findings: JsonFinding[]; seconds: number; stderr: string } {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [cliPath, 'lint', '--format', 'json', ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status === 2 || result.error) throw new Error(`The CLI failed (exit ${result.status}): ${result.stderr || result.error?.message}`);
  return { findings: JSON.parse(result.stdout) as JsonFinding[], seconds, stderr: result.stderr };
}

function median(numbers: number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Seconds the CLI needs for one trivial file: process start, worker start and catalog build. */
function measureStartup(options: string[]): number {
  const dir = mkdtempSync(join(tmpdir(), 'kql-hunt-bench-'));
  try {
    const file = join(dir, 'empty.kql');
    writeFileSync(file, 'print 1\n');
    return median(Array.from({ length: runs }, () => runCli([...options, file]).seconds));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function countBy<T>(items: readonly T[], key: (item: T) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function flaggedBlocks(files: CorpusFile[], errors: JsonFinding[]): { file: string; startLine: number; codes: string[] }[] {
  const flagged = new Map<string, { file: string; startLine: number; codes: string[] }>();
  for (const error of errors) {
    const file = files.find((candidate) => resolve(error.file) === candidate.path);
    const line = error.range.start.line;
    const block = file?.blocks.find((candidate) => candidate.startLine <= line && line <= candidate.endLine);
    const key = `${error.file}:${block?.startLine ?? line}`;
    const entry = flagged.get(key) ?? { file: error.file, startLine: (block?.startLine ?? line) + 1, codes: [] };
    entry.codes.push(error.code);
    flagged.set(key, entry);
  }
  return [...flagged.values()];
}

function main(): void {
  const files = readCorpus();
  const options = schemaOptions();
  const blockCount = files.reduce((sum, file) => sum + file.blocks.length, 0);
  const lineCount = files.reduce((sum, file) => sum + file.lines, 0);

  const timed = Array.from({ length: runs }, () => runCli([...options, corpusDir]));
  const seconds = median(timed.map((run) => run.seconds));
  const startup = measureStartup(options);
  const findings = timed[0].findings;
  const errors = findings.filter((finding) => finding.severity === 'error');
  const warnings = findings.filter((finding) => finding.severity === 'warning');
  const flagged = flaggedBlocks(files, errors);
  const analysis = Math.max(seconds - startup, 1e-6);

  const out: string[] = [];
  out.push(`corpus: ${corpusDir}`);
  out.push(`command: node ${cliPath} lint --format json ${[...options, corpusDir].join(' ')}`);
  out.push(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, load average ${loadavg().map((load) => load.toFixed(1)).join(' ')}`);
  out.push('');
  out.push(`files: ${files.length}`);
  out.push(`blocks: ${blockCount} (${lineCount} lines)`);
  out.push(`blocks with at least one error: ${flagged.length}`);
  out.push(`errors: ${errors.length}, warnings: ${warnings.length}`);
  out.push('');
  out.push('errors by code:');
  for (const [code, count] of countBy(errors, (error) => error.code)) out.push(`  ${count}  ${code}`);
  out.push('errors by message:');
  for (const [message, count] of countBy(errors, (error) => `${error.code} ${error.message}`)) out.push(`  ${count}  ${message}`);
  out.push('warnings by code:');
  for (const [code, count] of countBy(warnings, (warning) => warning.code)) out.push(`  ${count}  ${code}`);
  out.push('flagged blocks:');
  for (const block of flagged) out.push(`  ${block.file}:${block.startLine}  ${[...new Set(block.codes)].join(', ')}`);
  out.push('');
  out.push(`time: ${seconds.toFixed(2)} s median of ${runs} runs (one run of a one-line file: ${startup.toFixed(2)} s)`);
  out.push(`throughput including start-up: ${(files.length / seconds).toFixed(1)} files/s, ${(blockCount / seconds).toFixed(1)} blocks/s, ${(lineCount / seconds).toFixed(0)} lines/s`);
  out.push(`throughput after start-up: ${(blockCount / analysis).toFixed(1)} blocks/s, ${(lineCount / analysis).toFixed(0)} lines/s`);
  if (timed[0].stderr.trim()) out.push('', 'CLI messages:', timed[0].stderr.trim());
  console.log(out.join('\n'));
}

main();
