import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CodeAction, CompletionList, Hover, MarkupContent, TextEdit } from 'vscode-languageserver-protocol/node';
import { SCENARIOS } from '../../server/src/engine/hunts/scenarios';
import { withCursor, positionOf } from '../helpers/cursor';
import { TestClient } from '../helpers/lspClient';
import { GENERATED_COMMONSECURITYLOG_HUNT, queryLines, REPORT_COMMONSECURITYLOG_HUNT, REPORT_DEVICENETWORKEVENTS_HUNT } from '../helpers/reportHunts';

const ALL_MISSING = SCENARIOS.map((scenario) => `missing-exclusion/${scenario.id}`).sort();
const codesOf = (diagnostics: { code?: string | number }[]): string[] => diagnostics.map((diagnostic) => String(diagnostic.code)).sort();

describe('language server over stdio', () => {
  const client = new TestClient();
  before(() => client.initialize());
  after(() => client.shutdown());

  test('publishes the five exclusion warnings for the report hunt', async () => {
    const uri = 'file:///lsp/dne.kql';
    const published = client.waitForDiagnostics(uri);
    client.open(uri, REPORT_DEVICENETWORKEVENTS_HUNT);
    assert.deepEqual(codesOf(await published), ALL_MISSING);
  });

  test('publishes nothing wrong for the CommonSecurityLog hunt', async () => {
    const uri = 'file:///lsp/csl.kql';
    const published = client.waitForDiagnostics(uri);
    client.open(uri, REPORT_COMMONSECURITYLOG_HUNT);
    assert.deepEqual(await published, []);
  });

  test('didChange re-analyses and reports a typo', async () => {
    const uri = 'file:///lsp/change.kql';
    client.open(uri, 'DeviceNetworkEvents\n| project RemotePort');
    await client.waitForDiagnostics(uri);
    const updated = client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length > 0);
    client.change(uri, [TextEdit.replace({ start: { line: 1, character: 16 }, end: { line: 1, character: 20 } }, 'Prt')]);
    const diagnostics = await updated;
    assert.equal(diagnostics[0].code, 'KS142');
    assert.match(diagnostics[0].message as string, /Did you mean 'RemotePort'/);
  });

  test('completion offers the columns of the table in scope, filtered by prefix', async () => {
    const uri = 'file:///lsp/completion.kql';
    const { text, offset } = withCursor('DeviceNetworkEvents\n| where Remo‸');
    client.open(uri, text);
    const list = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: positionOf(text, offset) })) as CompletionList;
    const labels = list.items.map((item) => item.label);
    assert.ok(labels.includes('RemoteIP'));
    assert.ok(labels.includes('RemotePort'));
    assert.ok(!labels.includes('DeviceName'));
  });

  test('completion at the start of a query offers tables', async () => {
    const uri = 'file:///lsp/tables.kql';
    const { text, offset } = withCursor('CommonSecurityLog | take 1\n\nDeviceNetw‸');
    client.open(uri, text);
    const list = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: positionOf(text, offset) })) as CompletionList;
    assert.ok(list.items.some((item) => item.label === 'DeviceNetworkEvents'));
  });

  test('completion offers let names', async () => {
    const uri = 'file:///lsp/let.kql';
    const { text, offset } = withCursor('let malicious_ips = dynamic(["1.2.3.4"]);\nDeviceNetworkEvents\n| where RemoteIP in (mali‸');
    client.open(uri, text);
    const list = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: positionOf(text, offset) })) as CompletionList;
    assert.ok(list.items.some((item) => item.label === 'malicious_ips'));
  });

  test('completion is capped and marked incomplete', async () => {
    const uri = 'file:///lsp/cap.kql';
    client.configuration = { completion: { maxItems: 10 } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { kqlHunt: client.configuration } });
    try {
      const { text, offset } = withCursor('DeviceNetworkEvents\n| extend x = ‸');
      client.open(uri, text);
      const list = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: positionOf(text, offset) })) as CompletionList;
      assert.equal(list.items.length, 10);
      assert.equal(list.isIncomplete, true);
    } finally {
      client.configuration = {};
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { kqlHunt: {} } });
    }
  });

  test('hover shows a column type', async () => {
    const uri = 'file:///lsp/hover.kql';
    const { text, offset } = withCursor('DeviceNetworkEvents\n| where Remote‸Port == 23');
    client.open(uri, text);
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: positionOf(text, offset) })) as Hover;
    assert.match((hover.contents as MarkupContent).value, /RemotePort: int/);
  });

  test('hover on a table shows columns, environment and scenarios', async () => {
    const uri = 'file:///lsp/hover-table.kql';
    const { text, offset } = withCursor('Common‸SecurityLog\n| take 1');
    client.open(uri, text);
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: positionOf(text, offset) })) as Hover;
    const value = (hover.contents as MarkupContent).value;
    assert.match(value, /\*\*CommonSecurityLog\*\*: \d+ columns in Microsoft Sentinel/);
    assert.match(value, /`nmap-internal-scan`: does not apply, because CommonSecurityLog has no process command line column/);
  });

  test('hover on an indicator shows its context', async () => {
    const uri = 'file:///lsp/hover-ioc.kql';
    const { text, offset } = withCursor('let ips = dynamic(["5.39.2‸16.137"]);\nCommonSecurityLog\n| where DestinationIP in (ips)');
    client.open(uri, text);
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: positionOf(text, offset) })) as Hover;
    const value = (hover.contents as MarkupContent).value;
    assert.match(value, /ThreatFox - Mirai/);
    assert.match(value, /payload_delivery/);
    assert.match(value, /first seen 2026-06-14/);
  });

  test('code action adds a missing exclusion', async () => {
    const uri = 'file:///lsp/fix.kql';
    const published = client.waitForDiagnostics(uri);
    client.open(uri, REPORT_DEVICENETWORKEVENTS_HUNT);
    const diagnostics = await published;
    const target = diagnostics.find((diagnostic) => diagnostic.code === 'missing-exclusion/rsync-log-collection')!;
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: target.range,
      context: { diagnostics: [target], only: ['quickfix'] },
    })) as CodeAction[];
    const fix = actions.find((action) => action.title === 'Add exclusion for rsync-log-collection');
    assert.ok(fix, actions.map((action) => action.title).join('\n'));

    const updated = client.waitForDiagnostics(uri, (next) => next.length === 4);
    client.change(uri, fix.edit!.changes![uri]);
    assert.deepEqual(codesOf(await updated), ALL_MISSING.filter((code) => !code.includes('rsync')));
  });

  test('source actions offer the two report hunts', async () => {
    const uri = 'file:///lsp/source.kql';
    client.open(uri, '');
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source'] },
    })) as CodeAction[];
    const titles = actions.map((action) => action.title);
    assert.ok(titles.includes('Insert hunt: ThreatFox - Mirai over CommonSecurityLog'));
    assert.ok(titles.includes('Insert hunt: ThreatFox - Mirai over DeviceNetworkEvents with exclusions'));
  });

  test('insert hunt command inserts the report hunt exactly', async () => {
    const uri = 'file:///lsp/insert.kql';
    client.open(uri, '');
    const result = (await client.connection.sendRequest('workspace/executeCommand', {
      command: 'kqlHunt.server.insertHunt',
      arguments: [{ uri, table: 'CommonSecurityLog' }],
    })) as { applied: boolean };
    assert.equal(result.applied, true);
    assert.equal(client.text(uri), GENERATED_COMMONSECURITYLOG_HUNT + '\n');
  });

  test('insert hunt command with exclusions yields a clean hunt', async () => {
    const uri = 'file:///lsp/insert-excluded.kql';
    // A typo keeps the first diagnostics non-empty; fixing it after the insertion publishes the
    // diagnostics of the whole document, which must then be empty.
    const first = client.waitForDiagnostics(uri);
    client.open(uri, 'DeviceNetworkEvents | project Nope');
    assert.equal((await first).length, 1);
    await client.connection.sendRequest('workspace/executeCommand', {
      command: 'kqlHunt.server.insertHunt',
      arguments: [{ uri, table: 'DeviceNetworkEvents', withExclusions: true }],
    });
    const clean = client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length === 0);
    client.change(uri, [TextEdit.replace({ start: { line: 0, character: 30 }, end: { line: 0, character: 34 } }, 'RemotePort')]);
    await clean;
    const hunt = client.text(uri).split('\n\n')[1];
    assert.deepEqual(queryLines(hunt).filter((line) => !line.startsWith('| where not(')), [...queryLines(REPORT_DEVICENETWORKEVENTS_HUNT), '']);
  });

  test('add all missing exclusions command clears the warnings', async () => {
    const uri = 'file:///lsp/add-all.kql';
    const published = client.waitForDiagnostics(uri);
    client.open(uri, REPORT_DEVICENETWORKEVENTS_HUNT);
    await published;
    const clean = client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length === 0);
    const result = (await client.connection.sendRequest('workspace/executeCommand', { command: 'kqlHunt.server.addAllExclusions', arguments: [{ uri }] })) as { applied: boolean };
    assert.equal(result.applied, true);
    await clean;
  });

  test('settings change applies without a restart', async () => {
    const uri = 'file:///lsp/settings.kql';
    const published = client.waitForDiagnostics(uri);
    client.open(uri, 'ExposureGraphNodes | take 1');
    assert.deepEqual(await published, []);
    const updated = client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length === 1);
    client.configuration = { environment: 'sentinel' };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { kqlHunt: client.configuration } });
    try {
      assert.equal((await updated)[0].code, 'KS204');
    } finally {
      client.configuration = {};
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { kqlHunt: {} } });
    }
  });

  test('closing a document clears its diagnostics', async () => {
    const uri = 'file:///lsp/close.kql';
    const published = client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length > 0);
    client.open(uri, 'DeviceNetworkEvents | project Nope');
    await published;
    const cleared = client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length === 0);
    client.close(uri);
    await cleared;
  });
});
