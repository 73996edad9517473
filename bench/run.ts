// `npm run bench`: measures the language server over stdio where a user feels it, beside the
// same operation done directly with Kusto.Language in one process (the floor). Prints a table
// and appends it to bench/RESULTS.md with the date, commit, machine and Node version.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { splitBlocks } from '../server/src/engine/blocks';
import { resolveSettings } from '../server/src/engine/settings';
import { TestClient } from '../test/helpers/lspClient';
import { CLI_PATH } from '../test/helpers/paths';
import { KustoFloor } from './lib/floor';
import { memoryOf, ms, stats } from './lib/stats';
import { generateDocument, huntLine } from './generate';

interface Row {
  measure: string;
  server: string;
  floor: string;
  ratio: string;
  note: string;
}

const rows: Row[] = [];
/** The default of kqlHunt.analysis.debounceMs; the keystroke runs set it to 0 and report it beside. */
const DEBOUNCE_MS = resolveSettings({}).analysis.debounceMs;
const floor = new KustoFloor();
const quick = process.argv.includes('--quick');
/** `--only keystroke,requests` runs some measures and does not write bench/RESULTS.md, for trying a change. */
const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex === -1 ? undefined : new Set(process.argv[onlyIndex + 1].split(','));
const wanted = (measure: string): boolean => !only || only.has(measure);

function record(measure: string, server: number[], floorSamples: number[] | undefined, note = ''): void {
  const s = stats(server);
  const f = floorSamples ? stats(floorSamples) : undefined;
  rows.push({
    measure,
    server: `${ms(s.median)} / ${ms(s.p95)} ms (n=${s.runs})`,
    floor: f ? `${ms(f.median)} / ${ms(f.p95)} ms` : '-',
    ratio: f ? `${(s.median / f.median).toFixed(2)}x` : '-',
    note,
  });
  console.log(`${measure}: ${rows[rows.length - 1].server}, floor ${rows[rows.length - 1].floor}, ratio ${rows[rows.length - 1].ratio} ${note}`);
}

async function startClient(configuration: Record<string, unknown> = {}): Promise<TestClient> {
  const client = new TestClient();
  client.configuration = configuration;
  await client.initialize();
  return client;
}

async function coldStart(): Promise<void> {
  const samples: number[] = [];
  const text = generateDocument(2);
  for (let run = 0; run < (quick ? 3 : 10); run++) {
    const started = performance.now();
    const client = new TestClient();
    await client.initialize();
    const published = client.waitForDiagnostics('file:///bench/cold.kql', () => true, 60000);
    client.open('file:///bench/cold.kql', text);
    await published;
    samples.push(performance.now() - started);
    await client.shutdown();
  }
  record('cold start to first diagnostics (20-line hunt)', samples, undefined, 'process start included');
}

/** Types one letter at a time into one hunt, timing each change until its diagnostics arrive. */
async function keystrokes(hunts: number, edits: number): Promise<void> {
  const client = await startClient({ analysis: { debounceMs: 0 } });
  const uri = `file:///bench/keystroke-${hunts}.kql`;
  const text = generateDocument(hunts);
  const opened = client.waitForDiagnostics(uri, () => true, 600000);
  const openStarted = performance.now();
  client.open(uri, text);
  await opened;
  const openMs = performance.now() - openStarted;

  // Hunt 0 of every five is DeviceNetworkEvents; its fifth line holds `ActionType`. Each
  // keystroke appends a letter to it, so every edit yields new text (no cache hit) and a new
  // KS142 message (so the server publishes).
  const target = Math.floor(hunts / 2) - (Math.floor(hunts / 2) % 5);
  const line = huntLine(target) + 4;
  const column = client.text(uri).split('\n')[line].indexOf('ActionType') + 'ActionType'.length;
  const samples: number[] = [];
  const floorSamples: number[] = [];
  const block = splitBlocks(text).find((candidate) => candidate.startLine <= line && line <= candidate.endLine)!;
  let typed = '';
  for (let edit = 0; edit < edits; edit++) {
    const letter = String.fromCharCode(97 + (edit % 26));
    typed += letter;
    const expected = `ActionType${typed}`;
    const published = client.waitForDiagnostics(uri, (diagnostics) => diagnostics.some((diagnostic) => (diagnostic.message as string).includes(`'${expected}'`)), 60000);
    const position = { line, character: column + typed.length - 1 };
    // Sent directly: the test client's own copy of a 50,000-line text would be timed too.
    const change = { textDocument: { uri, version: edit + 2 }, contentChanges: [{ range: { start: position, end: position }, text: letter }] };
    const started = performance.now();
    void client.connection.sendNotification('textDocument/didChange', change);
    await published;
    samples.push(performance.now() - started);
    // The floor right after the server, on the same block text, so both see the same machine load.
    floorSamples.push(floor.analyse(block.text.replace('ActionType', expected), 'defender'));
  }
  const memory = memoryOf(client.process.pid!);
  await client.shutdown();

  record(`keystroke to diagnostics, ${hunts * 10} lines (${hunts} hunts)`, samples, floorSamples, `debounce ${DEBOUNCE_MS} ms by default, excluded; whole document first analysed in ${ms(openMs)} ms; peak RSS ${memory.peakMb.toFixed(0)} MB`);
}

