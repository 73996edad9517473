import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { blockEnvironment } from '../../server/src/engine/blockInfo';
import { documentTokens, encodeTokens } from '../../server/src/engine/semanticTokens';
import { intelSummary } from '../../server/src/engine/status';
import { analyzeText, codes, createTestEngine, documentOf, settings } from '../helpers/engine';

const engine = createTestEngine();
after(() => engine.dispose());

describe('walkthrough example', () => {
  test('reports exactly the typo and the five exclusions', async () => {
    const analysis = await analyzeText(engine, readFileSync('walkthrough/example-hunt.kql', 'utf8'));
    assert.deepEqual(codes(analysis).sort(), [
      'KS142',
      'missing-exclusion/nc-remote-admin',
      'missing-exclusion/nmap-internal-scan',
      'missing-exclusion/package-update-cron',
      'missing-exclusion/rsync-log-collection',
      'missing-exclusion/tar-backup',
    ]);
    assert.match(analysis.diagnostics.find((diagnostic) => diagnostic.code === 'KS142')!.message, /Did you mean 'DestinationPort'/);
  });
});

describe('block environment', () => {
  const long = `DeviceNetworkEvents\n| where RemoteUrl has "${'a'.repeat(1200)}"`;

  test('unanalysed block keeps the environment a setting names', async () => {
    const info = await blockEnvironment(engine, documentOf(long), { line: 0, character: 3 }, settings({ environment: 'defender', analysis: { maxBlockLength: 1000 } }));
    assert.equal(info.environment, 'defender');
    assert.equal(info.reason, 'setting or directive');
  });

  test('unanalysed block under auto has no environment', async () => {
    const info = await blockEnvironment(engine, documentOf(long), { line: 0, character: 3 }, settings({ analysis: { maxBlockLength: 1000 } }));
    assert.equal(info.environment, null);
    assert.match(info.reason, /not analysed/);
    assert.deepEqual(info.lines, { start: 0, end: 1 });
  });

  test('comment-only document has no environment', async () => {
    const info = await blockEnvironment(engine, documentOf('// just a note\n// and another'), { line: 0, character: 3 }, settings());
    assert.equal(info.environment, null);
  });
});

describe('semantic tokens in the engine', () => {
  test('encoding is relative to the previous token', () => {
    const encoded = encodeTokens([
      { line: 0, character: 0, length: 19, type: 'class' },
      { line: 1, character: 8, length: 8, type: 'property' },
      { line: 1, character: 20, length: 3, type: 'function' },
    ]);
    assert.deepEqual(encoded.data, [0, 0, 19, 6, 0, 1, 8, 8, 7, 0, 0, 12, 3, 8, 0]);
  });

  test('blocks past the block limit get no tokens', async () => {
    const document = documentOf('CommonSecurityLog\n\nDeviceNetworkEvents');
    const tokens = await documentTokens(engine, document, settings({ analysis: { maxBlocks: 1 } }));
    assert.ok(tokens.some((token) => token.line === 0));
    assert.ok(!tokens.some((token) => token.line === 2));
  });

  test('CRLF document tokens stay on their lines', async () => {
    const document = documentOf('let x = ```a\r\nb```;\r\nprint x');
    const strings = (await documentTokens(engine, document, settings())).filter((token) => token.type === 'string');
    assert.deepEqual(
      strings.map((token) => [token.line, token.character, token.length]),
      [
        [0, 8, 4],
        [1, 0, 4],
      ],
    );
  });
});

describe('intel summary', () => {
  test('lists the built-in set and the trust state', () => {
    const summary = intelSummary(engine);
    assert.deepEqual(summary.families, ['Mirai']);
    assert.equal(summary.indicators, summary.sets.reduce((total, set) => total + set.indicators, 0));
    assert.equal(summary.workspaceTrusted, true);
    assert.deepEqual(summary.loadProblems, []);
  });
});
