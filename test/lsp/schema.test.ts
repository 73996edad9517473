import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { CodeAction, CompletionItem, CompletionList, Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol/node';
import { positionOf, withCursor } from '../helpers/cursor';
import { TestClient } from '../helpers/lspClient';

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kql-hunt-lsp-schema-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const FIREWALL_JSON = '{\r\n  "name": "Firewall_CL",\r\n  "properties": [\r\n    {"name": "TimeGenerated", "type": "Datetime"},\r\n    {"name": "SrcIp_s", "type": "String"},\r\n    {"name": "DstPort_d", "type": "Double"},\r\n    {"name": "Bytes", "type": "BigInt"}\r\n  ]\r\n}\r\n';
const VPN_CSV = 'ColumnName,ColumnOrdinal,DataType,ColumnType\nTimeGenerated,0,System.DateTime,datetime\nUserName,1,System.String,string\n';
const FUNCTIONS = JSON.stringify([
  { name: 'RiskySignins', description: 'High-risk sign-ins.', parameters: [{ name: 'lookback', type: 'timespan', default: '1d', description: 'How far back to look.' }], body: 'SigninLogs | where TimeGenerated > ago(lookback)' },
]);
const SCHEMA_SETTINGS = { schema: { customTables: ['schemas/tables'], functions: ['schemas/functions.json'], watchlists: { HighValueAssets: ['Hostname', 'Owner'] } } };

const errorsIn = (diagnostics: Diagnostic[]): Diagnostic[] => diagnostics.filter((diagnostic) => diagnostic.severity === 1);

async function hoverText(client: TestClient, uri: string, marked: string): Promise<string> {
  const { text, offset } = withCursor(marked);
  client.open(uri, text);
  const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: positionOf(text, offset) })) as Hover | null;
  return hover ? (hover.contents as MarkupContent).value : '';
}

async function completionItems(client: TestClient, uri: string, marked: string): Promise<CompletionItem[]> {
  const { text, offset } = withCursor(marked);
  client.open(uri, text);
  const list = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: positionOf(text, offset) })) as CompletionList;
  return list.items;
}

