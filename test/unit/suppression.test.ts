import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseSuppressions } from '../../server/src/engine/suppression';

describe('suppression comments', () => {
  test('next-line comment silences the named rule on the next line', () => {
    const suppressions = parseSuppressions('// kql-hunt-disable-next-line missing-exclusion/tar-backup\nDeviceNetworkEvents');
    assert.equal(suppressions.isSuppressed('missing-exclusion/tar-backup', 1), true);
    assert.equal(suppressions.isSuppressed('missing-exclusion/nmap-internal-scan', 1), false);
    assert.equal(suppressions.isSuppressed('missing-exclusion/tar-backup', 2), false);
  });

  test('rule family prefix covers its rules', () => {
    const suppressions = parseSuppressions('// kql-hunt-disable-next-line missing-exclusion\nT');
    assert.equal(suppressions.isSuppressed('missing-exclusion/nmap-internal-scan', 1), true);
    assert.equal(suppressions.isSuppressed('missing-exclusions-other', 1), false);
  });

  test('disable comment covers the rest of the block', () => {
    const suppressions = parseSuppressions('T\n// kql-hunt-disable KS142\n| where a\n| where b');
    assert.equal(suppressions.isSuppressed('KS142', 0), false);
    assert.equal(suppressions.isSuppressed('KS142', 2), true);
    assert.equal(suppressions.isSuppressed('KS142', 3), true);
  });

  test('comment without ids silences every rule', () => {
    const suppressions = parseSuppressions('// kql-hunt-disable-next-line\nT');
    assert.equal(suppressions.isSuppressed('KS204', 1), true);
  });

  test('several ids separated by commas', () => {
    const suppressions = parseSuppressions('// kql-hunt-disable-next-line KS142, KS204\nT');
    assert.equal(suppressions.isSuppressed('KS204', 1), true);
    assert.equal(suppressions.isSuppressed('KS142', 1), true);
  });
});
