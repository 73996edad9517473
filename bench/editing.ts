// Measures the editing features on a large multi-hunt document with the real Kusto.Language
// worker: outline, folding, code lens, formatting, navigation, rename, signature help and
// selection ranges. Run after `node build.mjs`:
//   node scripts/run.mjs bench/editing.ts [HUNTS]
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Position } from 'vscode-languageserver-types';
import { splitBlocks } from '../server/src/engine/blocks';
import { codeLenses } from '../server/src/engine/editing/codeLens';
import { foldingRanges } from '../server/src/engine/editing/folding';
import { formatDocument } from '../server/src/engine/editing/formatting';
import { definition, references, rename } from '../server/src/engine/editing/navigation';
import { selectionRanges } from '../server/src/engine/editing/selectionRanges';
import { signatureHelp } from '../server/src/engine/editing/signatureHelp';
import { documentSymbols } from '../server/src/engine/editing/symbols';
import { HuntEngine } from '../server/src/engine/engine';
import { resolveSettings } from '../server/src/engine/settings';

/** Hunts copied from the fixtures; each fixture hunt can split into more than one block. */
const huntCount = Number(process.argv[2] ?? 500);
const settings = resolveSettings({});
const REPEATS = 20;

/** Hunts of the fixtures, each made distinct by a numbered name and lookback. */
function buildDocument(): string {
  const sources = ['test/fixtures/editing/defender-linux-hunts.kql', 'test/fixtures/editing/sentinel-network-hunts.kql'];
  const hunts = sources.flatMap((path) => readFileSync(resolve(path), 'utf8').split(/\n\n(?=\/\/ [A-Z])/).filter((hunt) => !hunt.startsWith('// kql-hunt') && !hunt.startsWith('// Linux hunts')));
  const parts: string[] = [];
  for (let index = 0; index < huntCount; index++) parts.push(hunts[index % hunts.length].replace(/^\/\/ /, `// ${index + 1}. `).replace(/ago\((\d+)d\)/, `ago(${(index % 30) + 1}d)`));
  return parts.join('\n\n') + '\n';
}

async function time<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await run();
  return { ms: performance.now() - started, result };
}

async function median(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let index = 0; index < REPEATS; index++) times.push((await time(run)).ms);
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function positionOf(document: TextDocument, needle: string, from = 0): Position {
  const offset = document.getText().indexOf(needle, from);
  if (offset === -1) throw new Error(`'${needle}' not found in the benchmark document`);
  return document.positionAt(offset);
}

async function main(): Promise<void> {
  const engine = new HuntEngine({ workerPath: resolve('dist/kustoWorker.js'), timeoutMs: 60000 });
  await engine.worker.whenReady();
  const text = buildDocument();
  const document = TextDocument.create('file:///bench/hunts.kql', 'kql', 1, text);
  const lines = text.split('\n').length;
  const blocks = splitBlocks(text).length;
  const rows: [string, string][] = [];
  const record = (name: string, ms: number): void => {
    rows.push([name, `${ms.toFixed(1)} ms`]);
  };

  record('document symbols, cold', (await time(() => documentSymbols(engine, document, settings))).ms);
  record('document symbols, warm', await median(() => documentSymbols(engine, document, settings)));
  record('folding ranges, warm', await median(() => foldingRanges(engine, document, settings)));
  record('code lens, cold (analyses every hunt)', (await time(() => codeLenses(engine, document, settings))).ms);
  record('code lens, warm', await median(() => codeLenses(engine, document, settings)));

  const middle = Math.floor(huntCount / 2);
  const middleHunt = text.indexOf(`// ${middle}. `);
  const edited = TextDocument.create(document.uri, 'kql', 2, text.slice(0, middleHunt) + text.slice(middleHunt).replace('ago(', 'ago(2 * '));
  record('document symbols after a one-hunt edit', (await time(() => documentSymbols(engine, edited, settings))).ms);

  const options = { tabSize: 4, insertSpaces: true };
  const formatted = await time(() => formatDocument(engine, document, options, settings));
  record(`format document (${formatted.result.edits.length} hunts changed)`, formatted.ms);
  const formattedDocument = TextDocument.create(document.uri, 'kql', 3, TextDocument.applyEdits(document, formatted.result.edits));
  const again = await time(() => formatDocument(engine, formattedDocument, options, settings));
  record(`format document again (${again.result.edits.length} hunts changed)`, again.ms);

  const totalUse = positionOf(document, 'where Files > total', middleHunt);
  const use = { line: totalUse.line, character: totalUse.character + 'where Files > '.length + 1 };
  record('go to definition', await median(() => definition(engine, document, use, settings)));
  record('find references', await median(() => references(engine, document, use, true, settings)));
  record('rename', await median(() => rename(engine, document, use, 'doubled_minimum', settings)));
  const call = positionOf(document, 'round(todouble(Attempts) / Targets, 2)', middleHunt);
  record('signature help', await median(() => signatureHelp(engine, document, { line: call.line, character: call.character + 'round(todouble(Attempts) / Targets, '.length }, settings)));
  record('selection ranges', await median(() => selectionRanges(engine, document, [use], settings)));

  console.log(`${blocks} hunts, ${lines} lines, ${text.length} characters; medians of ${REPEATS} runs unless cold.`);
  for (const [name, value] of rows) console.log(`${name.padEnd(45)} ${value}`);
  await engine.dispose();
}

void main();
