import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { Diagnostic, Hover } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TestClient } from '../helpers/lspClient';
import { EXAMPLES } from '../helpers/paths';

// Random edits typed into the real server over stdio. After each sequence the server must still
// respond to requests, and the diagnostics it published for the last version must lie inside it.
// FUZZ_RUNS scales the number of sequences with the engine fuzzing (a tenth of its documents).
const RUNS = Math.max(20, Math.ceil(Number(process.env.FUZZ_RUNS ?? 1500) / 10));
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

const examples = readdirSync(EXAMPLES).map((name) => readFileSync(join(EXAMPLES, name), 'utf8'));
const fragments = ['', '|', '(', ')', '"', "'", '```', '\n', '\n\n', '\r\n', ' ', 'where ', 'x', 'DeviceNetworkEvents', '| project RemotePrt', 'let a = 1;', '// kql-hunt: environment=defender', '\u0000', '\ud800', '5[.]39[.]216[.]137'];

/** An edit as offsets into the current text, scaled to its length when applied. */
const edit = fc.record({ at: fc.nat(), length: fc.nat({ max: 30 }), text: fc.constantFrom(...fragments), hover: fc.boolean() });
const session = fc.record({ text: fc.constantFrom(...examples), edits: fc.array(edit, { minLength: 1, maxLength: 12 }) });

function inside(document: TextDocument, diagnostics: Diagnostic[]): boolean {
  return diagnostics.every(({ range }) => {
    const { start, end } = range;
    const inLines = start.line >= 0 && end.line < document.lineCount && start.character >= 0 && end.character >= 0;
    return inLines && document.offsetAt(start) <= document.offsetAt(end);
  });
}

describe('server fuzzing', () => {
  const client = new TestClient();
  client.configuration = { analysis: { debounceMs: 0 } };
  let documents = 0;
  before(() => client.initialize());
  after(() => client.shutdown());

  test('random edits keep the server alive and its diagnostics inside', async () => {
    const property = fc.asyncProperty(session, async ({ text, edits }) => {
      const uri = `file:///fuzz/session-${documents++}.kql`;
      client.open(uri, text);
      const hovers: Promise<Hover | null>[] = [];
      for (const { at, length, text: inserted, hover } of edits) {
        const document = client.documents.get(uri)!;
        const start = at % (document.getText().length + 1);
        const range = { start: document.positionAt(start), end: document.positionAt(start + length) };
        client.change(uri, [{ range, newText: inserted }]);
        if (hover) hovers.push(client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: range.start }));
      }
      await Promise.all(hovers);

      const final = client.documents.get(uri)!;
      await client.waitForAnalysedVersion(uri, final.version);
      const diagnostics = client.diagnostics.get(uri) ?? [];
      assert.ok(inside(final, diagnostics), `diagnostic outside the document: ${JSON.stringify(diagnostics.map((diagnostic) => diagnostic.range))}`);
      client.close(uri);
    });
    await fc.assert(property, { numRuns: RUNS, seed: SEED });
    assert.equal(client.process.exitCode, null);
  });
});
