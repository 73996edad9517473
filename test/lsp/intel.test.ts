import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CompletionItem, CompletionList, Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol/node';
import { positionOf, withCursor } from '../helpers/cursor';
import { IntelStatusMessage, TestClient } from '../helpers/lspClient';

const HEADER = '# "first_seen_utc","ioc_id","ioc_value","ioc_type","threat_type","fk_malware","malware_alias","malware_printable","last_seen_utc","confidence_level","reference","tags","anonymous","reporter"';

function row(id: number, value: string, type: string, family: string, confidence = 75): string {
  return `"2026-06-10 11:00:00", "${id}", "${value}", "${type}", "botnet_cc", "win.${family.toLowerCase()}", "None", "${family}", "None", "${confidence}", "https://example.org/${id}", "None", "0", "tester"`;
}

const FEED = [HEADER, row(1, 'emotet-one.example', 'domain', 'Emotet'), row(2, 'emotet-two.example', 'domain', 'Emotet'), row(3, '192.0.2.50:443', 'ip:port', 'Gafgyt')].join('\n') + '\n';

function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'kql-hunt-lsp-intel-'));
  mkdirSync(join(root, 'intel'));
  writeFileSync(join(root, 'intel', 'feed.csv'), FEED);
  return root;
}

const DOMAIN_HUNT = 'DnsEvents\n| where Name in~ ("emotet-one.example")\n| project TimeGenerated, Name';

const codes = (diagnostics: Diagnostic[]): string[] => diagnostics.map((diagnostic) => String(diagnostic.code));
const feedSource = (status: IntelStatusMessage): IntelStatusMessage['sources'][number] | undefined => status.sources.find((source) => source.name === 'intel/feed.csv');

async function hoverText(client: TestClient, uri: string, marked: string): Promise<string> {
  const { text, offset } = withCursor(marked);
  client.open(uri, text);
  const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: positionOf(text, offset) })) as Hover | null;
  assert.ok(hover, 'no hover');
  return (hover.contents as MarkupContent).value;
}

async function completionAt(client: TestClient, uri: string, marked: string): Promise<CompletionList> {
  const { text, offset } = withCursor(marked);
  client.open(uri, text);
  return (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: positionOf(text, offset) })) as CompletionList;
}

