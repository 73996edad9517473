import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { analyzeText, createTestEngine, documentOf, settings } from '../helpers/engine';

const engine = createTestEngine();
after(() => engine.dispose());

const DEFENDER_QUERY = ['DeviceFileEvents', '| where Timestamp > ago(1d)', '| invoke FileProfile(SHA1, 1000)', '| where GlobalPrevalence < 5'];

function rule(queryLines: string[], extra = ''): string {
  return [
    'id: 6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    'name: Rare files',
    'description: Files few devices have seen.',
    'requiredDataConnectors:',
    '  - connectorId: MicrosoftThreatProtection',
    '    dataTypes:',
    '      - DeviceFileEvents',
    extra,
    'query: |',
    ...queryLines.map((line) => `  ${line}`),
    'version: 1.0.0',
    '',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

describe('environment of Sentinel rules', () => {
  test('query in a .kql file picks Defender for FileProfile', async () => {
    const analysis = await analyzeText(engine, DEFENDER_QUERY.join('\n'));
    assert.deepEqual(analysis.diagnostics, []);
  });

  test('rule query runs in Sentinel, where FileProfile is unknown', async () => {
    const analysis = await engine.analyzeDocument(documentOf(rule(DEFENDER_QUERY), 'file:///repo/rare.yaml'), settings());
    const outcome = analysis.blocks[0].outcome;
    assert.equal(outcome.status === 'analyzed' ? outcome.analysis.environment : undefined, 'sentinel');
    assert.ok(analysis.diagnostics.some((diagnostic) => diagnostic.severity === 1), JSON.stringify(analysis.diagnostics));
  });

  test('rule query names why it runs in Sentinel', async () => {
    const analysis = await engine.analyzeDocument(documentOf(rule(DEFENDER_QUERY), 'file:///repo/rare-reason.yaml'), settings());
    const outcome = analysis.blocks[0].outcome;
    assert.equal(outcome.status === 'analyzed' ? outcome.analysis.environmentReason : undefined, "a Sentinel rule's query runs in Log Analytics");
    const mismatch = analysis.diagnostics.find((diagnostic) => diagnostic.code === 'time-column-mismatch');
    assert.ok(mismatch, JSON.stringify(analysis.diagnostics));
    assert.match(mismatch.message, /\(a Sentinel rule's query runs in Log Analytics\)/);
    assert.doesNotMatch(mismatch.message, /setting or directive/);
  });

  test('directive inside the query still wins', async () => {
    const text = rule(['// kql-hunt: environment=defender', ...DEFENDER_QUERY]);
    const analysis = await engine.analyzeDocument(documentOf(text, 'file:///repo/rare.yaml'), settings());
    const outcome = analysis.blocks[0].outcome;
    assert.equal(outcome.status === 'analyzed' ? outcome.analysis.environment : undefined, 'defender');
  });

  test('yaml with only name and query is no rule', async () => {
    const text = 'name: build step\nquery: select 1\n';
    const analysis = await engine.analyzeDocument(documentOf(text, 'file:///repo/ci.yaml'), settings());
    assert.equal(analysis.source.kind, 'other');
    assert.deepEqual(analysis.diagnostics, []);
  });

  test('name, query and a description make a rule', async () => {
    const text = 'name: Rare files\ndescription: Files few devices have seen.\nquery: |\n  DeviceFileEvents | take 1\n';
    const analysis = await engine.analyzeDocument(documentOf(text, 'file:///repo/hunt.yaml'), settings());
    assert.equal(analysis.source.kind, 'sentinel-yaml');
  });
});
