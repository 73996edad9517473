import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CancellationTokenSource, CompletionList, Diagnostic, Hover, LSPErrorCodes, ResponseError } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TestClient } from '../helpers/lspClient';
import { REPORT_DEVICENETWORKEVENTS_HUNT } from '../helpers/reportHunts';

const codesOf = (diagnostics: Diagnostic[]): string[] => diagnostics.map((diagnostic) => String(diagnostic.code));

/** Checks that every diagnostic lies inside a document of `text`. */
function insideDocument(text: string, diagnostics: Diagnostic[]): boolean {
  const document = TextDocument.create('file:///check.kql', 'kql', 1, text);
  return diagnostics.every(({ range }) => {
    const start = document.offsetAt(range.start);
    const end = document.offsetAt(range.end);
    return range.start.line < document.lineCount && range.end.line < document.lineCount && start <= end && document.positionAt(start).character === range.start.character;
  });
}


async function hoverOn(client: TestClient, uri: string, line: number, character: number): Promise<Hover | null> {
  return client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character } });
}

describe('hostile documents through the server', () => {
  const client = new TestClient();
  before(() => client.initialize());
  after(() => client.shutdown());

  const cases: { name: string; text: () => string; expect: (codes: string[]) => void }[] = [
    { name: '50,000 nested brackets', text: () => `print x = ${'('.repeat(50000)}1${')'.repeat(50000)}`, expect: (codes) => assert.deepEqual(codes, ['block-too-complex']) },
    { name: 'a 10 MB single line', text: () => `print x = "${'a'.repeat(10_000_000)}"`, expect: (codes) => assert.deepEqual(codes, ['block-too-large']) },
    { name: 'a 1 MB string literal', text: () => `DeviceNetworkEvents\n| where RemoteUrl == "${'b'.repeat(1_000_000)}"`, expect: (codes) => assert.deepEqual(codes, ['block-too-large']) },
    { name: 'only pipe characters', text: () => '|'.repeat(100_000), expect: (codes) => assert.ok(codes.length > 0 && !codes.includes('analysis-failed')) },
    { name: 'NUL bytes and lone surrogates', text: () => 'print "a\u0000b"\n\n\u0000\u0000\n\nDeviceNetworkEvents | where RemoteUrl == "\ud800"\n\n\udc00 | take 1', expect: (codes) => assert.ok(!codes.includes('analysis-failed')) },
  ];

  for (const { name, text, expect } of cases) {
    test(`${name} gets diagnostics inside the document`, async () => {
      const uri = `file:///hostile/${name.replace(/\W+/g, '-')}.kql`;
      const content = text();
      const published = client.waitForDiagnostics(uri, () => true, 120000);
      client.open(uri, content);
      const diagnostics = await published;
      expect(codesOf(diagnostics));
      assert.ok(insideDocument(content, diagnostics));
      client.close(uri);
    });
  }

  test('100,000 blocks stop at the block limit', async () => {
    const uri = 'file:///hostile/blocks.kql';
    const published = client.waitForDiagnostics(uri, () => true, 120000);
    client.open(uri, 'print x = 1\n\n'.repeat(100_000));
    const diagnostics = await published;
    assert.deepEqual(codesOf(diagnostics), ['block-limit']);
    assert.equal(diagnostics[0].range.start.line, 5000 * 2);
    client.close(uri);
  });

  test('server still answers after the hostile documents', async () => {
    const uri = 'file:///hostile/after.kql';
    client.open(uri, 'DeviceNetworkEvents\n| take 1');
    const hover = await hoverOn(client, uri, 0, 3);
    assert.match(JSON.stringify(hover), /DeviceNetworkEvents/);
    assert.equal(client.process.exitCode, null);
  });
});

describe('a block past the time limit', () => {
  // 40,000 chained `let` statements take Kusto.Language about 16 s on this machine, and the time
  // grows with the count. Deep brackets are no good here, because Kusto gives up on them with
  // KS245 once its stack runs short, which can come before the limit.
  const client = new TestClient();
  client.configuration = { analysis: { timeoutMs: 2000, maxBlockLength: 2_000_000 } };
  const stuckUri = 'file:///stuck/lets.kql';
  const lets = Array.from({ length: 40000 }, (_, index) => `let a${index + 1} = ${index === 0 ? '1' : `a${index}`} + 1;`).join('\n');
  const stuckText = `${lets}\nprint a40000\n\nDeviceNetworkEvents\n| take 1`;
  const takeLine = stuckText.split('\n').indexOf('| take 1');
  const otherUri = 'file:///stuck/other.kql';

  before(async () => {
    await client.initialize();
    // Starts the thread that serves hovers before the test, so its start-up is not measured against the limit.
    client.open(otherUri, 'DeviceNetworkEvents\n| where RemotePort == 23');
    await hoverOn(client, otherUri, 0, 3);
  });
  after(() => client.shutdown());

  test('other documents get answers while it runs', async () => {
    let stuckReported = false;
    const reported = client.waitForDiagnostics(stuckUri, (diagnostics) => codesOf(diagnostics).includes('analysis-timeout'), 120000);
    void reported.then(() => (stuckReported = true));
    client.open(stuckUri, stuckText);

    const hover = await hoverOn(client, otherUri, 1, 10);
    const completion = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: otherUri }, position: { line: 1, character: 10 } });
    assert.equal(stuckReported, false, 'the requests waited for the stuck analysis');
    assert.match(JSON.stringify(hover), /RemotePort/);
    assert.ok(completion.items.length > 0);

    const diagnostics = await reported;
    assert.deepEqual(codesOf(diagnostics), ['analysis-timeout']);
    assert.match(String(diagnostics[0].message), /took longer than 2000 ms, so it was stopped; simplify or split the query/);
    assert.equal(diagnostics[0].range.start.line, 0);
  });

  test('the stuck block is reported once', async () => {
    const edited = client.waitForAnalysis(stuckUri, 60000);
    client.change(stuckUri, [{ range: { start: { line: takeLine, character: 8 }, end: { line: takeLine, character: 8 } }, newText: '0' }]);
    await edited;
    assert.deepEqual(codesOf(client.diagnostics.get(stuckUri) ?? []), ['analysis-timeout']);
    const warnings = client.logs.filter((line) => /Analysis of the block starting 'let a1 = 1 \+ 1;' ran past 2000 ms/.test(line));
    assert.equal(warnings.length, 1, client.logs.join('\n'));
  });

  test('server stays alive and analyses again', async () => {
    const uri = 'file:///stuck/after.kql';
    const published = client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length > 0, 60000);
    client.open(uri, 'DeviceNetworkEvents\n| project RemotePrt');
    assert.deepEqual(codesOf(await published), ['KS142']);
    assert.equal(client.process.exitCode, null);
  });
});

