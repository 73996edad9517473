import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentHighlight, Location, Range, SignatureHelp, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { positionOf, withCursors } from '../helpers/cursor';
import { TestClient } from '../helpers/lspClient';

// Two hunts in one file. The first shadows `total` inside its function; the second declares
// its own `total`, which must never be confused with the first hunt's.
const HUNTS = `// Files per device, with a shadowed name
let t‸otal = 10;
let per_device = (mini‸mum: long) {
    let t‸otal = minimum * 2;
    DeviceFileEvents
    | summarize Files = count() by DeviceName
    | where Files > tot‸al
};
per_device(tot‸al)
| extend Ratio = Files / tot‸al
| where Ratio > 1

// Remote ports scored
let total = 5;
DeviceNetworkEvents
| extend s‸core = RemotePort * 2
| where sco‸re > total
| project Device‸Name, score`;

const { text: HUNTS_TEXT, offsets: MARKS } = withCursors(HUNTS);
const [OUTER_DECL, PARAM_DECL, INNER_DECL, INNER_USE, OUTER_CALL, OUTER_EXTEND, SCORE_DECL, SCORE_USE, TABLE_COLUMN] = MARKS;

function rangeText(text: string, range: Range): string {
  return TextDocument.create('file:///x', 'kql', 1, text).getText(range);
}

function lines(locations: { range: Range }[]): number[] {
  return locations.map((location) => location.range.start.line).sort((a, b) => a - b);
}

