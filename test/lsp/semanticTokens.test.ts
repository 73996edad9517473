import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver-protocol/node';
import { TestClient } from '../helpers/lspClient';

interface DecodedToken {
  line: number;
  character: number;
  text: string;
  type: string;
}

function decode(tokens: SemanticTokens, legend: SemanticTokensLegend, text: string): DecodedToken[] {
  const lines = text.split('\n');
  const decoded: DecodedToken[] = [];
  let line = 0;
  let character = 0;
  for (let index = 0; index < tokens.data.length; index += 5) {
    const [deltaLine, deltaCharacter, length, type] = tokens.data.slice(index, index + 4);
    line += deltaLine;
    character = deltaLine === 0 ? character + deltaCharacter : deltaCharacter;
    decoded.push({ line, character, text: lines[line].slice(character, character + length), type: legend.tokenTypes[type] });
  }
  return decoded;
}

const typeOf = (tokens: DecodedToken[], text: string, line?: number): string | undefined =>
  tokens.find((token) => token.text === text && (line === undefined || token.line === line))?.type;

const HUNT = [
  '// Mirai hunt',
  'let malicious_ips = dynamic(["5.39.216.137"]);',
  'DeviceNetworkEvents',
  '| where Timestamp > ago(7d) and RemoteIP in (malicious_ips)',
  '| extend Note = strcat(RemoteIP, ```multi',
  'line```)',
  '',
  'CommonSecurityLog',
  '| where DestinationPort == 23',
].join('\n');

describe('semantic tokens over stdio', () => {
  const client = new TestClient();
  let legend: SemanticTokensLegend;

  before(async () => {
    const result = await client.initialize();
    const provider = result.capabilities.semanticTokensProvider;
    assert.ok(provider, 'the server declares no semantic tokens provider');
    assert.equal(provider.full, true);
    assert.equal(provider.range, true);
    legend = provider.legend;
  });
  after(() => client.shutdown());

  test('classify names by what they resolve to', async () => {
    const uri = 'file:///tokens/full.kql';
    client.open(uri, HUNT);
    const tokens = decode((await client.connection.sendRequest('textDocument/semanticTokens/full', { textDocument: { uri } })) as SemanticTokens, legend, HUNT);

    assert.equal(typeOf(tokens, 'DeviceNetworkEvents'), 'class');
    assert.equal(typeOf(tokens, 'CommonSecurityLog'), 'class');
    assert.equal(typeOf(tokens, 'Timestamp'), 'property');
    assert.equal(typeOf(tokens, 'RemoteIP', 3), 'property');
    assert.equal(typeOf(tokens, 'DestinationPort'), 'property');
    assert.equal(typeOf(tokens, 'ago'), 'function');
    assert.equal(typeOf(tokens, 'strcat'), 'function');
    assert.equal(typeOf(tokens, 'malicious_ips', 3), 'variable');
    assert.equal(typeOf(tokens, 'where', 3), 'keyword');
    assert.equal(typeOf(tokens, '"5.39.216.137"'), 'string');
    assert.equal(typeOf(tokens, '7d'), 'number');
    assert.equal(typeOf(tokens, '// Mirai hunt'), 'comment');
  });

  test('split a multi-line string into one token per line', async () => {
    const uri = 'file:///tokens/multiline.kql';
    client.open(uri, HUNT);
    const tokens = decode((await client.connection.sendRequest('textDocument/semanticTokens/full', { textDocument: { uri } })) as SemanticTokens, legend, HUNT);
    const strings = tokens.filter((token) => token.type === 'string' && (token.line === 4 || token.line === 5));
    assert.deepEqual(
      strings.map((token) => [token.line, token.text]),
      [
        [4, '```multi'],
        [5, 'line```'],
      ],
    );
  });

  test('leave punctuation and unknown names to the grammar', async () => {
    const text = 'DeviceNetworkEvents\n| project NoSuchColumn, RemotePort';
    const uri = 'file:///tokens/unknown.kql';
    client.open(uri, text);
    const tokens = decode((await client.connection.sendRequest('textDocument/semanticTokens/full', { textDocument: { uri } })) as SemanticTokens, legend, text);
    assert.equal(typeOf(tokens, 'NoSuchColumn'), undefined);
    assert.equal(typeOf(tokens, '|'), undefined);
    assert.equal(typeOf(tokens, 'RemotePort'), 'property');
  });

  test('range request returns only tokens in the range', async () => {
    const uri = 'file:///tokens/range.kql';
    client.open(uri, HUNT);
    const range = { start: { line: 7, character: 0 }, end: { line: 8, character: 100 } };
    const tokens = decode((await client.connection.sendRequest('textDocument/semanticTokens/range', { textDocument: { uri }, range })) as SemanticTokens, legend, HUNT);
    assert.ok(tokens.length > 0);
    assert.ok(tokens.every((token) => token.line >= 7 && token.line <= 8), JSON.stringify(tokens));
    assert.equal(typeOf(tokens, 'CommonSecurityLog'), 'class');
  });

  test('tokens follow the document after an edit', async () => {
    const uri = 'file:///tokens/edit.kql';
    client.open(uri, 'DeviceNetworkEvents | take 1');
    client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 19 } }, newText: 'DeviceProcessEvents' }]);
    const text = client.text(uri);
    const tokens = decode((await client.connection.sendRequest('textDocument/semanticTokens/full', { textDocument: { uri } })) as SemanticTokens, legend, text);
    assert.equal(typeOf(tokens, 'DeviceProcessEvents'), 'class');
  });

  test('unopened document has no tokens', async () => {
    const tokens = (await client.connection.sendRequest('textDocument/semanticTokens/full', { textDocument: { uri: 'file:///tokens/never-opened.kql' } })) as SemanticTokens;
    assert.deepEqual(tokens.data, []);
  });
});

describe('semantic tokens refresh over stdio', () => {
  const client = new TestClient();
  before(() => client.initialize({ workspace: { semanticTokens: { refreshSupport: true } } }));
  after(() => client.shutdown());

  test('settings change asks the client to refresh', { timeout: 20000 }, async () => {
    const refreshed = new Promise<void>((resolve) => client.connection.onRequest('workspace/semanticTokens/refresh', () => resolve()));
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { kqlHunt: { environment: 'defender' } } });
    await refreshed;
  });
});