describe('server survives its client', () => {
  const client = new TestClient();
  before(() => client.initialize());
  after(() => client.shutdown());

  test('out-of-range edits are clamped to the document', async () => {
    const uri = 'file:///client/range.kql';
    const text = 'DeviceNetworkEvents\n| take 1';
    client.open(uri, text);
    await client.waitForDiagnostics(uri);
    const changes = [
      { range: { start: { line: 50, character: 0 }, end: { line: 60, character: 5 } }, text: '\n| project Nope' },
      { range: { start: { line: 0, character: 400 }, end: { line: 0, character: 900 } }, text: '' },
    ];
    const expected = TextDocument.create(uri, 'kql', 1, text);
    TextDocument.update(expected, changes, 2);
    const published = client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length > 0);
    void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: changes });
    const diagnostics = await published;
    assert.deepEqual(codesOf(diagnostics), ['KS142']);
    assert.ok(insideDocument(expected.getText(), diagnostics));
  });

  test('requests for closed documents answer empty', async () => {
    const uri = 'file:///client/closed.kql';
    client.open(uri, 'DeviceNetworkEvents\n| take 1');
    await client.waitForDiagnostics(uri);
    client.close(uri);
    const position = { line: 0, character: 3 };
    const range = { start: position, end: position };
    for (const target of [uri, 'file:///client/never-opened.kql']) {
      const textDocument = { uri: target };
      assert.equal(await client.request('textDocument/hover', { textDocument, position }), null);
      assert.equal(await client.request('textDocument/completion', { textDocument, position }), null);
      assert.equal(await client.request('textDocument/codeAction', { textDocument, range, context: { diagnostics: [] } }), null);
      assert.equal(await client.request('textDocument/signatureHelp', { textDocument, position }), null);
      assert.equal(await client.request('textDocument/documentSymbol', { textDocument }), null);
      assert.equal(await client.request('textDocument/foldingRange', { textDocument }), null);
      assert.equal(await client.request('textDocument/formatting', { textDocument, options: { tabSize: 2, insertSpaces: true } }), null);
      assert.equal(await client.request('textDocument/codeLens', { textDocument }), null);
      assert.deepEqual(await client.request('textDocument/semanticTokens/full', { textDocument }), { data: [] });
    }
  });

  test('cancelled requests settle and later ones answer', async () => {
    const uri = 'file:///client/cancel.kql';
    client.open(uri, 'DeviceNetworkEvents\n| where Remo');
    const position = { line: 1, character: 11 };
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => {
        const source = new CancellationTokenSource();
        const request = client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position }, source.token);
        source.cancel();
        return request.then(
          (result) => result as CompletionList,
          (error: unknown) => error,
        );
      }),
    );
    for (const outcome of outcomes) {
      if (outcome instanceof ResponseError) assert.equal(outcome.code, LSPErrorCodes.RequestCancelled);
      else assert.ok(Array.isArray((outcome as CompletionList).items));
    }
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position });
    assert.ok(list.items.some((item) => item.label === 'RemotePort'));
  });
});

describe('settings of the wrong type', () => {
  const client = new TestClient();
  client.configuration = { environment: 42, completion: { maxItems: 'many' }, analysis: { debounceMs: 'soon', maxBlocks: -3, timeoutMs: [] }, intel: { files: 'feed.csv' }, exclusions: 'none' };
  before(() => client.initialize());
  after(() => client.shutdown());

  test('fall back to the defaults and are logged once', async () => {
    for (const name of ['one', 'two']) {
      const uri = `file:///settings/${name}.kql`;
      const published = client.waitForDiagnostics(uri);
      client.open(uri, REPORT_DEVICENETWORKEVENTS_HUNT);
      assert.equal((await published).length, 5, 'the default exclusions apply');
    }
    for (const setting of ['kqlHunt.environment', 'kqlHunt.completion.maxItems', 'kqlHunt.analysis.debounceMs', 'kqlHunt.analysis.maxBlocks', 'kqlHunt.analysis.timeoutMs', 'kqlHunt.intel.files']) {
      const lines = client.logs.filter((line) => line.includes(`Setting ${setting} has an invalid value`));
      assert.equal(lines.length, 1, `${setting}: ${client.logs.join('\n')}`);
    }
  });

  test('a configuration that is not an object uses the defaults', async () => {
    client.configuration = 'kqlHunt' as unknown as Record<string, unknown>;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const uri = 'file:///settings/three.kql';
    const published = client.waitForDiagnostics(uri);
    client.open(uri, REPORT_DEVICENETWORKEVENTS_HUNT);
    assert.equal((await published).length, 5);
  });
});
