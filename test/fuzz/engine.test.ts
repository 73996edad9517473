import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Range } from 'vscode-languageserver-types';
import { splitBlocks } from '../../server/src/engine/blocks';
import { codeActions } from '../../server/src/engine/codeActions';
import { complete } from '../../server/src/engine/completion';
import { hover } from '../../server/src/engine/hover';
import { createTestEngine, documentOf, settings } from '../helpers/engine';
import { EXAMPLES } from '../helpers/paths';

// Generated and mutated documents through the whole engine. FUZZ_RUNS sets the number of
// documents (default 1500, a CI-sized run); `npm run fuzz` runs a longer campaign.
const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

const engine = createTestEngine();
after(() => engine.dispose());

const examples = readdirSync(EXAMPLES).map((name) => readFileSync(join(EXAMPLES, name), 'utf8'));
const exampleLines = examples.flatMap((text) => text.split('\n'));
const fragments = [
  '|', '||', '(', ')', '[', ']', '{', '}', '"', "'", '@"', '```', '//', '\n', '\r\n', '\n\n', ';', ',', '=', '==', '!has', 'in~',
  'let x = ', 'where ', 'project ', 'summarize count() by ', 'dynamic([', '"5.39.216.137"', '"5[.]39[.]216[.]137"', 'not(',
  'DeviceNetworkEvents', 'CommonSecurityLog', 'Timestamp', 'TimeGenerated', 'RemoteIP', 'InitiatingProcessCommandLine',
  '// kql-hunt: environment=defender', '// kql-hunt-disable-next-line', '\u0000', '\ud800', '\u00e9', '\t', ' ', 'ago(1d)',
];

const generated = fc.array(fc.oneof(fc.constantFrom(...fragments), fc.constantFrom(...exampleLines), fc.string({ maxLength: 12 })), { maxLength: 60 }).map((parts) => parts.join(''));

const mutated = fc
  .tuple(fc.constantFrom(...examples), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 40 }), fc.constantFrom('', ...fragments)), { minLength: 1, maxLength: 6 }))
  .map(([text, edits]) => {
    let result = text;
    for (const [at, length, insert] of edits) {
      const start = at % (result.length + 1);
      result = result.slice(0, start) + insert + result.slice(start + length);
    }
    return result;
  });

function withinDocument(document: TextDocument, range: Range): boolean {
  const start = document.offsetAt(range.start);
  const end = document.offsetAt(range.end);
  const inside = (position: Range['start']): boolean => position.line >= 0 && position.character >= 0 && position.line < document.lineCount;
  return inside(range.start) && inside(range.end) && start <= end;
}

async function checkDocument(text: string): Promise<void> {
  const document = documentOf(text);
  const analysis = await engine.analyzeDocument(document, settings());

  let previousEnd = -1;
  for (const { block } of analysis.blocks) {
    assert.ok(block.start > previousEnd, 'blocks overlap');
    assert.equal(text.slice(block.start, block.end), block.text);
    previousEnd = block.end;
  }
  for (const diagnostic of analysis.diagnostics) {
    assert.ok(withinDocument(document, diagnostic.range), `range outside the document: ${JSON.stringify(diagnostic.range)}`);
    assert.ok(String(diagnostic.code ?? '').length > 0);
    assert.ok(diagnostic.message.length > 0);
  }
}

describe('engine fuzzing', () => {
  test('generated documents analyse without failing', async () => {
    await fc.assert(fc.asyncProperty(generated, checkDocument), { numRuns: Math.ceil(RUNS / 2), seed: SEED });
  });

  test('mutated examples analyse without failing', async () => {
    await fc.assert(fc.asyncProperty(mutated, checkDocument), { numRuns: Math.ceil(RUNS / 2), seed: SEED });
  });

  test('requests at any position answer', async () => {
    const property = fc.asyncProperty(mutated, fc.nat(), async (text, at) => {
      const document = documentOf(text);
      const position = document.positionAt(at % (text.length + 1));
      const range = { start: position, end: position };
      const list = await complete(engine, document, position, settings());
      assert.ok(list, 'no completion list in a .kql document');
      for (const item of list.items) assert.ok(item.textEdit && 'range' in item.textEdit && withinDocument(document, item.textEdit.range));
      await hover(engine, document, position, settings());
      for (const action of await codeActions(engine, document, range, settings())) {
        for (const edit of action.edit?.changes?.[document.uri] ?? []) assert.ok(withinDocument(document, edit.range));
      }
    });
    await fc.assert(property, { numRuns: Math.max(20, Math.ceil(RUNS / 15)), seed: SEED });
  });

  test('splitting covers every non-blank line exactly once', () => {
    fc.assert(
      fc.property(fc.oneof(generated, mutated), (text) => {
        const lines = text.split(/\r\n|\n|\r/);
        const covered = new Array<number>(lines.length).fill(0);
        for (const block of splitBlocks(text)) for (let line = block.startLine; line <= block.endLine; line++) covered[line]++;
        lines.forEach((line, index) => {
          if (line.trim() !== '') assert.equal(covered[index], 1, `line ${index} covered ${covered[index]} times`);
        });
      }),
      { numRuns: RUNS * 2, seed: SEED },
    );
  });
});
