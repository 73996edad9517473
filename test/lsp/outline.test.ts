import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CodeLens, DocumentSymbol, FoldingRange, Range, SelectionRange, WorkspaceSymbol } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { positionOf, withCursors } from '../helpers/cursor';
import { TestClient } from '../helpers/lspClient';
import { EXAMPLES, ROOT } from '../helpers/paths';

const FIXTURES = resolve(ROOT, 'test/fixtures/editing');
const DEFENDER_HUNTS = readFileSync(join(FIXTURES, 'defender-linux-hunts.kql'), 'utf8');
const SENTINEL_HUNTS = readFileSync(join(FIXTURES, 'sentinel-network-hunts.kql'), 'utf8');
const LINUX_EXAMPLE = readFileSync(join(EXAMPLES, 'linux-hunts.kql'), 'utf8');

function rangeText(text: string, range: Range): string {
  return TextDocument.create('file:///x', 'kql', 1, text).getText(range);
}

describe('outline over stdio', () => {
  const client = new TestClient();
  before(() => client.initialize());
  after(() => client.shutdown());

  test('each hunt is a symbol named by its comment', async () => {
    const uri = 'file:///outline/defender.kql';
    client.open(uri, DEFENDER_HUNTS);
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(
      symbols.map((symbol) => symbol.name),
      [
        'Mirai droppers: wget or curl fetching a payload, then chmod +x',
        'Telnet brute force from one source against many devices',
        'Outbound connections on the Mirai payload ports, with the process that made them',
        "Shadowed names: the function's own `total` hides the outer one",
      ],
    );
    assert.equal(symbols[0].detail, 'DeviceProcessEvents');
    assert.equal(rangeText(DEFENDER_HUNTS, symbols[0].selectionRange), '// Mirai droppers: wget or curl fetching a payload, then chmod +x');
  });

  test('let statements are the children', async () => {
    const uri = 'file:///outline/defender-lets.kql';
    client.open(uri, DEFENDER_HUNTS);
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(symbols[0].children!.map((child) => child.name), ['lookback', 'downloaders']);
    const shadowed = symbols[3].children!;
    assert.deepEqual(shadowed.map((child) => child.name), ['total', 'per_device']);
    assert.equal(shadowed[1].kind, 12);
    assert.deepEqual(shadowed[1].children!.map((child) => child.name), ['total']);
    assert.equal(rangeText(DEFENDER_HUNTS, shadowed[0].selectionRange), 'total');
  });

  test('hunt without a comment is named by its table', async () => {
    const uri = 'file:///outline/sentinel.kql';
    client.open(uri, SENTINEL_HUNTS);
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(
      symbols.map((symbol) => symbol.name),
      ['Firewall denies towards the Mirai payload servers', 'CommonSecurityLog', 'Hosts that talk to many distinct ports on one server (port scans)', 'Syslog lines from busybox shells that fetch scripts'],
    );
    assert.equal(rangeText(SENTINEL_HUNTS, symbols[1].selectionRange), 'CommonSecurityLog');
  });

  test('file header stays out of the first hunt', async () => {
    const uri = 'file:///outline/linux-example.kql';
    client.open(uri, LINUX_EXAMPLE);
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.equal(symbols[0].name, '1. Outbound connections to the Mirai payload ports');
    assert.equal(symbols[0].range.start.line, 3);
  });

  test('hunt sourced from a let names the table', async () => {
    const uri = 'file:///outline/let-source.kql';
    client.open(uri, 'let recent = DeviceNetworkEvents | where Timestamp > ago(1h);\nrecent\n| take 10');
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.equal(symbols[0].name, 'DeviceNetworkEvents');
  });

  test('folding covers hunts, operators and comments', async () => {
    const uri = 'file:///outline/folding.kql';
    client.open(uri, DEFENDER_HUNTS);
    const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
    const spans = ranges.map((range) => `${range.startLine}-${range.endLine}${range.kind ? ` ${range.kind}` : ''}`);
    // File header comment run, then each hunt from its name line to its last line.
    assert.ok(spans.includes('0-1 comment'), spans.join(', '));
    for (const hunt of ['3-13', '15-25', '27-42', '44-55']) assert.ok(spans.includes(hunt), `${hunt} missing from ${spans.join(', ')}`);
    // The let function body and the multi-line join stage.
    assert.ok(spans.includes('17-21'), spans.join(', '));
    assert.ok(spans.includes('46-52'), spans.join(', '));
    assert.ok(spans.includes('37-41'), spans.join(', '));
  });

  test('folding keeps a multi-line summarize stage', async () => {
    const uri = 'file:///outline/folding-summarize.kql';
    client.open(uri, SENTINEL_HUNTS);
    const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
    const lines = SENTINEL_HUNTS.split('\n');
    const summarize = lines.findIndex((line) => line.startsWith('| summarize Ports'));
    assert.ok(ranges.some((range) => range.startLine === summarize && range.endLine === summarize + 1));
    const connections = lines.findIndex((line) => line.startsWith('let connections'));
    assert.ok(ranges.some((range) => range.startLine === connections && range.endLine === connections + 2));
  });

  test('selection expands from name to hunt', async () => {
    const uri = 'file:///outline/selection.kql';
    const { text, offsets } = withCursors('// First hunt\nDeviceNetworkEvents | take 1\n\n// Second hunt\nDeviceNetworkEvents\n| where Timestamp > ago(1d)\n| where Remote‸Port in (23, 2323)\n| project DeviceName');
    client.open(uri, text);
    const [selection] = await client.request<SelectionRange[]>('textDocument/selectionRange', { textDocument: { uri }, positions: [positionOf(text, offsets[0])] });
    const steps: string[] = [];
    for (let step: SelectionRange | undefined = selection; step; step = step.parent) steps.push(rangeText(text, step.range));
    assert.deepEqual(steps, [
      'RemotePort',
      'RemotePort in (23, 2323)',
      'where RemotePort in (23, 2323)',
      '| where RemotePort in (23, 2323)',
      'DeviceNetworkEvents\n| where Timestamp > ago(1d)\n| where RemotePort in (23, 2323)\n| project DeviceName',
      '// Second hunt\nDeviceNetworkEvents\n| where Timestamp > ago(1d)\n| where RemotePort in (23, 2323)\n| project DeviceName',
    ]);
  });

  test('selection in a let reaches its statement', async () => {
    const uri = 'file:///outline/selection-let.kql';
    const { text, offsets } = withCursors('let ports = dynamic([23, 2‸323]);\nDeviceNetworkEvents\n| where RemotePort in (ports)');
    client.open(uri, text);
    const [selection] = await client.request<SelectionRange[]>('textDocument/selectionRange', { textDocument: { uri }, positions: [positionOf(text, offsets[0])] });
    const steps: string[] = [];
    for (let step: SelectionRange | undefined = selection; step; step = step.parent) steps.push(rangeText(text, step.range));
    assert.equal(steps[0], '2323');
    assert.ok(steps.includes('[23, 2323]'), steps.join(' | '));
    assert.ok(steps.includes('let ports = dynamic([23, 2323])'), steps.join(' | '));
    assert.equal(steps[steps.length - 1], text);
  });

  test('code lens copies each hunt', async () => {
    const uri = 'file:///outline/lens.kql';
    client.open(uri, LINUX_EXAMPLE);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const copies = lenses.filter((lens) => lens.command?.command === 'kqlHunt.copyHunt');
    assert.deepEqual(copies.map((lens) => lens.range.start.line), [3, 13, 20]);
    const first = copies[0].command!.arguments![0] as { name: string; text: string };
    assert.equal(first.name, '1. Outbound connections to the Mirai payload ports');
    assert.ok(first.text.startsWith('// 1. Outbound connections'));
    assert.ok(first.text.endsWith('| order by Devices desc'));
    assert.ok(!first.text.includes('Hunts for Linux hosts'));
  });

  test('code lens shows environment and table', async () => {
    const uri = 'file:///outline/lens-environment.kql';
    client.open(uri, LINUX_EXAMPLE);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const labels = lenses.filter((lens) => lens.command?.command === '').map((lens) => lens.command!.title);
    assert.deepEqual(labels, ['Defender XDR · DeviceNetworkEvents', 'Defender XDR · DeviceProcessEvents', 'Sentinel · CommonSecurityLog']);
  });

  test('copied hunt drops tool comments', async () => {
    const uri = 'file:///outline/lens-directives.kql';
    const text = '// Port scan hunt\n// kql-hunt: environment=sentinel\n// kql-hunt-disable-next-line KS142\nCommonSecurityLog\n| take 10 // kql-hunt-disable-line';
    client.open(uri, text);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const copy = lenses.find((lens) => lens.command?.command === 'kqlHunt.copyHunt')!;
    assert.equal((copy.command!.arguments![0] as { text: string }).text, '// Port scan hunt\nCommonSecurityLog\n| take 10');
  });

  test('copy hunt command returns the hunt under the cursor', async () => {
    const uri = 'file:///outline/copy-command.kql';
    client.open(uri, SENTINEL_HUNTS.replace(/\n/g, '\r\n'));
    const result = await client.request<{ name: string; text: string }>('workspace/executeCommand', {
      command: 'kqlHunt.server.huntText',
      arguments: [{ uri, position: { line: 12, character: 3 } }],
    });
    assert.equal(result.name, 'CommonSecurityLog');
    assert.equal(result.text.split('\r\n').length, 3);
    assert.ok(result.text.startsWith('CommonSecurityLog\r\n| where TimeGenerated > ago(1d)'));
  });

  test('code lens setting turns the lens off', async () => {
    const uri = 'file:///outline/lens-off.kql';
    client.open(uri, LINUX_EXAMPLE);
    client.configuration = { codeLens: { enabled: false } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { kqlHunt: client.configuration } });
    try {
      assert.deepEqual(await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } }), []);
    } finally {
      client.configuration = {};
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { kqlHunt: {} } });
    }
    assert.equal((await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } })).length, 6);
  });
});

