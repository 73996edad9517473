import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CodeAction, CompletionList, Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol/node';
import { parse } from 'yaml';
import { positionOf, withCursor } from '../helpers/cursor';
import { TestClient } from '../helpers/lspClient';
import { ROOT } from '../helpers/paths';

const FIXTURES = resolve(ROOT, 'test/fixtures/hunt-repo');

/** A copy of the fixture repository, so the server indexes its rule ids from disk. */
function repository(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kql-hunt-lsp-repo-'));
  cpSync(FIXTURES, dir, { recursive: true });
  mkdirSync(join(dir, '.git'));
  return dir;
}

const covered = (client: TestClient, uri: string, diagnostics: Diagnostic[]): string[][] =>
  diagnostics.map((diagnostic) => [String(diagnostic.code), client.documents.get(uri)!.getText(diagnostic.range)]).sort();

describe('language server on YAML and Markdown', () => {
  const dir = repository();
  const client = new TestClient();
  const uriOf = (path: string): string => pathToFileURL(join(dir, path)).href;
  const openFile = (path: string): string => {
    const uri = uriOf(path);
    client.open(uri, readFileSync(join(dir, path), 'utf8'));
    return uri;
  };
  before(() => client.initialize({ rootUri: pathToFileURL(dir).href }));
  after(() => client.shutdown());

  test('hunting query YAML gets findings at the right text', async () => {
    const uri = uriOf('hunting/mirai-downloads-quoted.yaml');
    const published = client.waitForDiagnostics(uri);
    openFile('hunting/mirai-downloads-quoted.yaml');
    assert.deepEqual(covered(client, uri, await published), [
      ['KS142', 'AccountNme'],
      ['sentinel/technique-invalid', 't1105'],
    ]);
  });

  test('editor shows the same findings as the CLI', async () => {
    const uri = uriOf('analytics/mirai-c2-misconfigured.yaml');
    // The duplicate id needs the workspace index, which the server builds after it starts.
    const published = client.waitForDiagnostics(uri, (diagnostics) => diagnostics.some((diagnostic) => diagnostic.code === 'sentinel/id-duplicate'));
    openFile('analytics/mirai-c2-misconfigured.yaml');
    const codes = (await published).map((diagnostic) => String(diagnostic.code)).sort();
    assert.deepEqual(codes, [
      'sentinel/data-type-missing',
      'sentinel/data-type-unused',
      'sentinel/entity-column-missing',
      'sentinel/id-duplicate',
      'sentinel/query-frequency-invalid',
      'sentinel/query-period-invalid',
      'sentinel/severity-invalid',
      'sentinel/tactic-unknown',
      'sentinel/technique-invalid',
      'sentinel/trigger-operator-invalid',
      'sentinel/trigger-threshold-invalid',
    ]);
  });

  test('Markdown gets findings only in KQL fences', async () => {
    const uri = uriOf('docs/mirai-hunting-guide.md');
    const published = client.waitForDiagnostics(uri);
    openFile('docs/mirai-hunting-guide.md');
    const found = covered(client, uri, await published);
    assert.equal(found.length, 6);
    assert.deepEqual(found[0], ['KS142', 'ProcesCommandLine']);
  });

  test('YAML and Markdown without KQL get no diagnostics', async () => {
    const yaml = uriOf('config/pipeline.yaml');
    const markdown = uriOf('docs/README.md');
    const analysedYaml = client.waitForAnalysis(yaml);
    const analysedMarkdown = client.waitForAnalysis(markdown);
    openFile('config/pipeline.yaml');
    openFile('docs/README.md');
    assert.equal((await analysedYaml).kind, 'other');
    assert.equal((await analysedMarkdown).kind, 'other');
    assert.equal(client.publishCounts.get(yaml), undefined);
    assert.equal(client.publishCounts.get(markdown), undefined);
    const hover = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: yaml }, position: { line: 1, character: 2 } });
    assert.equal(hover, null);
  });

  test('completion inside a YAML query offers columns', async () => {
    const uri = 'file:///lsp/completion-rule.yaml';
    const { text, offset } = withCursor('id: 0d2b6e1f-8c44-4f0a-a7d3-5b9e1c2f7a11\nname: Completion\nquery: |\n  DeviceNetworkEvents\n  | where Remo‸\n');
    client.open(uri, text);
    const list = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: positionOf(text, offset) })) as CompletionList;
    const item = list.items.find((candidate) => candidate.label === 'RemotePort');
    assert.ok(item);
    assert.deepEqual((item.textEdit as { range: unknown }).range, { start: { line: 4, character: 10 }, end: { line: 4, character: 14 } });
    assert.ok(!list.items.some((candidate) => candidate.label === 'DeviceName'));
  });

  test('completion outside the query returns nothing', async () => {
    const uri = 'file:///lsp/completion-metadata.yaml';
    const { text, offset } = withCursor('id: 0d2b6e1f-8c44-4f0a-a7d3-5b9e1c2f7a12\nname: Meta‸data\nquery: |\n  DeviceNetworkEvents\n');
    client.open(uri, text);
    const list = await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: positionOf(text, offset) });
    assert.equal(list, null);
  });

  test('completion in a Markdown fence offers tables', async () => {
    const uri = 'file:///lsp/completion.md';
    const { text, offset } = withCursor('# Notes\n\n- Try:\n\n  ```kql\n  DeviceNetw‸\n  ```\n');
    client.open(uri, text);
    const list = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: positionOf(text, offset) })) as CompletionList;
    assert.ok(list.items.some((item) => item.label === 'DeviceNetworkEvents'));
  });

  test('hover inside a double-quoted query shows the column type', async () => {
    const uri = 'file:///lsp/hover-rule.yaml';
    const { text, offset } = withCursor('id: 0d2b6e1f-8c44-4f0a-a7d3-5b9e1c2f7a13\nname: Hover\nquery: "DeviceNetworkEvents\\n| where Remote‸Port == 23"\n');
    client.open(uri, text);
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: positionOf(text, offset) })) as Hover;
    assert.match((hover.contents as MarkupContent).value, /RemotePort: int/);
  });

  test('quick fix adds an exclusion inside a literal block', async () => {
    const uri = 'file:///lsp/fix-rule.yaml';
    const text = [
      'id: 0d2b6e1f-8c44-4f0a-a7d3-5b9e1c2f7a14',
      'name: Fix',
      'description: Adds exclusions.',
      'requiredDataConnectors:',
      '  - connectorId: MicrosoftThreatProtection',
      '    dataTypes:',
      '      - DeviceNetworkEvents',
      'query: |',
      '  let malicious_ips = dynamic(["5.39.216.137", "5.175.215.102"]);',
      '  DeviceNetworkEvents',
      '  | where RemoteIP in (malicious_ips)',
      '  | project TimeGenerated, DeviceName, RemoteIP, RemotePort',
      'version: 1.0.0',
      '',
    ].join('\n');
    const published = client.waitForDiagnostics(uri);
    client.open(uri, text);
    const diagnostics = await published;
    assert.equal(diagnostics.length, 5);
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostics[0].range,
      context: { diagnostics, only: ['quickfix'] },
    })) as CodeAction[];
    const fix = actions.find((action) => action.title === 'Add all missing exclusions to this hunt');
    assert.ok(fix, actions.map((action) => action.title).join('\n'));

    const clean = client.waitForDiagnostics(uri, (next) => next.length === 0);
    client.change(uri, fix.edit!.changes![uri]);
    await clean;
    const query = (parse(client.text(uri)) as { query: string }).query;
    assert.equal(query.split('\n').filter((line) => line.startsWith('| where not(')).length, 5);
  });

  test('suggestion fix in a double-quoted query keeps the YAML valid', async () => {
    const uri = 'file:///lsp/fix-quoted.yaml';
    const text = 'id: 0d2b6e1f-8c44-4f0a-a7d3-5b9e1c2f7a15\nname: Quoted\ndescription: d\nrequiredDataConnectors: []\nquery: "DeviceNetworkEvents\\n| where ActionType == \\"ConnectionSuccess\\"\\n| project RemotePrt"\n';
    const published = client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length > 0);
    client.open(uri, text);
    const [typo] = await published;
    const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: typo.range, context: { diagnostics: [typo], only: ['quickfix'] } })) as CodeAction[];
    const fix = actions.find((action) => action.title === "Change to 'RemotePort'")!;
    const clean = client.waitForDiagnostics(uri, (next) => next.length === 0);
    client.change(uri, fix.edit!.changes![uri]);
    await clean;
    assert.equal((parse(client.text(uri)) as { query: string }).query, 'DeviceNetworkEvents\n| where ActionType == "ConnectionSuccess"\n| project RemotePort');
  });

  test('new hunting query file lints clean', async () => {
    for (const table of ['DeviceNetworkEvents', 'CommonSecurityLog', 'Syslog']) {
      const result = (await client.connection.sendRequest('workspace/executeCommand', {
        command: 'kqlHunt.server.huntingQueryYaml',
        arguments: [{ table }],
      })) as { text: string; fileName: string };
      assert.match(result.fileName, /^mirai-indicators-from-threatfox-in-[a-z]+\.yaml$/);
      const uri = `file:///lsp/new/${result.fileName}`;
      const analysed = client.waitForAnalysis(uri);
      const published = client.waitForDiagnostics(uri);
      client.open(uri, result.text);
      assert.equal((await analysed).kind, 'sentinel-yaml');
      assert.deepEqual(await published, []);
      const rule = parse(result.text);
      assert.match(rule.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.deepEqual(rule.tactics, ['CommandAndControl']);
    }
  });

  test('changing an open rule id updates the duplicate check', async () => {
    const first = 'file:///lsp/ids/first.yaml';
    const second = 'file:///lsp/ids/second.yaml';
    const rule = (id: string): string => `id: ${id}\nname: Ids\ndescription: d\nrequiredDataConnectors: []\nquery: |\n  DeviceNetworkEvents | take 1\n`;
    const firstClean = client.waitForAnalysis(first);
    client.open(first, rule('aaaaaaaa-2222-4333-8444-555555555555'));
    await firstClean;
    const duplicate = client.waitForDiagnostics(first, (diagnostics) => diagnostics.some((diagnostic) => diagnostic.code === 'sentinel/id-duplicate'));
    client.open(second, rule('aaaaaaaa-2222-4333-8444-555555555555'));
    await duplicate;
    const unique = client.waitForDiagnostics(first, (diagnostics) => diagnostics.length === 0);
    client.change(second, [{ range: { start: { line: 0, character: 4 }, end: { line: 0, character: 12 } }, newText: 'bbbbbbbb' }]);
    await unique;
  });
});
