// Measures the workspace scan with the real language server over stdio. It reports how long the
// scan of a workspace of many hunt files takes in the background, and how much slower typing in
// an open document gets meanwhile (analysis and completion latency). Run after `node build.mjs`:
//   node scripts/run.mjs bench/workspace-scan.ts [FILES] [SECONDS]
// Each mode starts a fresh server, so no mode profits from analyses cached by another.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ScanStatus } from '../server/src/protocol';
import { TestClient } from '../test/helpers/lspClient';
import { generateDocument } from './generate';
import { ms, stats } from './lib/stats';

const FILES = Number(process.argv[2] ?? 300);
/** How long typing is measured when no scan runs. */
const BASELINE_SECONDS = Number(process.argv[3] ?? 15);
/** Hunts per generated file. */
const HUNTS_PER_FILE = 5;
/** Pause between two keystrokes, as a fast typist. */
const KEYSTROKE_MS = 100;

interface ModeResult {
  mode: string;
  scanSeconds?: number;
  analysis: number[];
  completion: number[];
}

function createWorkspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'kql-hunt-bench-scan-'));
  mkdirSync(join(root, 'hunts'));
  for (let index = 0; index < FILES; index++) writeFileSync(join(root, 'hunts', `hunt-${String(index).padStart(4, '0')}.kql`), generateDocument(HUNTS_PER_FILE, index + 1));
  return root;
}

/** Types one character into the comment of the open document, waits for its analysis, then requests completion. */
async function keystroke(client: TestClient, uri: string, count: number, result: ModeResult): Promise<void> {
  const analysed = client.waitForAnalysis(uri, 60000);
  const started = performance.now();
  client.change(uri, [{ range: { start: { line: 0, character: 9 + count }, end: { line: 0, character: 9 + count } }, newText: 'x' }]);
  await analysed;
  result.analysis.push(performance.now() - started);

  const requested = performance.now();
  await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 2, character: 8 } });
  result.completion.push(performance.now() - requested);
}

async function runMode(root: string, mode: string, lint: Record<string, unknown> | undefined): Promise<ModeResult> {
  const client = new TestClient({ rootPath: root, watchFiles: true, workDoneProgress: true });
  client.configuration = { analysis: { debounceMs: 0 } };
  await client.initialize();
  const uri = pathToFileURL(join(root, 'typing.kql')).href;
  const opened = client.waitForAnalysis(uri, 60000);
  client.open(uri, '// typing \nDeviceNetworkEvents\n| where \n| take 10\n');
  await opened;

  const result: ModeResult = { mode, analysis: [], completion: [] };
  let idle = false;
  let count = 0;
  const started = performance.now();
  if (lint) {
    const done = client.waitForNotification<ScanStatus>('kqlHunt/scanStatus', (status) => status.state === 'idle' && status.published >= 0, 30 * 60 * 1000);
    void done.then(() => (idle = true));
    await client.setConfiguration({ analysis: { debounceMs: 0 }, lint });
    while (!idle) {
      await keystroke(client, uri, count++, result);
      await sleep(KEYSTROKE_MS);
    }
    result.scanSeconds = (performance.now() - started) / 1000;
  } else {
    while (performance.now() - started < BASELINE_SECONDS * 1000) {
      await keystroke(client, uri, count++, result);
      await sleep(KEYSTROKE_MS);
    }
  }
  await client.shutdown();
  return result;
}

function row(result: ModeResult): string {
  const analysis = stats(result.analysis);
  const completion = stats(result.completion);
  const max = (values: number[]): string => ms(Math.max(...values));
  const scan = result.scanSeconds === undefined ? '-' : `${result.scanSeconds.toFixed(1)} s`;
  return `| ${result.mode} | ${scan} | ${analysis.runs} | ${ms(analysis.median)} | ${ms(analysis.p95)} | ${max(result.analysis)} | ${ms(completion.median)} | ${ms(completion.p95)} | ${max(result.completion)} |`;
}

async function main(): Promise<void> {
  const root = createWorkspace();
  try {
    console.log(`Workspace: ${FILES} files of ${HUNTS_PER_FILE} hunts (${FILES * HUNTS_PER_FILE} hunts); a keystroke every ${KEYSTROKE_MS} ms in an open document.\n`);
    const results = [
      await runMode(root, 'open files only (no scan)', undefined),
      await runMode(root, 'workspace scan, 250 ms per second (default)', { scope: 'workspace' }),
      await runMode(root, 'workspace scan, 1000 ms per second (no pause)', { scope: 'workspace', workspaceBudgetMs: 1000 }),
    ];
    console.log('| mode | scan time | keystrokes | analysis median | analysis p95 | analysis max | completion median | completion p95 | completion max |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const result of results) console.log(row(result));
    console.log('\nLatencies in ms: analysis from the change to the `kqlHunt/documentAnalysed` notification (debounce 0), completion from request to response.');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