describe('indicator files through the language server', () => {
  const root = workspace();
  const feed = join(root, 'intel', 'feed.csv');
  const client = new TestClient({ watchFiles: true, rootPath: root });
  client.configuration = { intel: { files: ['intel/*.csv'] } };

  before(async () => {
    await client.initialize();
    await client.waitForIntelStatus((status) => feedSource(status)?.state === 'loaded');
  });
  after(() => client.shutdown());

  test('server registers a watcher for the glob', async () => {
    const registration = await client.waitForRegistration('workspace/didChangeWatchedFiles');
    const watchers = (registration.registerOptions as { watchers: { globPattern: { pattern: string } }[] }).watchers;
    assert.deepEqual(
      watchers.map((watcher) => watcher.globPattern.pattern),
      ['intel/*.csv'],
    );
  });

  test('status request lists each source', async () => {
    const status = (await client.connection.sendRequest('kqlHunt/intelStatus')) as IntelStatusMessage & { sets: { name: string }[] };
    assert.deepEqual(status.sources.map((source) => [source.name, source.state, source.indicators]), [
      ['built-in', 'loaded', 3],
      ['intel/feed.csv', 'loaded', 3],
    ]);
    assert.deepEqual(status.sets.map((set) => set.name), ['ThreatFox - Mirai', 'ThreatFox - Emotet', 'ThreatFox - Gafgyt']);
    const command = (await client.connection.sendRequest('workspace/executeCommand', { command: 'kqlHunt.server.intelStatus', arguments: [] })) as IntelStatusMessage;
    assert.equal(command.indicators, 6);
  });

  test('hunt is checked against the loaded file', async () => {
    const uri = 'file:///lsp-intel/domains.kql';
    const published = client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length > 0);
    client.open(uri, DOMAIN_HUNT);
    const diagnostics = await published;
    assert.deepEqual(codes(diagnostics), ['incomplete-indicator-list']);
    assert.match(String(diagnostics[0].message), /1 of the 2 domains of ThreatFox - Emotet; missing: emotet-two\.example/);
  });

  test('hover shows indicator context', async () => {
    const value = await hoverText(client, 'file:///lsp-intel/hover.kql', 'DnsEvents\n| where Name == "emotet-tw‸o.example"');
    assert.match(value, /In the loaded set: \*ThreatFox - Emotet\*/);
    assert.match(value, /\*\*emotet-two\.example\*\* \(domain\)/);
    assert.match(value, /- family: Emotet/);
    assert.match(value, /- threat type: botnet_cc/);
    assert.match(value, /- first seen 2026-06-10T11:00:00Z/);
    assert.match(value, /- confidence: 75%/);
    assert.match(value, /- reference: https:\/\/example\.org\/2/);
    assert.match(value, /- source: ThreatFox, intel\/feed\.csv:3/);
  });

  test('hover on a defanged indicator says so', async () => {
    const value = await hoverText(client, 'file:///lsp-intel/hover-defanged.kql', 'DeviceNetworkEvents\n| where RemoteIP == "192[.]0[.]2[.]5‸0"');
    assert.match(value, /\*\*defanged\*\* and can never match real telemetry; refanged it is `192\.0\.2\.50`/);
    assert.match(value, /\*\*192\.0\.2\.50:443\*\* \(ip:port\) in \*ThreatFox - Gafgyt\*/);
  });

  test('hover on an unknown indicator', async () => {
    const value = await hoverText(client, 'file:///lsp-intel/hover-unknown.kql', 'DeviceNetworkEvents\n| where RemoteIP == "198.51.100.‸77"');
    assert.match(value, /\*\*198\.51\.100\.77\*\* \(ip\) is in no loaded indicator set/);
  });

  test('dynamic list completes indicators and sets', async () => {
    const list = await completionAt(client, 'file:///lsp-intel/complete.kql', 'let domains = dynamic(["emotet-one.example", ‸]);\nDnsEvents\n| where Name in~ (domains)');
    const labels = list.items.map((item: CompletionItem) => item.label);
    assert.ok(labels.includes('emotet-two.example'), labels.join(', '));
    assert.ok(!labels.includes('emotet-one.example'), 'values already in the list are left out');
    const whole = list.items.find((item) => item.label === 'ThreatFox - Mirai: all 2 addresses');
    assert.ok(whole, labels.join(', '));
    assert.equal((whole.textEdit as { newText: string }).newText, '"5.39.216.137", "5.175.215.102"');

    const two = list.items.find((item) => item.label === 'emotet-two.example')!;
    assert.equal(two.labelDetails?.description, 'Emotet');
    assert.equal((two.textEdit as { newText: string }).newText, '"emotet-two.example"');
    const sorted = [...list.items].sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1)).map((item) => item.label);
    assert.ok(sorted.indexOf('emotet-two.example') < sorted.indexOf('5.39.216.137'), 'the domains of a domain list come first');
  });

  test('completion inside a typed literal replaces it', async () => {
    const { text, offset } = withCursor('DeviceNetworkEvents\n| where RemoteIP in ("5.39.216.137", "5.1‸")');
    const list = await completionAt(client, 'file:///lsp-intel/complete-literal.kql', text.slice(0, offset) + '‸' + text.slice(offset));
    const labels = list.items.map((item) => item.label);
    assert.deepEqual(labels, ['5.175.215.102']);
    const edit = list.items[0].textEdit as { newText: string; range: { start: { character: number }; end: { character: number } } };
    assert.equal(edit.newText, '"5.175.215.102"');
    assert.deepEqual([edit.range.start.character, edit.range.end.character], [37, 42]);
  });

  test('rule YAML completes indicators in a block scalar', async () => {
    const yaml = 'id: 4a3b2c1d-0000-4000-8000-000000000001\nname: Mirai\nquery: |\n  DeviceNetworkEvents\n  | where RemoteIP in ("5.39.216.137", ‸)\n';
    const list = await completionAt(client, 'file:///lsp-intel/rule-block.yaml', yaml);
    const item = list.items.find((candidate) => candidate.label === '5.175.215.102');
    assert.ok(item, list.items.map((candidate) => candidate.label).join(', '));
    const edit = item.textEdit as { newText: string; range: { start: { line: number; character: number } } };
    assert.equal(edit.newText, '"5.175.215.102"');
    assert.deepEqual(edit.range.start, { line: 4, character: '  | where RemoteIP in ("5.39.216.137", '.length });
  });

  test('rule YAML escapes quotes in a double-quoted query', async () => {
    const yaml = 'id: 4a3b2c1d-0000-4000-8000-000000000002\nname: Mirai\nquery: "DeviceNetworkEvents | where RemoteIP in (\\"5.39.216.137\\", ‸)"\n';
    const list = await completionAt(client, 'file:///lsp-intel/rule-quoted.yaml', yaml);
    const item = list.items.find((candidate) => candidate.label === '5.175.215.102');
    assert.ok(item, list.items.map((candidate) => candidate.label).join(', '));
    const edit = item.textEdit as { newText: string };
    // The KQL string "5.175.215.102" is written \"5.175.215.102\" inside a double-quoted YAML scalar.
    assert.equal(edit.newText, '\\"5.175.215.102\\"');
    assert.equal(item.filterText, '5.175.215.102');

    // The completed rule still parses, and its query analyses without errors (the metadata of this
    // minimal rule is incomplete on purpose, so its sentinel/* findings are left out).
    const completed = withCursor(yaml).text.replace('", )', `", ${edit.newText})`);
    const uri = 'file:///lsp-intel/rule-quoted-completed.yaml';
    const published = client.waitForDiagnostics(uri);
    client.open(uri, completed);
    const queryErrors = (await published).filter((diagnostic) => diagnostic.severity === 1 && !String(diagnostic.code).startsWith('sentinel/'));
    assert.deepEqual(queryErrors, [], completed);
  });

  test('completion outside lists has no indicators', async () => {
    const list = await completionAt(client, 'file:///lsp-intel/complete-outside.kql', 'DeviceNetworkEvents\n| where Remo‸');
    assert.ok(!list.items.some((item) => item.label === '5.39.216.137'));
  });

  test('changed file reloads and re-checks open documents', async () => {
    const uri = 'file:///lsp-intel/watch.kql';
    client.open(uri, DOMAIN_HUNT);
    await client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length === 1);

    const reloaded = client.waitForDiagnostics(uri, (diagnostics) => diagnostics.some((diagnostic) => /1 of the 3 domains/.test(String(diagnostic.message))));
    writeFileSync(feed, FEED + row(4, 'emotet-three.example', 'domain', 'Emotet') + '\n');
    client.fileEvent(feed, 2);
    await reloaded;
    assert.equal(feedSource(await client.waitForIntelStatus((status) => feedSource(status)?.indicators === 4))!.state, 'loaded');
  });

  test('deleted file unloads and recreated file loads', async () => {
    const uri = 'file:///lsp-intel/delete.kql';
    client.open(uri, DOMAIN_HUNT);
    await client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length === 1);

    const cleared = client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length === 0);
    rmSync(feed);
    client.fileEvent(feed, 3);
    await cleared;
    const missing = feedSource(await client.waitForIntelStatus((status) => feedSource(status)?.state === 'missing'))!;
    assert.match(missing.problems[0].message, /deleted or moved/);

    const back = client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length === 1);
    writeFileSync(feed, FEED);
    client.fileEvent(feed, 1);
    await back;
  });

  test('bad file reported, server keeps answering', async () => {
    const bad = join(root, 'intel', 'broken.csv');
    writeFileSync(bad, `${HEADER}\n${row(9, '999.1.1.1:80', 'ip:port', 'Mirai')}\n"2026-06-10", "10", "192.0.2.99:80`);
    client.fileEvent(bad, 1);
    const status = await client.waitForIntelStatus((candidate) => candidate.sources.some((source) => source.name === 'intel/broken.csv' && source.state !== 'loading'));
    const broken = status.sources.find((source) => source.name === 'intel/broken.csv')!;
    assert.deepEqual(broken.problems.map((problem) => problem.line), [2, 3, undefined]);
    assert.match(broken.problems[0].message, /'999\.1\.1\.1:80' is not a valid ip:port/);
    assert.match(broken.problems[1].message, /Quote Not Closed/);
    assert.equal(broken.problems[2].message, 'No indicators found in this file.');
    assert.ok(client.logs.some((line) => line.includes('intel/broken.csv:2: warning: Row skipped')), 'the problem is logged');

    const value = await hoverText(client, 'file:///lsp-intel/after-bad.kql', 'DnsEvents\n| where Name == "emotet-o‸ne.example"');
    assert.match(value, /ThreatFox - Emotet/);
  });
});

