import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TestClient } from '../helpers/lspClient';

// The server commands behind "Refang Indicators in File" and "Reload Intel and Schemas". The
// client here does not watch files, and fs.watch is not relied on: Reload must pick up a file
// changed on disk by itself.

function workspace(): { root: string; list: string } {
  const root = mkdtempSync(join(tmpdir(), 'kql-hunt-lsp-commands-'));
  mkdirSync(join(root, 'intel'));
  const list = join(root, 'intel', 'watchlist.txt');
  writeFileSync(list, '# family: Gafgyt\n198.51.100.7\n');
  return { root, list };
}

describe('workspace file commands over stdio', () => {
  const { root, list } = workspace();
  const client = new TestClient({ watchFiles: false, rootPath: root });
  client.configuration = { intel: { files: ['intel/*.txt'] } };

  before(async () => {
    await client.initialize();
    await client.waitForIntelStatus((status) => status.indicators > 3);
  });
  after(() => client.shutdown());

  test('refang command rewrites every defanged literal', async () => {
    const uri = 'file:///lsp/refang.kql';
    client.open(uri, 'let ips = dynamic(["5[.]39[.]216[.]137", "5[.]175[.]215[.]102"]);\nCommonSecurityLog\n| where DestinationIP in (ips) and DestinationPort in (8082, 8083, 456)');
    await client.waitForDiagnostics(uri, (diagnostics) => diagnostics.some((diagnostic) => diagnostic.code === 'defanged-indicator'));
    const result = (await client.connection.sendRequest('workspace/executeCommand', { command: 'kqlHunt.server.refangFile', arguments: [{ uri }] })) as { applied: boolean; message?: string };
    assert.equal(result.applied, true);
    assert.match(result.message ?? '', /Refanged 2 indicators/);
    assert.match(client.text(uri), /dynamic\(\["5\.39\.216\.137", "5\.175\.215\.102"\]\)/);
  });

  test('refang command says when there is nothing to do', async () => {
    const uri = 'file:///lsp/clean.kql';
    client.open(uri, 'CommonSecurityLog | take 1');
    const result = (await client.connection.sendRequest('workspace/executeCommand', { command: 'kqlHunt.server.refangFile', arguments: [{ uri }] })) as { applied: boolean; message?: string };
    assert.equal(result.applied, false);
    assert.match(result.message ?? '', /No string in this file holds a defanged indicator/);
  });

  test('reload command reads a changed file again', async () => {
    const before = await client.connection.sendRequest('kqlHunt/intelStatus') as { indicators: number };
    writeFileSync(list, '# family: Gafgyt\n198.51.100.7\n198.51.100.8\n198.51.100.9\n');
    const result = (await client.connection.sendRequest('workspace/executeCommand', { command: 'kqlHunt.server.reload', arguments: [] })) as { applied: boolean; message?: string };
    assert.equal(result.applied, true);
    const after = await client.waitForIntelStatus((status) => status.indicators === before.indicators + 2);
    assert.equal(after.indicators, before.indicators + 2);
    assert.match(result.message ?? '', /Reloaded: \d+ indicators from 2 sources/);
  });
});