async function requests(): Promise<void> {
  const client = await startClient();
  const uri = 'file:///bench/requests.kql';
  const text = generateDocument(500);
  const opened = client.waitForDiagnostics(uri, () => true, 600000);
  client.open(uri, text);
  await opened;
  const lines = text.split('\n');
  const blocks = splitBlocks(text);

  const positions = Array.from({ length: 20 }, (_, index) => {
    const hunt = index * 25;
    const line = huntLine(hunt) + 4;
    return { line, character: Math.min(lines[line].length, 10) };
  });
  const completion: number[] = [];
  const hover: number[] = [];
  const actions: number[] = [];
  const floorCompletion: number[] = [];
  const floorHover: number[] = [];
  for (let round = 0; round < (quick ? 2 : 5); round++) {
    for (const position of positions) {
      let started = performance.now();
      await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position });
      completion.push(performance.now() - started);

      started = performance.now();
      await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
      hover.push(performance.now() - started);

      started = performance.now();
      await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [] } });
      actions.push(performance.now() - started);

      const block = blocks.find((candidate) => candidate.startLine <= position.line && position.line <= candidate.endLine)!;
      const offset = text.split('\n').slice(0, position.line).join('\n').length + 1 + position.character - block.start;
      const environment = block.text.includes('Timestamp') && block.text.includes('Device') ? 'defender' : 'sentinel';
      floorCompletion.push(floor.complete(block.text, offset, environment));
      floorHover.push(floor.quickInfo(block.text, offset, environment));
    }
  }
  await client.shutdown();
  record('completion at 20 positions, 5,000 lines', completion, floorCompletion);
  record('hover at 20 positions, 5,000 lines', hover, floorHover);
  record('code actions at 20 positions, 5,000 lines', actions, undefined, 'includes the source actions that generate hunts');
}