describe('indicator files without the client watcher', () => {
  const root = workspace();
  const feed = join(root, 'intel', 'feed.csv');
  const client = new TestClient({ watchFiles: false, rootPath: root });
  client.configuration = { intel: { files: ['intel/feed.csv'], includeBuiltIn: false } };

  before(async () => {
    await client.initialize();
    await client.waitForIntelStatus((status) => feedSource(status)?.state === 'loaded');
  });
  after(() => client.shutdown());

  test('no client watcher is registered', () => {
    assert.ok(!client.registrations.some((entry) => entry.method === 'workspace/didChangeWatchedFiles'));
  });

  test('server notices a change on disk by itself', async () => {
    writeFileSync(feed, FEED + row(4, 'emotet-three.example', 'domain', 'Emotet') + '\n');
    const status = await client.waitForIntelStatus((candidate) => feedSource(candidate)?.indicators === 4);
    assert.equal(status.indicators, 4);
  });

  test('server notices deletion and recreation', async () => {
    rmSync(feed);
    await client.waitForIntelStatus((candidate) => feedSource(candidate)?.state === 'missing');
    writeFileSync(feed, FEED);
    const status = await client.waitForIntelStatus((candidate) => feedSource(candidate)?.state === 'loaded' && feedSource(candidate)?.indicators === 3);
    assert.equal(status.indicators, 3);
  });
});