describe('language server with a workspace schema', () => {
  const dir = workspace({ 'schemas/tables/Firewall_CL.json': FIREWALL_JSON, 'schemas/tables/Vpn_CL.csv': VPN_CSV, 'schemas/functions.json': FUNCTIONS });
  const client = new TestClient({ rootPath: dir, watchFiles: true });
  client.configuration = SCHEMA_SETTINGS;
  let firstLoad: TestClient['schemaLoads'][number];

  before(async () => {
    const loaded = client.nextSchemaLoad();
    await client.initialize();
    firstLoad = await loaded;
  });
  after(() => client.shutdown());

  test('loads the workspace-relative schema files', () => {
    assert.deepEqual(firstLoad, { tables: 2, functions: 1, watchlists: 1, problems: [] });
  });

  test('registers watchers for the schema paths', () => {
    const registration = client.registrations.find((entry) => entry.method === 'workspace/didChangeWatchedFiles');
    assert.ok(registration, JSON.stringify(client.registrations));
    assert.match(JSON.stringify(registration.registerOptions), /tables/);
  });

  test('custom tables and functions raise no errors', async () => {
    const uri = 'file:///lsp-schema/clean.kql';
    const published = client.waitForDiagnostics(uri);
    client.open(uri, 'Firewall_CL\n| where DstPort_d == 22 and Bytes > 0\n\nVpn_CL | project UserName\n\nRiskySignins(2d) | project UserPrincipalName\n\n_GetWatchlist("HighValueAssets") | project Hostname, Owner');
    assert.deepEqual(await published, []);
  });

  test('unknown custom table is one warning', async () => {
    const uri = 'file:///lsp-schema/unknown.kql';
    const published = client.waitForDiagnostics(uri);
    client.open(uri, 'Nobody_CL\n| where Field_s == "x" and Other > 1');
    const diagnostics = await published;
    assert.deepEqual(diagnostics.map((diagnostic) => diagnostic.code), ['unknown-custom-table']);
    assert.equal(diagnostics[0].severity, 2);
  });

  test('completion offers custom tables and their columns', async () => {
    const tables = await completionItems(client, 'file:///lsp-schema/complete-table.kql', 'Firew‸');
    assert.ok(tables.some((item) => item.label === 'Firewall_CL'));
    const columns = await completionItems(client, 'file:///lsp-schema/complete-column.kql', 'Vpn_CL\n| where User‸');
    assert.ok(columns.some((item) => item.label === 'UserName'));
  });

  test('completion offers watchlist aliases and columns', async () => {
    const aliases = await completionItems(client, 'file:///lsp-schema/complete-alias.kql', "_GetWatchlist('High‸");
    assert.deepEqual(aliases.map((item) => item.label), ['HighValueAssets']);
    assert.equal(aliases[0].textEdit && 'newText' in aliases[0].textEdit ? aliases[0].textEdit.newText : '', 'HighValueAssets');
    const columns = await completionItems(client, 'file:///lsp-schema/complete-watchlist.kql', "_GetWatchlist('HighValueAssets')\n| project Own‸");
    assert.ok(columns.some((item) => item.label === 'Owner'));
  });

  test('completion documents function parameters', async () => {
    const items = await completionItems(client, 'file:///lsp-schema/complete-function.kql', 'SigninLogs | take 1\n\n_Im_Dn‸');
    const parser = items.find((item) => item.label.startsWith('_Im_Dns'));
    assert.ok(parser, items.map((item) => item.label).join(', '));
    assert.match(parser.detail ?? '', /^_Im_Dns\(starttime: datetime = datetime\(null\)/);
    assert.match((parser.documentation as MarkupContent).value, /`domain_has_any`: dynamic \(optional, default `dynamic\(\[\]\)`\)\. Keep lookups of domains/);
    const user = (await completionItems(client, 'file:///lsp-schema/complete-user.kql', 'Risky‸')).find((item) => item.label.startsWith('RiskySignins'));
    assert.match((user?.documentation as MarkupContent).value, /`lookback`: timespan \(optional, default `1d`\)\. How far back to look\./);
  });

  test('hover on a custom table names its file', async () => {
    const value = await hoverText(client, 'file:///lsp-schema/hover-table.kql', 'Fire‸wall_CL | take 1');
    assert.match(value, /\*\*Firewall_CL\*\*: 4 columns in Microsoft Sentinel \(Log Analytics\) \(from .*Firewall_CL\.json\)/);
    assert.match(value, /Open schema/);
  });

  test('hover on the first table shows the environment and why', async () => {
    const value = await hoverText(client, 'file:///lsp-schema/hover-environment.kql', 'Device‸Events\n| where Timestamp > ago(1d)\n| invoke FileProfile()');
    assert.match(value, /This block runs in Defender XDR advanced hunting \(auto: FileProfile exists only in Defender XDR advanced hunting\)/);
  });

  test('mixed file runs each block in its environment', async () => {
    const uri = 'file:///lsp-schema/mixed.kql';
    const text = [
      'DeviceProcessEvents | where Timestamp > ago(1h) | take 1',
      '',
      'SigninLogs | where TimeGenerated > ago(1h) | take 1',
      '',
      '// kql-hunt: environment=defender',
      '',
      'IdentityInfo | where isnotempty(AccountUpn) | take 1',
      '',
      '// kql-hunt: environment=sentinel',
      'IdentityInfo | where isnotempty(AccountUPN) | take 1',
    ].join('\n');
    const published = client.waitForDiagnostics(uri);
    client.open(uri, text);
    assert.deepEqual(await published, []);
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 6, character: 3 } })) as Hover;
    assert.match((hover.contents as MarkupContent).value, /This block runs in Defender XDR advanced hunting \(setting or directive\)/);
  });

  test('hover on a function shows signature and parameter docs', async () => {
    const value = await hoverText(client, 'file:///lsp-schema/hover-function.kql', 'DeviceFileEvents\n| invoke File‸Profile(SHA1, 100)');
    assert.match(value, /\| invoke FileProfile\(x: string = 'SHA1', y: int = 100\)/);
    assert.match(value, /- `y`: int \(optional, default `100`\)\. Maximum number of rows to profile/);
    assert.match(value, /GlobalPrevalence/);
  });

  test('hover on _GetWatchlist shows the watchlist columns', async () => {
    const value = await hoverText(client, 'file:///lsp-schema/hover-watchlist.kql', "_Get‸Watchlist('HighValueAssets') | take 1");
    assert.match(value, /Watchlist 'HighValueAssets' \(declared in kqlHunt\.schema\.watchlists\) returns .*`Hostname: string`, `Owner: string`/);
  });

  test('hover on a suffixed column explains its type', async () => {
    const value = await hoverText(client, 'file:///lsp-schema/hover-suffix.kql', 'AzureDiagnostics\n| where ssl‸Cipher_s == "x"');
    assert.match(value, /sslCipher_s: string/);
    assert.match(value, /resolves as string by the Log Analytics type-suffix convention/);
  });

  test('hover on an unknown custom table says how to add it', async () => {
    const value = await hoverText(client, 'file:///lsp-schema/hover-unknown.kql', 'Nobo‸dy_CL | take 1');
    assert.match(value, /not in the catalog.*kqlHunt\.schema\.customTables/);
  });

  test('time column quick fix leaves a clean hunt', async () => {
    const uri = 'file:///lsp-schema/time.kql';
    const published = client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length > 0);
    client.open(uri, 'SecurityEvent\n| where Timestamp > ago(1d)\n| project Timestamp, Computer');
    const diagnostics = await published;
    assert.deepEqual(diagnostics.map((diagnostic) => diagnostic.code), ['time-column-mismatch', 'time-column-mismatch']);
    for (const target of diagnostics) {
      const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: target.range, context: { diagnostics: [target], only: ['quickfix'] } })) as CodeAction[];
      const fix = actions.find((action) => action.title === "Change to 'TimeGenerated'");
      assert.ok(fix, actions.map((action) => action.title).join('\n'));
      client.change(uri, fix.edit!.changes![uri]);
    }
    await client.waitForDiagnostics(uri, (next) => next.length === 0);
    assert.equal(client.text(uri), 'SecurityEvent\n| where TimeGenerated > ago(1d)\n| project TimeGenerated, Computer');
  });

  test('changed schema file is reloaded', async () => {
    const uri = 'file:///lsp-schema/reload.kql';
    const first = client.waitForDiagnostics(uri, (diagnostics) => errorsIn(diagnostics).length > 0);
    client.open(uri, 'Vpn_CL | project Country');
    assert.equal(errorsIn(await first)[0].code, 'KS142');

    const loaded = client.nextSchemaLoad();
    const clean = client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length === 0);
    const file = join(dir, 'schemas', 'tables', 'Vpn_CL.csv');
    writeFileSync(file, `${VPN_CSV}Country,2,System.String,string\n`);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(file).href, type: 2 }] });
    assert.equal((await loaded).tables, 2);
    await clean;
  });

  test('bad schema file is reported and the rest stays loaded', async () => {
    const loaded = client.nextSchemaLoad();
    const file = join(dir, 'schemas', 'tables', 'broken.json');
    writeFileSync(file, '{"Name": "Broken_CL", "Properties": [ {"Name": "A", "Type": "varchar"} ]}');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(file).href, type: 1 }] });
    const result = await loaded;
    assert.equal(result.tables, 3);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0], /broken\.json:1: warning: Column 'A' of table 'Broken_CL' has unknown type 'varchar'/);
    assert.ok(client.logs.some((line) => /problem in the schema files/.test(line)));
  });
});