function cliThroughput(): void {
  const dir = mkdtempSync(join(tmpdir(), 'kql-hunt-bench-'));
  try {
    let lines = 0;
    let blocks = 0;
    const files = quick ? 100 : 500;
    for (let file = 0; file < files; file++) {
      const text = generateDocument(10, file);
      lines += text.split('\n').length - 1;
      blocks += splitBlocks(text).length;
      writeFileSync(join(dir, `hunt-${file}.kql`), text);
    }
    const samples: number[] = [];
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      const result = spawnSync(process.execPath, [CLI_PATH, 'lint', '--format', 'json', dir], { encoding: 'utf8', maxBuffer: 1 << 28 });
      if (result.status !== 0) throw new Error(`CLI failed: ${result.stderr}`);
      samples.push(performance.now() - started);
    }
    const median = stats(samples).median;
    // Floor: each distinct block analysed once in this process (the generated files repeat
    // hunts, and the CLI analyses a repeated block once too).
    const distinct = new Set<string>();
    for (let file = 0; file < files; file++) for (const block of splitBlocks(generateDocument(10, file))) distinct.add(block.text);
    let floorMs = 0;
    for (const text of distinct) floorMs += floor.analyse(text, /Device\w+\n\| where Timestamp/.test(text) ? 'defender' : 'sentinel');
    rows.push({
      measure: `CLI lint, ${files} files`,
      server: `${Math.round(lines / (median / 1000))} lines/s, ${Math.round(blocks / (median / 1000))} blocks/s (${ms(median)} ms)`,
      floor: `${Math.round(blocks / (floorMs / 1000))} blocks/s`,
      ratio: `${(median / floorMs).toFixed(2)}x`,
      note: `${lines} lines, ${blocks} blocks (${distinct.size} distinct); process start and Kusto load included in the server figure`,
    });
    console.log(`CLI: ${rows[rows.length - 1].server}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function memory(): Promise<void> {
  const client = await startClient();
  const waits: Promise<unknown>[] = [];
  for (let index = 0; index < 50; index++) {
    const uri = `file:///bench/memory-${index}.kql`;
    waits.push(client.waitForDiagnostics(uri, () => true, 600000));
    client.open(uri, generateDocument(20, index));
  }
  await Promise.all(waits);
  const many = memoryOf(client.process.pid!);
  // The first hover starts the thread that serves interactive requests; its memory is the cost of that thread.
  await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///bench/memory-0.kql' }, position: { line: 1, character: 3 } });
  const withInteractive = memoryOf(client.process.pid!);
  await client.shutdown();
  rows.push({ measure: 'memory, 50 open documents of 200 lines', server: `peak RSS ${many.peakMb.toFixed(0)} MB, now ${many.rssMb.toFixed(0)} MB`, floor: '-', ratio: '-', note: 'server process with its analysis thread' });
  rows.push({
    measure: 'memory, the same after one hover',
    server: `peak RSS ${withInteractive.peakMb.toFixed(0)} MB, now ${withInteractive.rssMb.toFixed(0)} MB`,
    floor: '-',
    ratio: '-',
    note: `adds the thread for interactive requests: ${(withInteractive.rssMb - many.rssMb).toFixed(0)} MB`,
  });

  const big = await startClient();
  const uri = 'file:///bench/memory-big.kql';
  const published = big.waitForDiagnostics(uri, () => true, 600000);
  big.open(uri, generateDocument(5000));
  await published;
  const one = memoryOf(big.process.pid!);
  await big.shutdown();
  rows.push({ measure: 'memory, one 50,000-line document', server: `peak RSS ${one.peakMb.toFixed(0)} MB, now ${one.rssMb.toFixed(0)} MB`, floor: '-', ratio: '-', note: 'block cache limited to 20,000 entries and 32 M characters' });
  console.log(`memory: ${rows[rows.length - 3].server}; ${rows[rows.length - 2].server}; ${rows[rows.length - 1].server}`);
}

function writeResults(): void {
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  const machine = `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB`;
  const header = `\n## ${new Date().toISOString().slice(0, 10)}, commit ${commit}${quick ? ' (quick run)' : ''}\n\nCommand: \`npm run bench\`. Machine: ${machine}. Node ${process.version}.\nMedian / p95 unless stated; floor = the same operation with Kusto.Language called directly in one process.\n\n`;
  const table = ['| measure | server | floor | ratio | note |', '|---|---|---|---|---|', ...rows.map((row) => `| ${row.measure} | ${row.server} | ${row.floor} | ${row.ratio} | ${row.note} |`)].join('\n');
  appendFileSync('bench/RESULTS.md', header + table + '\n');
  console.log(`\n${table}\n\nAppended to bench/RESULTS.md.`);
}

async function main(): Promise<void> {
  if (wanted('cold')) await coldStart();
  if (wanted('keystroke')) for (const hunts of quick ? [50, 500] : [50, 500, 5000]) await keystrokes(hunts, quick ? 10 : 60);
  if (wanted('requests')) await requests();
  if (wanted('cli')) cliThroughput();
  if (wanted('memory')) await memory();
  if (!only) writeResults();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
