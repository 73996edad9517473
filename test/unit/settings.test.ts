import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { DEFAULT_SETTINGS, resolveSettings, SETTINGS_SCHEMA } from '../../server/src/engine/settings';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));

describe('settings', () => {
  test('package.json declares exactly the schema settings', () => {
    assert.deepEqual(Object.keys(manifest.contributes.configuration.properties).sort(), Object.keys(SETTINGS_SCHEMA).sort());
  });

  for (const [name, spec] of Object.entries(SETTINGS_SCHEMA)) {
    test(`package.json mirrors ${name}`, () => {
      assert.deepEqual(manifest.contributes.configuration.properties[name], JSON.parse(JSON.stringify(spec)));
    });
  }

  test('defaults come from the schema', () => {
    assert.equal(DEFAULT_SETTINGS.environment, 'auto');
    assert.deepEqual(DEFAULT_SETTINGS.exclusions.adminAccounts, ['root', 'administrator']);
    assert.deepEqual(DEFAULT_SETTINGS.exclusions.internalNetworks, ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']);
  });

  test('valid values are taken', () => {
    const settings = resolveSettings({ environment: 'defender', exclusions: { logServers: ['10.1.1.1'] } });
    assert.equal(settings.environment, 'defender');
    assert.deepEqual(settings.exclusions.logServers, ['10.1.1.1']);
    assert.deepEqual(settings.exclusions.adminAccounts, ['root', 'administrator']);
  });

  test('wrong types fall back to defaults and are named', () => {
    const problems: string[] = [];
    const settings = resolveSettings({ environment: 'splunk', exclusions: { adminAccounts: 'root' }, completion: { maxItems: -5 } }, problems);
    assert.equal(settings.environment, 'auto');
    assert.deepEqual(settings.exclusions.adminAccounts, ['root', 'administrator']);
    assert.equal(settings.completion.maxItems, 200);
    assert.equal(problems.length, 3);
    assert.match(problems[0], /kqlHunt\.environment/);
  });

  test('non-object section gives the defaults', () => {
    assert.deepEqual(resolveSettings('nonsense'), DEFAULT_SETTINGS);
    assert.deepEqual(resolveSettings(null), DEFAULT_SETTINGS);
  });
});