describe('workspace symbols over stdio', () => {
  const client = new TestClient();
  const workspace = mkdtempSync(join(tmpdir(), 'kql-hunt-symbols-'));
  before(async () => {
    mkdirSync(join(workspace, 'hunts', 'linux'), { recursive: true });
    mkdirSync(join(workspace, 'build'), { recursive: true });
    writeFileSync(join(workspace, 'hunts', 'linux', 'defender.kql'), DEFENDER_HUNTS);
    writeFileSync(join(workspace, 'hunts', 'sentinel.csl'), SENTINEL_HUNTS.replace(/\n/g, '\r\n'));
    writeFileSync(join(workspace, 'build', 'copy-of-defender.kql'), DEFENDER_HUNTS);
    writeFileSync(join(workspace, 'notes.txt'), '// Mirai droppers in a text file');
    writeFileSync(join(workspace, '.gitignore'), 'build/\n');
    await client.initialize({ workspaceFolders: [{ uri: pathToFileURL(workspace).toString(), name: 'hunts' }] });
  });
  after(async () => {
    await client.shutdown();
    rmSync(workspace, { recursive: true, force: true });
  });

  test('search hunts on disk', async () => {
    const symbols = await client.request<WorkspaceSymbol[]>('workspace/symbol', { query: 'mirai' });
    const found = symbols.map((symbol) => `${symbol.containerName}: ${symbol.name}`).sort();
    assert.deepEqual(found, [
      `${join('hunts', 'linux', 'defender.kql')}: Mirai droppers: wget or curl fetching a payload, then chmod +x`,
      `${join('hunts', 'linux', 'defender.kql')}: Outbound connections on the Mirai payload ports, with the process that made them`,
      `${join('hunts', 'sentinel.csl')}: Firewall denies towards the Mirai payload servers`,
    ]);
    const sentinel = symbols.find((symbol) => symbol.name.startsWith('Firewall'))!;
    assert.equal((sentinel.location as { range: Range }).range.start.line, 2);
  });

  test('match characters in order', async () => {
    const symbols = await client.request<WorkspaceSymbol[]>('workspace/symbol', { query: 'tlnt brt' });
    assert.deepEqual(symbols.map((symbol) => symbol.name), ['Telnet brute force from one source against many devices']);
  });

  test('follow the live text', async () => {
    const uri = pathToFileURL(join(workspace, 'hunts', 'linux', 'defender.kql')).toString();
    client.open(uri, DEFENDER_HUNTS.replace('// Telnet brute force', '// SSH and telnet brute force'));
    const symbols = await client.request<WorkspaceSymbol[]>('workspace/symbol', { query: 'brute' });
    assert.deepEqual(symbols.map((symbol) => symbol.name), ['SSH and telnet brute force from one source against many devices']);
    client.close(uri);
  });

  test('see a changed file', async () => {
    const path = join(workspace, 'hunts', 'added.kql');
    writeFileSync(path, '// Reverse shells over netcat\nDeviceProcessEvents\n| where FileName == "nc"');
    try {
      const symbols = await client.request<WorkspaceSymbol[]>('workspace/symbol', { query: 'reverse shells' });
      assert.deepEqual(symbols.map((symbol) => symbol.name), ['Reverse shells over netcat']);
    } finally {
      rmSync(path);
    }
    assert.deepEqual(await client.request<WorkspaceSymbol[]>('workspace/symbol', { query: 'reverse shells' }), []);
  });

  test('open document outside the folders counts', async () => {
    const uri = 'untitled:Untitled-1';
    client.open(uri, '// Cron jobs that fetch payloads\nDeviceProcessEvents\n| take 10');
    try {
      const symbols = await client.request<WorkspaceSymbol[]>('workspace/symbol', { query: 'cron jobs' });
      assert.deepEqual(symbols.map((symbol) => symbol.location.uri), [uri]);
    } finally {
      client.close(uri);
    }
  });

  test('folder added later is searched', async () => {
    const second = mkdtempSync(join(tmpdir(), 'kql-hunt-symbols-added-'));
    writeFileSync(join(second, 'dns.kql'), '// DNS tunnelling by long names\nDeviceNetworkEvents\n| take 10');
    try {
      const folder = { uri: pathToFileURL(second).toString(), name: 'added' };
      await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [folder], removed: [] } });
      const symbols = await client.request<WorkspaceSymbol[]>('workspace/symbol', { query: 'dns tunnelling' });
      assert.deepEqual(symbols.map((symbol) => symbol.containerName), ['dns.kql']);
      await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [folder] } });
      assert.deepEqual(await client.request<WorkspaceSymbol[]>('workspace/symbol', { query: 'dns tunnelling' }), []);
    } finally {
      rmSync(second, { recursive: true, force: true });
    }
  });
});
