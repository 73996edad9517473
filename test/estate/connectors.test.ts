import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { huntingQueryFile } from '../../server/src/engine/insertHunt';
import { connectorAdvice, connectorList, requiredConnectorIds, tableConnectors } from '../../server/src/engine/schema/dataConnectors';
import { connectorsFor } from '../../server/src/engine/sentinel/connectors';
import { createTestEngine, settings } from '../helpers/engine';

describe('data connector facts', () => {
  test('report tables name their connectors', () => {
    const names = tableConnectors('CommonSecurityLog').map((connector) => connector.name);
    assert.deepEqual(names.slice(0, 2), ['Common Event Format (CEF) via AMA', 'Common Event Format (CEF)']);
    assert.deepEqual(tableConnectors('DeviceNetworkEvents').map((connector) => connector.name), ['Microsoft Defender XDR']);
  });

  test('report tables carry connector ids', () => {
    assert.deepEqual(requiredConnectorIds('CommonSecurityLog'), ['CefAma', 'CEF']);
    assert.deepEqual(requiredConnectorIds('DeviceNetworkEvents'), ['MicrosoftThreatProtection']);
  });

  test('a sample of other tables', () => {
    const cases: [string, string, string][] = [
      ['SigninLogs', 'Microsoft Entra ID', 'AzureActiveDirectory'],
      ['DnsEvents', 'DNS', 'DNS'],
      ['OfficeActivity', 'Microsoft 365 (formerly, Office 365)', 'Office365'],
      ['AZFWNetworkRule', 'Azure Firewall', 'AzureFirewall'],
      ['SecurityEvent', 'Security Events via Legacy Agent', 'SecurityEvents'],
      ['Syslog', 'Syslog via AMA', 'SyslogAma'],
      ['AWSCloudTrail', 'Amazon Web Services', 'AWS'],
      ['GCPAuditLogs', 'GCP Pub/Sub Audit Logs', 'GCPPub/SubAuditLogs'],
      ['WindowsEvent', 'Windows Forwarded Events', 'WindowsForwardedEvents'],
    ];
    for (const [table, name, id] of cases) {
      const connector = tableConnectors(table).find((candidate) => candidate.name === name);
      assert.ok(connector, `${table} lacks ${name}`);
      assert.equal(connector.id, id, table);
      assert.match(connector.source, /^https:\/\//, table);
    }
  });

  test('table lookup ignores case', () => {
    assert.equal(tableConnectors('devicenetworkevents')[0]?.name, 'Microsoft Defender XDR');
    assert.deepEqual(tableConnectors('NoSuchTable'), []);
  });

  test('deprecated connectors sort last and are not required', () => {
    const syslog = tableConnectors('Syslog');
    const firstDeprecated = syslog.findIndex((connector) => connector.deprecated);
    assert.ok(firstDeprecated > 0);
    assert.ok(syslog.slice(firstDeprecated).every((connector) => connector.deprecated));
    assert.deepEqual(requiredConnectorIds('Syslog'), ['SyslogAma', 'Syslog']);
  });

  test('vendor connectors of shared tables have no id', () => {
    const vendor = tableConnectors('CommonSecurityLog').find((connector) => connector.name === 'Claroty xDome');
    assert.ok(vendor);
    assert.equal(vendor.id, undefined);
    assert.deepEqual(connectorsFor('CommonSecurityLog'), ['CefAma', 'CEF']);
  });

  test('list names two and counts the rest', () => {
    assert.equal(connectorList('CommonSecurityLog'), 'Common Event Format (CEF) via AMA, Common Event Format (CEF) and 97 more');
    assert.equal(connectorList('DeviceNetworkEvents'), 'Microsoft Defender XDR');
    assert.equal(connectorList('AWSCloudTrail'), 'Amazon Web Services S3 or Amazon Web Services');
  });

  test('advice sentence for one and many', () => {
    assert.equal(connectorAdvice('DeviceNetworkEvents'), 'Ensure the Microsoft Defender XDR data connector is enabled.');
    assert.match(connectorAdvice('CommonSecurityLog') ?? '', /^Ensure one of its 99 data connectors is enabled: Common Event Format \(CEF\) via AMA, Common Event Format \(CEF\) and 97 more\.$/);
    assert.equal(connectorAdvice('SecurityIncident'), undefined);
  });
});

describe('connectors in generated hunting queries', () => {
  test('CommonSecurityLog lists both CEF connectors', async () => {
    const engine = createTestEngine();
    try {
      const result = await huntingQueryFile(engine, settings(), { table: 'CommonSecurityLog', withExclusions: false });
      assert.ok('text' in result, 'error' in result ? result.error : '');
      const rule = parse(result.text) as { requiredDataConnectors: { connectorId: string; dataTypes: string[] }[] };
      assert.deepEqual(rule.requiredDataConnectors, [
        { connectorId: 'CefAma', dataTypes: ['CommonSecurityLog'] },
        { connectorId: 'CEF', dataTypes: ['CommonSecurityLog'] },
      ]);
    } finally {
      await engine.dispose();
    }
  });
});
