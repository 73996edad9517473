import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hasExclusion, renderExclusion, scenarioApplicability } from '../../server/src/engine/hunts/exclusions';
import { SCENARIOS } from '../../server/src/engine/hunts/scenarios';
import { TABLE_ROLES } from '../../server/src/engine/hunts/tableRoles';
import { PredicateTest } from '../../server/src/engine/kusto/types';
import { Catalog } from '../../server/src/engine/schema/catalog';
import { DEFAULT_SETTINGS, resolveSettings } from '../../server/src/engine/settings';

const catalog = Catalog.builtIn();
const scenario = (id: string) => SCENARIOS.find((candidate) => candidate.id === id)!;
const negated = (values: string[], operator = '!has'): PredicateTest => ({ operator, negated: true, values, start: 0, end: 0 });
const positive = (values: string[]): PredicateTest => ({ operator: 'has', negated: false, values, start: 0, end: 0 });

describe('scenario applicability', () => {
  test('all five apply to DeviceNetworkEvents', () => {
    const result = scenarioApplicability('DeviceNetworkEvents', 'defender', catalog, DEFAULT_SETTINGS);
    assert.deepEqual(result.filter((entry) => !entry.reason).map((entry) => entry.scenario.id), SCENARIOS.map((entry) => entry.id));
  });

  test('none apply to CommonSecurityLog, for want of a command line', () => {
    const result = scenarioApplicability('CommonSecurityLog', 'sentinel', catalog, DEFAULT_SETTINGS);
    for (const entry of result) assert.match(entry.reason ?? '', /command line/);
  });

  test('DeviceProcessEvents lacks a remote address for rsync and nmap', () => {
    const result = scenarioApplicability('DeviceProcessEvents', 'defender', catalog, DEFAULT_SETTINGS);
    const notApplicable = result.filter((entry) => entry.reason).map((entry) => entry.scenario.id);
    assert.deepEqual(notApplicable, ['rsync-log-collection', 'nmap-internal-scan']);
  });

  test('every mapped column exists in the catalog', () => {
    for (const [table, roles] of Object.entries(TABLE_ROLES)) {
      const environment = catalog.environmentsOf(table)[0];
      assert.ok(environment, `${table} is not in the catalog`);
      const names = catalog.table(table, environment)!.columns.map((column) => column.name);
      for (const column of Object.values(roles)) assert.ok(names.includes(column!), `${table}.${column} is not in the catalog`);
    }
  });

  test('empty address settings make the address scenarios inapplicable', () => {
    const settings = resolveSettings({ exclusions: { internalNetworks: [], logServers: [] } });
    const result = scenarioApplicability('DeviceNetworkEvents', 'defender', catalog, settings);
    const notApplicable = result.filter((entry) => entry.reason).map((entry) => entry.scenario.id);
    assert.deepEqual(notApplicable, ['rsync-log-collection', 'nmap-internal-scan']);
  });
});

describe('exclusion text', () => {
  const columns = TABLE_ROLES.DeviceNetworkEvents;

  test('tar backup exclusion', () => {
    assert.equal(
      renderExclusion(scenario('tar-backup'), columns, DEFAULT_SETTINGS),
      'not(InitiatingProcessCommandLine has_any ("/bin/tar", "/usr/bin/tar") and InitiatingProcessCommandLine has "backup")',
    );
  });

  test('admin accounts come from the settings', () => {
    const settings = resolveSettings({ exclusions: { adminAccounts: ['svc_ops'] } });
    assert.match(renderExclusion(scenario('nc-remote-admin'), columns, settings)!, /InitiatingProcessAccountName in~ \("svc_ops"\)/);
  });

  test('log servers and internal networks split by address family', () => {
    const settings = resolveSettings({ exclusions: { logServers: ['192.0.2.10', 'fd00::/8'], internalNetworks: ['10.0.0.0/8'] } });
    const text = renderExclusion(scenario('rsync-log-collection'), columns, settings)!;
    assert.match(text, /ipv4_is_in_any_range\(RemoteIP, dynamic\(\["192\.0\.2\.10", "10\.0\.0\.0\/8"\]\)\)/);
    assert.match(text, /ipv6_is_in_any_range\(RemoteIP, dynamic\(\["fd00::\/8"\]\)\)/);
  });

  test('invalid address entries are left out', () => {
    const settings = resolveSettings({ exclusions: { internalNetworks: ['10.0.0.0/8', 'not-a-range'] } });
    assert.doesNotMatch(renderExclusion(scenario('nmap-internal-scan'), columns, settings)!, /not-a-range/);
  });
});

describe('exclusion presence', () => {
  test('own wording counts', () => {
    assert.equal(hasExclusion(scenario('tar-backup'), [negated(['/bin/tar', '/usr/bin/tar']), negated(['backup'])]), true);
  });

  test('other authors wordings count', () => {
    assert.equal(hasExclusion(scenario('nmap-internal-scan'), [negated(['nmap'], '!contains')]), true);
    assert.equal(hasExclusion(scenario('package-update-cron'), [negated(['apt-get', 'yum'], '!in~')]), true);
    assert.equal(hasExclusion(scenario('nc-remote-admin'), [negated(['ncat'], '!=')]), true);
    assert.equal(hasExclusion(scenario('rsync-log-collection'), [negated(['/usr/bin/rsync -avz'], '!startswith')]), true);
  });

  test('positive filter on the tool is no exclusion', () => {
    assert.equal(hasExclusion(scenario('nmap-internal-scan'), [positive(['nmap'])]), false);
  });

  test('negated filter on another term is no exclusion', () => {
    assert.equal(hasExclusion(scenario('tar-backup'), [negated(['backup'])]), false);
    assert.equal(hasExclusion(scenario('nc-remote-admin'), [negated(['sync'])]), false);
  });
});
