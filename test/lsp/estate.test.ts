import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { Hover, MarkupContent } from 'vscode-languageserver-protocol/node';
import type { CoverageMatrix, IntelIndicators, IntelTreeNode } from '../../server/src/protocol';
import { writeThreatFoxCsv } from '../helpers/feeds';
import { TestClient } from '../helpers/lspClient';
import { CLI_PATH, EXAMPLES, ROOT } from '../helpers/paths';

// The hunt estate through the language server: the Indicators view rows, copying a family, the
// coverage matrix (the same as `kql-hunt coverage` prints for the same folder), the data
// connector in the hover of a table, and the progress of loading a large feed.

/** Drops the URIs that only the editor needs, so that the matrix compares with the CLI's. */
function withoutUris(matrix: CoverageMatrix): CoverageMatrix {
  return { ...matrix, cells: matrix.cells.map((cell) => ({ ...cell, hunts: cell.hunts.map(({ uri: _uri, ...hunt }) => hunt) })) };
}

describe('hunt estate through the server', () => {
  const root = mkdtempSync(join(tmpdir(), 'kql-hunt-estate-'));
  cpSync(EXAMPLES, join(root, 'examples'), { recursive: true });
  cpSync(join(ROOT, 'test/fixtures/intel/threatfox-full.csv'), join(root, 'intel', 'threatfox-full.csv'));
  const client = new TestClient({ rootPath: root, watchFiles: true });
  client.configuration = { intel: { files: ['intel/*.csv', 'intel/missing.csv'] } };

  before(async () => {
    await client.initialize();
    await client.waitForIntelStatus((status) => status.sources.some((source) => source.name === 'intel/threatfox-full.csv' && source.state === 'loaded'));
  });
  after(async () => {
    await client.shutdown();
    rmSync(root, { recursive: true, force: true });
  });

  test('tree lists every source with status', async () => {
    const sources = await client.request<IntelTreeNode[]>('kqlHunt/intelTree', {});
    assert.deepEqual(
      sources.map((node) => [node.label, node.kind === 'source' ? node.state : node.kind]),
      [
        ['Built-in', 'loaded'],
        ['intel/threatfox-full.csv', 'loaded'],
        ['intel/missing.csv', 'missing'],
      ],
    );
  });

  test('family rows and copying a family', async () => {
    const [, file] = await client.request<IntelTreeNode[]>('kqlHunt/intelTree', {});
    const families = await client.request<IntelTreeNode[]>('kqlHunt/intelTree', { parent: file.id });
    const emotet = families.find((node) => node.kind === 'family' && node.family === 'Emotet');
    assert.ok(emotet, 'no Emotet row');
    assert.ok(emotet.kind === 'family');
    const copied = await client.request<IntelIndicators>('kqlHunt/intelIndicators', { source: emotet.source, set: emotet.set });
    assert.deepEqual(copied.values, ['emotet-c2.example', 'http://emotet-drop.example/load.php', '198.51.100.23:443']);
  });

  test('coverage equals the CLI matrix', async () => {
    const fromServer = await client.request<CoverageMatrix>('kqlHunt/coverage', {});
    const cli = spawnSync(process.execPath, [CLI_PATH, 'coverage', '--format', 'json', '--intel', 'intel/*.csv', '.'], { cwd: root, encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    assert.deepEqual(withoutUris(fromServer), JSON.parse(cli.stdout));
    const hunt = fromServer.cells.find((cell) => cell.hunts.length > 0)!.hunts[0];
    assert.equal(hunt.uri, pathToFileURL(join(root, hunt.file)).href);
  });

  test('hover on a table names its connector', async () => {
    const uri = pathToFileURL(join(root, 'examples', 'mirai-devicenetworkevents.kql')).href;
    client.open(uri, 'DeviceNetworkEvents\n| take 1\n');
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 3 } });
    const text = (hover.contents as MarkupContent).value;
    assert.match(text, /Ensure the Microsoft Defender XDR data connector is enabled\./);
    assert.match(text, /\(\[source\]\(https:\/\/github\.com\/Azure\/Azure-Sentinel\//);
  });
});

describe('progress of a large feed', () => {
  const root = mkdtempSync(join(tmpdir(), 'kql-hunt-feed-progress-'));
  const client = new TestClient({ rootPath: root, watchFiles: true, workDoneProgress: true });
  client.configuration = { intel: { files: ['feed.csv'] } };

  before(async () => {
    await writeThreatFoxCsv(join(root, 'feed.csv'), { rows: 50000 });
  });
  after(async () => {
    await client.shutdown();
    rmSync(root, { recursive: true, force: true });
  });

  test('loading shows window progress', async () => {
    await client.initialize();
    const begin = await client.waitForProgress((event) => event.value.kind === 'begin' && event.value.title === 'KQL Hunt: loading indicators');
    await client.waitForIntelStatus((status) => status.sources.some((source) => source.name === 'feed.csv' && source.state === 'loaded'));
    await client.waitForProgress((event) => event.token === begin.token && event.value.kind === 'end');
    assert.equal(begin.value.cancellable, false);
  });
});
