import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { HuntEngine } from '../../server/src/engine/engine';
import { RULES } from '../../server/src/engine/rules';
import { Rule } from '../../server/src/engine/rules/types';
import { createLogger } from '../../server/src/engine/util/logger';
import { documentOf, settings } from '../helpers/engine';
import { WORKER_PATH } from '../helpers/paths';
import { REPORT_DEVICENETWORKEVENTS_HUNT } from '../helpers/reportHunts';

const failing: Rule = {
  id: 'always-fails',
  description: 'A rule that throws, injected by this test.',
  defaultSeverity: 'warning',
  check: () => {
    throw new Error('injected failure');
  },
};

describe('a rule that throws', () => {
  const errors: string[] = [];
  const logger = createLogger((level, line) => level === 'error' && errors.push(line), () => 'debug');
  const engine = new HuntEngine({ workerPath: WORKER_PATH, timeoutMs: 30000, logger });
  const rules = RULES as Rule[];
  rules.push(failing);
  after(async () => {
    rules.splice(rules.indexOf(failing), 1);
    await engine.dispose();
  });

  test('is reported on the block with its id', async () => {
    const analysis = await engine.analyzeDocument(documentOf(REPORT_DEVICENETWORKEVENTS_HUNT, 'file:///rules/one.kql'), settings());
    const failures = analysis.diagnostics.filter((diagnostic) => diagnostic.code === 'rule-failed');
    assert.equal(failures.length, 1);
    assert.match(failures[0].message, /Rule always-fails failed on this block \(injected failure\)/);
  });

  test('other rules still reach the user', async () => {
    const analysis = await engine.analyzeDocument(documentOf(REPORT_DEVICENETWORKEVENTS_HUNT, 'file:///rules/two.kql'), settings());
    const missing = analysis.diagnostics.filter((diagnostic) => String(diagnostic.code).startsWith('missing-exclusion/'));
    assert.equal(missing.length, 5);
  });

  test('is logged once with the rule and block', async () => {
    await engine.analyzeDocument(documentOf(`${REPORT_DEVICENETWORKEVENTS_HUNT}\n`, 'file:///rules/three.kql'), settings({ intel: { minConfidence: 10 } }));
    const logged = errors.filter((line) => line.includes('always-fails'));
    assert.equal(logged.length, 1, errors.join('\n'));
    assert.match(logged[0], /Rule always-fails failed on the block starting '.+': injected failure/);
  });
});
