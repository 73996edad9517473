import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { HuntEngine } from '../../server/src/engine/engine';
import { analyzeText, codes, settings } from '../helpers/engine';
import { WORKER_PATH } from '../helpers/paths';

describe('worker limits', () => {
  // The limit leaves the small block after the restart a wide margin on a loaded two-core
  // machine, while 8,000 nested brackets take Kusto.Language seconds to parse.
  const engine = new HuntEngine({ workerPath: WORKER_PATH, timeoutMs: 1500 });
  after(() => engine.dispose());

  test('block past the time limit is reported and the worker restarts', async () => {
    const nested = `print x = ${'('.repeat(8000)}1${')'.repeat(8000)}`;
    const options = settings({ analysis: { maxNestingDepth: 100000 } });
    const analysis = await analyzeText(engine, `${nested}\n\nDeviceNetworkEvents | project Nope`, options);
    assert.deepEqual(codes(analysis), ['analysis-timeout', 'KS142']);
    assert.match(analysis.diagnostics[0].message, /took longer than 1500 ms/);
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