describe('navigation over stdio', () => {
  const client = new TestClient();
  const uri = 'file:///navigation/hunts.kql';
  before(async () => {
    await client.initialize();
    const published = client.waitForDiagnostics(uri);
    client.open(uri, HUNTS_TEXT);
    assert.deepEqual(await published, [], 'the test hunts must analyse cleanly');
  });
  after(() => client.shutdown());

  const at = (offset: number) => ({ textDocument: { uri }, position: positionOf(HUNTS_TEXT, offset) });

  test('definition of an outer let skips the shadowing one', async () => {
    for (const use of [OUTER_CALL, OUTER_EXTEND]) {
      const locations = await client.request<Location[]>('textDocument/definition', at(use));
      assert.equal(locations.length, 1);
      assert.equal(locations[0].range.start.line, 1);
      assert.equal(rangeText(HUNTS_TEXT, locations[0].range), 'total');
    }
  });

  test('definition inside the function finds the inner let', async () => {
    const locations = await client.request<Location[]>('textDocument/definition', at(INNER_USE));
    assert.equal(locations[0].range.start.line, 3);
  });

  test('definition of a parameter use finds the parameter', async () => {
    const { text, offsets } = withCursors('let f = (limit: long) { print x = lim‸it };\nf(1)');
    const paramUri = 'file:///navigation/param.kql';
    client.open(paramUri, text);
    const locations = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: paramUri }, position: positionOf(text, offsets[0]) });
    assert.equal(rangeText(text, locations[0].range), 'limit');
    assert.equal(locations[0].range.start.character, 9);
  });

  test('definition of an extended column finds extend', async () => {
    const locations = await client.request<Location[]>('textDocument/definition', at(SCORE_USE));
    assert.equal(locations[0].range.start.line, 15);
    assert.equal(rangeText(HUNTS_TEXT, locations[0].range), 'score');
  });

  test('definition of a table column is empty', async () => {
    const locations = await client.request<Location[] | null>('textDocument/definition', at(TABLE_COLUMN));
    assert.equal(locations, null);
  });

  test('references stay in one scope and hunt', async () => {
    const withDeclaration = await client.request<Location[]>('textDocument/references', { ...at(OUTER_DECL), context: { includeDeclaration: true } });
    assert.deepEqual(lines(withDeclaration), [1, 8, 9]);
    const usesOnly = await client.request<Location[]>('textDocument/references', { ...at(OUTER_DECL), context: { includeDeclaration: false } });
    assert.deepEqual(lines(usesOnly), [8, 9]);
  });

  test('references of the shadowing let', async () => {
    const locations = await client.request<Location[]>('textDocument/references', { ...at(INNER_DECL), context: { includeDeclaration: true } });
    assert.deepEqual(lines(locations), [3, 6]);
  });

  test('references of a column made by extend', async () => {
    const locations = await client.request<Location[]>('textDocument/references', { ...at(SCORE_DECL), context: { includeDeclaration: true } });
    assert.deepEqual(lines(locations), [15, 16, 17]);
  });

  test('highlight marks declaration as write', async () => {
    const highlights = await client.request<DocumentHighlight[]>('textDocument/documentHighlight', at(PARAM_DECL));
    assert.equal(highlights.length, 2);
    const write = highlights.filter((highlight) => highlight.kind === 3);
    const read = highlights.filter((highlight) => highlight.kind === 2);
    assert.deepEqual(write.map((highlight) => highlight.range.start.line), [2]);
    assert.deepEqual(read.map((highlight) => highlight.range.start.line), [3]);
  });

  test('prepare rename gives the name and range', async () => {
    const result = await client.request<{ range: Range; placeholder: string }>('textDocument/prepareRename', at(SCORE_USE));
    assert.equal(result.placeholder, 'score');
    assert.equal(rangeText(HUNTS_TEXT, result.range), 'score');
  });

  test('prepare rename rejects a table column', async () => {
    await assert.rejects(client.request('textDocument/prepareRename', at(TABLE_COLUMN)), /'DeviceName' is a column of the table the query reads, not declared in this hunt/);
  });

  test('rename of the outer let leaves the shadowing one', async () => {
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...at(OUTER_CALL), newName: 'file_limit' });
    const edits = edit.changes![uri];
    assert.deepEqual(lines(edits), [1, 8, 9]);
    const renamed = TextDocument.applyEdits(TextDocument.create(uri, 'kql', 1, HUNTS_TEXT), edits);
    assert.match(renamed, /let total = minimum \* 2;/);
    assert.match(renamed, /\| where Files > total\n/);
    assert.match(renamed, /let total = 5;/);
  });

  test('rename of the shadowing let leaves the outer one', async () => {
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...at(INNER_USE), newName: 'doubled' });
    assert.deepEqual(lines(edit.changes![uri]), [3, 6]);
  });

  test('rename to a name that needs quoting', async () => {
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...at(SCORE_DECL), newName: 'risk score' });
    const edits = edit.changes![uri] as TextEdit[];
    assert.equal(edits.length, 3);
    for (const change of edits) assert.equal(change.newText, "['risk score']");
  });

  test('rename to a keyword quotes it', async () => {
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...at(SCORE_DECL), newName: 'where' });
    assert.ok(edit.changes![uri].every((change) => change.newText === "['where']"));
  });

  test('rename of a quoted name to a plain one', async () => {
    const { text, offsets } = withCursors("DeviceNetworkEvents\n| extend ['Remote ‸port'] = RemotePort\n| where ['Remote port'] > 0\n| project ['Remote port']");
    const quotedUri = 'file:///navigation/quoted.kql';
    client.open(quotedUri, text);
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: quotedUri }, position: positionOf(text, offsets[0]), newName: 'remote_port' });
    const renamed = TextDocument.applyEdits(TextDocument.create(quotedUri, 'kql', 1, text), edit.changes![quotedUri]);
    assert.equal(renamed, 'DeviceNetworkEvents\n| extend remote_port = RemotePort\n| where remote_port > 0\n| project remote_port');
  });

  test('rename accepts a bracketed new name', async () => {
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...at(SCORE_DECL), newName: "['it\\'s']" });
    assert.ok(edit.changes![uri].every((change) => change.newText === `["it's"]`), JSON.stringify(edit));
  });

  test('rename rejects a collision with a parameter', async () => {
    await assert.rejects(
      client.request('textDocument/rename', { ...at(INNER_DECL), newName: 'minimum' }),
      /Cannot rename 'total' to 'minimum' because a parameter named 'minimum' is already in scope where 'total' is declared\. The existing 'minimum' is on line 3\./,
    );
  });

  test('rename rejects a collision with a column', async () => {
    await assert.rejects(client.request('textDocument/rename', { ...at(SCORE_DECL), newName: 'RemotePort' }), /a column named 'RemotePort' is already in scope/);
  });

  test('rename rejects a collision with another let', async () => {
    await assert.rejects(client.request('textDocument/rename', { ...at(OUTER_DECL), newName: 'per_device' }), /Cannot rename 'total' to 'per_device'/);
  });

  test('rename rejects an empty name', async () => {
    await assert.rejects(client.request('textDocument/rename', { ...at(SCORE_DECL), newName: '   ' }), /The new name is empty/);
  });

  test('rename rejects a line break', async () => {
    await assert.rejects(client.request('textDocument/rename', { ...at(SCORE_DECL), newName: 'a\nb' }), /contains a line break or control character/);
  });

  test('rename rejects a table column', async () => {
    await assert.rejects(client.request('textDocument/rename', { ...at(TABLE_COLUMN), newName: 'Host' }), /'DeviceName' is a column of the table the query reads/);
  });

  test('rename rejects a name Kusto derived', async () => {
    const { text, offsets } = withCursors('DeviceNetworkEvents\n| summarize count() by DeviceName\n| where coun‸t_ > 1');
    const derivedUri = 'file:///navigation/derived.kql';
    client.open(derivedUri, text);
    await assert.rejects(client.request('textDocument/rename', { textDocument: { uri: derivedUri }, position: positionOf(text, offsets[0]), newName: 'Connections' }), /count_/);
  });

  test('renamed hunt analyses cleanly', async () => {
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...at(OUTER_DECL), newName: 'file limit' });
    const renamed = TextDocument.applyEdits(TextDocument.create(uri, 'kql', 1, HUNTS_TEXT), edit.changes![uri]);
    assert.match(renamed, /let \['file limit'\] = 10;/);
    assert.match(renamed, /per_device\(\['file limit'\]\)/);

    // A new document, because an unchanged (empty) diagnostics list is not published again.
    const renamedUri = 'file:///navigation/renamed.kql';
    const published = client.waitForDiagnostics(renamedUri);
    client.open(renamedUri, renamed);
    assert.deepEqual(await published, []);
  });
});

