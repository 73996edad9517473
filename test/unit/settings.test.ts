import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { DEFAULT_SETTINGS, manifestProperties, resolveSettings, SETTINGS_SCHEMA } from '../../server/src/engine/settings';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));

describe('settings', () => {
  test('package.json declares exactly the schema settings', () => {
    assert.deepEqual(Object.keys(manifest.contributes.configuration.properties).sort(), Object.keys(SETTINGS_SCHEMA).sort());
  });

  for (const [name, property] of Object.entries(manifestProperties())) {
    test(`package.json mirrors ${name}`, () => {
      assert.deepEqual(manifest.contributes.configuration.properties[name], JSON.parse(JSON.stringify(property)));
    });

    test(`${name} is fully described`, () => {
      assert.ok(property.type, 'no type');
      assert.ok('default' in property, 'no default');
      assert.ok(property.scope, 'no scope');
      assert.ok(property.markdownDescription.length > 20, 'no markdownDescription');
      assert.ok(property.description.length > 20, 'no description');
      // Globs such as `intel/**/*.csv` keep their stars; backticks and bold markers must go.
      assert.doesNotMatch(property.description, /`|\*\*[^*\s/][^*]*\*\*/, 'the plain description keeps Markdown');
      if (property.enum) assert.equal(property.enumDescriptions?.length, property.enum.length, 'enumDescriptions do not match enum');
      if (property.enum) assert.ok(property.enum.includes(property.default as string), 'the default is not in the enum');
    });
  }

  test('settings a folder may differ in are resource-scoped', () => {
    for (const name of ['kqlHunt.environment', 'kqlHunt.exclusions.internalNetworks', 'kqlHunt.exclusions.logServers', 'kqlHunt.exclusions.adminAccounts']) {
      assert.equal(SETTINGS_SCHEMA[name].scope, 'resource', name);
    }
  });

  test('protocol trace setting matches the client id', () => {
    // vscode-languageclient reads `<client id>.trace.server`; the client's id is `kqlHunt`.
    assert.deepEqual(SETTINGS_SCHEMA['kqlHunt.trace.server'].enum, ['off', 'messages', 'verbose']);
    assert.match(readFileSync('client/src/extension.ts', 'utf8'), /new LanguageClient\('kqlHunt',/);
  });

  test('plain description drops Markdown marks', () => {
    assert.equal(manifestProperties()['kqlHunt.logLevel'].description, 'Level of detail the language server writes to the KQL Hunt output channel.');
  });

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