describe('language server watching schema files itself', () => {
  const dir = workspace({ 'tables.json': JSON.stringify({ Watched_CL: { A: 'string' } }) });
  const client = new TestClient({ rootPath: dir, watchFiles: false });
  client.configuration = { schema: { customTables: ['tables.json'] } };

  before(async () => {
    const loaded = client.nextSchemaLoad();
    await client.initialize();
    await loaded;
  });
  after(() => client.shutdown());

  test('file change on disk reloads without the client', async () => {
    const uri = 'file:///lsp-schema-fs/watched.kql';
    const first = client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length > 0);
    client.open(uri, 'Watched_CL | project B');
    assert.equal((await first)[0].code, 'KS142');

    const loaded = client.nextSchemaLoad();
    const clean = client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length === 0);
    writeFileSync(join(dir, 'tables.json'), JSON.stringify({ Watched_CL: { A: 'string', B: 'string' } }));
    await loaded;
    await clean;
  });

  test('settings change loads another schema', async () => {
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ Other_CL: { C: 'int' } }));
    const uri = 'file:///lsp-schema-fs/settings.kql';
    const loaded = client.nextSchemaLoad();
    const clean = client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length === 0);
    await client.setConfiguration({ schema: { customTables: ['tables.json', 'other.json'] } });
    client.open(uri, 'Other_CL | where C > 1');
    assert.equal((await loaded).tables, 2);
    await clean;
  });
});
