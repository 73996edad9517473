import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { commonPrefixLength, commonSuffixLength, resplitBlocks, splitWithStates } from '../../server/src/engine/blocks';
import { EXAMPLES } from '../helpers/paths';

const examples = readdirSync(EXAMPLES).map((name) => readFileSync(join(EXAMPLES, name), 'utf8'));
const pieces = ['\n', '\n\n', '\r\n', '\r', '|', '| where x == 1', '(', ')', '```', '"', "'", '//', ';', 'let x = 1;', 'T1', ' ', 'and', '// kql-hunt: environment=defender', '// hunt'];

/** A document and a sequence of edits, each replacing a span with a piece. */
const edited = fc.tuple(
  fc.oneof(fc.constantFrom(...examples), fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((parts) => parts.join(''))),
  fc.array(fc.tuple(fc.nat(), fc.nat({ max: 30 }), fc.constantFrom('', ...pieces)), { minLength: 1, maxLength: 8 }),
);

function plain(result: ReturnType<typeof splitWithStates>): unknown {
  return { blocks: result.blocks.map((block) => ({ ...block })), startStates: result.startStates };
}

describe('splitting again after an edit', () => {
  test('gives the same blocks as splitting from scratch', () => {
    fc.assert(
      fc.property(edited, ([text, edits]) => {
        let previous = splitWithStates(text);
        let current = text;
        for (const [at, length, insert] of edits) {
          const start = at % (current.length + 1);
          current = current.slice(0, start) + insert + current.slice(start + length);
          const again = resplitBlocks(previous, current);
          assert.deepEqual(plain(again), plain(splitWithStates(current)));
          previous = again;
        }
      }),
      { numRuns: 1500 },
    );
  });

  test('keeps blocks before the edit and moves those after it', () => {
    const text = 'T0\n\nT1\n| take 1\n\nT2\n| take 2\n\nT3\n| take 3\n';
    const previous = splitWithStates(text);
    const next = resplitBlocks(previous, text.replace('take 2', 'take 22'));
    assert.equal(next.blocks[0], previous.blocks[0]);
    assert.equal(next.blocks[2].text, 'T2\n| take 22');
    assert.equal(next.blocks[3].start, previous.blocks[3].start + 1);
    assert.equal(next.blocks[3].text, previous.blocks[3].text);
  });

  test('a pipe typed at a block start joins it to the previous block', () => {
    const text = 'T1\n| take 1\n\nwhere x == 1\n\nT3';
    const next = resplitBlocks(splitWithStates(text), text.replace('where', '| where'));
    assert.deepEqual(
      next.blocks.map((block) => block.text),
      ['T1\n| take 1\n\n| where x == 1', 'T3'],
    );
  });

  test('a line typed under a block can join it to the one before', () => {
    // Found by the property above: the comment block becomes code, so the `;` block continues into it.
    const text = ';\n\n//-hunt: environment=defender\n\n';
    const next = resplitBlocks(splitWithStates(text), ';\n\n//-hunt: environment=defender\n```\n');
    assert.deepEqual(plain(next), plain(splitWithStates(next.text)));
    assert.equal(next.blocks.length, 1);
  });

  test('common prefix and suffix lengths are exact', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (head, middle, tail) => {
        const a = head + middle + tail;
        const b = head + tail;
        const prefix = commonPrefixLength(a, b);
        assert.ok(a.startsWith(b.slice(0, prefix)) && (prefix === Math.min(a.length, b.length) || a[prefix] !== b[prefix]));
        const suffix = commonSuffixLength(a, b, Math.min(a.length, b.length) - prefix);
        assert.ok(a.endsWith(b.slice(b.length - suffix)));
      }),
    );
  });
});
