import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { RULE_DESCRIPTIONS } from '../../server/src/engine/rules/ruleIndex';
import { SETTINGS_SCHEMA } from '../../server/src/engine/settings';

const readme = readFileSync('README.md', 'utf8');

describe('README', () => {
  test('names every setting', () => {
    for (const name of Object.keys(SETTINGS_SCHEMA)) assert.ok(readme.includes(`\`${name}\``), `${name} is missing from README.md`);
  });

  test('names every rule id', () => {
    for (const rule of RULE_DESCRIPTIONS) assert.ok(readme.includes(`\`${rule.id}\``), `${rule.id} is missing from README.md`);
  });

  test('gives the two quick-start commands', () => {
    assert.ok(readme.includes('npm ci && npm start'));
    assert.ok(readme.includes('npm ci && npm test'));
  });
});
