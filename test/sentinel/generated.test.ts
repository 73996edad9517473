import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { parse } from 'yaml';
import { huntingQueryFile, huntOptions } from '../../server/src/engine/insertHunt';
import { stableGuid } from '../../server/src/engine/sentinel/ruleYaml';
import { createTestEngine, documentOf, settings } from '../helpers/engine';

const engine = createTestEngine();
after(() => engine.dispose());

interface GeneratedRule {
  id: string;
  name: string;
  description: string;
  requiredDataConnectors: { connectorId: string; dataTypes: string[] }[];
  tactics: string[];
  relevantTechniques: string[];
  query: string;
  entityMappings?: { entityType: string; fieldMappings: { identifier: string; columnName: string }[] }[];
}

describe('generated hunting query files', () => {
  const tables = huntOptions(engine)[0].tables;

  for (const table of tables) {
    test(`${table} file lints clean`, async () => {
      const result = await huntingQueryFile(engine, settings(), { table, withExclusions: true });
      assert.ok('text' in result, JSON.stringify(result));
      const analysis = await engine.analyzeDocument(documentOf(result.text, `file:///generated/${result.fileName}`), settings());
      assert.equal(analysis.source.kind, 'sentinel-yaml');
      assert.deepEqual(analysis.diagnostics, [], result.text);
    });
  }

  test('DeviceNetworkEvents file has the expected metadata', async () => {
    const result = await huntingQueryFile(engine, settings(), { table: 'DeviceNetworkEvents', withExclusions: true });
    assert.ok('text' in result);
    const rule = parse(result.text) as GeneratedRule;
    assert.match(rule.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(rule.name, 'Mirai indicators from ThreatFox in DeviceNetworkEvents');
    assert.match(rule.description, /Excludes 5 known false-positive scenarios/);
    assert.deepEqual(rule.requiredDataConnectors, [{ connectorId: 'MicrosoftThreatProtection', dataTypes: ['DeviceNetworkEvents'] }]);
    assert.deepEqual(rule.tactics, ['CommandAndControl']);
    assert.deepEqual(rule.relevantTechniques, ['T1105']);
    assert.equal(rule.query.split('\n').filter((line) => line.startsWith('| where not(')).length, 5);
    assert.match(rule.query, /\| project TimeGenerated, DeviceName, RemoteIP/);
    assert.deepEqual(
      rule.entityMappings?.map((mapping) => [mapping.entityType, mapping.fieldMappings[0].identifier, mapping.fieldMappings[0].columnName]),
      [
        ['IP', 'Address', 'RemoteIP'],
        ['Host', 'FullName', 'DeviceName'],
      ],
    );
  });

  test('each file gets a fresh id', async () => {
    const first = await huntingQueryFile(engine, settings(), { table: 'Syslog', withExclusions: true });
    const second = await huntingQueryFile(engine, settings(), { table: 'Syslog', withExclusions: true });
    assert.ok('text' in first && 'text' in second);
    assert.notEqual((parse(first.text) as GeneratedRule).id, (parse(second.text) as GeneratedRule).id);
  });

  test('unknown table is rejected with the supported list', async () => {
    const result = await huntingQueryFile(engine, settings(), { table: 'Heartbeat', withExclusions: true });
    assert.ok('error' in result);
    assert.match(result.error, /Supported tables: .*DeviceNetworkEvents/);
  });

  test('stable ids are version 5 GUIDs', () => {
    assert.equal(stableGuid('a'), stableGuid('a'));
    assert.notEqual(stableGuid('a'), stableGuid('b'));
    assert.match(stableGuid('a'), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