describe('signature help over stdio', () => {
  const client = new TestClient();
  before(() => client.initialize());
  after(() => client.shutdown());

  async function help(marked: string): Promise<SignatureHelp | null> {
    const { text, offsets } = withCursors(marked);
    const uri = `file:///signatures/${encodeURIComponent(marked.slice(0, 20))}-${offsets[0]}.kql`;
    client.open(uri, text);
    return client.request<SignatureHelp | null>('textDocument/signatureHelp', { textDocument: { uri }, position: positionOf(text, offsets[0]) });
  }

  function activeParameterText(result: SignatureHelp): string {
    const signature = result.signatures[result.activeSignature!];
    const label = signature.parameters![result.activeParameter!].label as [number, number];
    return signature.label.slice(label[0], label[1]);
  }

  test('built-in function shows its parameters', async () => {
    const result = await help('// First\nDeviceNetworkEvents | take 1\n\n// Second\nDeviceNetworkEvents\n| extend Level = iff(RemotePort > 1024, "high", ‸)');
    assert.ok(result);
    assert.match(result.signatures[0].label, /^iff\(if: bool, then: scalar, else: scalar\)/);
    assert.equal(activeParameterText(result), 'else: scalar');
  });

  test('first argument is active after the parenthesis', async () => {
    const result = await help('DeviceNetworkEvents\n| extend Host = tolower(‸');
    assert.ok(result);
    assert.match(result.signatures[result.activeSignature!].label, /^tolower\(/);
    assert.equal(result.activeParameter, 0);
  });

  test('aggregate function tracks the argument', async () => {
    const result = await help('DeviceNetworkEvents\n| summarize Devices = dcount(DeviceId, ‸) by RemoteIP');
    assert.ok(result);
    assert.match(result.signatures[0].label, /^dcount\(expr: scalar, \[accuracy: /);
    assert.equal(result.activeParameter, 1);
  });

  test('repeatable parameter stays active', async () => {
    const result = await help('DeviceNetworkEvents\n| extend Key = strcat(DeviceName, "-", ‸RemoteIP)');
    assert.ok(result);
    assert.match(result.signatures[0].label, /^strcat\(arg: .*, \.\.\.\): string$/);
    assert.equal(result.activeParameter, 0);
  });

  test('overloads show the bound one', async () => {
    const result = await help('DeviceNetworkEvents\n| summarize count() by bin(Timestamp, ‸1h)');
    assert.ok(result);
    assert.ok(result.signatures.length > 1);
    assert.equal(activeParameterText(result).split(':')[0], 'roundTo');
  });

  test('nested call shows the inner function', async () => {
    const result = await help('DeviceNetworkEvents\n| extend Key = strcat(tolower(Device‸Name), "-")');
    assert.match(result!.signatures[result!.activeSignature!].label, /^tolower\(/);
  });

  test('let function shows declared parameters', async () => {
    const result = await help('let recent = (table_name: string, lookback: timespan = 1d) { DeviceNetworkEvents | where Timestamp > ago(lookback) | extend Source = table_name };\nrecent("network", ‸)');
    assert.ok(result);
    assert.equal(result.signatures[0].label, 'recent(table_name: string, [lookback: timespan = 1d]): table');
    assert.equal(activeParameterText(result), '[lookback: timespan = 1d]');
  });

  test('no help outside a call', async () => {
    assert.equal(await help('DeviceNetworkEvents\n| where Remote‸Port == 23'), null);
  });
});
