import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { HuntEngine } from '../../server/src/engine/engine';
import { analyzeText, codes, settings } from '../helpers/engine';
import { WORKER_PATH } from '../helpers/paths';

describe('worker limits', () => {
  // The limit is far above a normal block's analysis even on a loaded machine, and far below the
  // 40,000 chained `let` statements below, which take Kusto.Language about 16 s. Deep brackets
  // would not do: Kusto gives up on them with KS245 once its stack runs short, sometimes quickly.
  const engine = new HuntEngine({ workerPath: WORKER_PATH, timeoutMs: 3000 });
  after(() => engine.dispose());

  test('block past the time limit is reported and the worker restarts', async () => {
    const lets = Array.from({ length: 40000 }, (_, index) => `let a${index + 1} = ${index === 0 ? '1' : `a${index}`} + 1;`).join('\n');
    const options = settings({ analysis: { maxBlockLength: 2_000_000 } });
    const analysis = await analyzeText(engine, `${lets}\nprint a40000\n\nDeviceNetworkEvents | project Nope`, options);
    assert.deepEqual(codes(analysis), ['analysis-timeout', 'KS142']);
    assert.match(analysis.diagnostics[0].message, /took longer than 3000 ms/);
  });

  test('deep nesting is not sent to Kusto.Language', async () => {
    const analysis = await analyzeText(engine, `print x = ${'('.repeat(500)}1${')'.repeat(500)}`);
    assert.deepEqual(codes(analysis), ['block-too-complex']);
  });

  test('very long block is not analysed', async () => {
    const analysis = await analyzeText(engine, `print x = "${'a'.repeat(300000)}"`);
    assert.deepEqual(codes(analysis), ['block-too-large']);
  });

  test('blocks past the block limit are reported once', async () => {
    const text = Array.from({ length: 5 }, (_, index) => `print ${index}`).join('\n\n');
    const analysis = await analyzeText(engine, text, settings({ analysis: { maxBlocks: 2 } }));
    assert.deepEqual(codes(analysis), ['block-limit']);
    assert.equal(analysis.diagnostics[0].range.start.line, 4);
  });

  test('odd characters analyse without failing', async () => {
    const analysis = await analyzeText(engine, 'print "a\u0000b", "\ud800", x = 1\n\n||||\n\n"unterminated');
    assert.ok(!codes(analysis).includes('analysis-failed'));
  });
});
