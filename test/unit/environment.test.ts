import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planBlocks } from '../../server/src/engine/documentAnalysis';
import { Catalog } from '../../server/src/engine/schema/catalog';
import { chooseEnvironment, parseEnvironmentDirective } from '../../server/src/engine/schema/environment';

const catalog = Catalog.builtIn();

describe('automatic environment', () => {
  test('Timestamp on a Device table means Defender', () => {
    assert.equal(chooseEnvironment(['DeviceNetworkEvents', 'Timestamp', 'RemoteIP'], catalog).environment, 'defender');
  });

  test('TimeGenerated on a Device table means Sentinel', () => {
    assert.equal(chooseEnvironment(['DeviceNetworkEvents', 'TimeGenerated'], catalog).environment, 'sentinel');
  });

  test('Device table without a time column means Sentinel', () => {
    assert.equal(chooseEnvironment(['DeviceNetworkEvents', 'RemoteIP'], catalog).environment, 'sentinel');
  });

  test('Sentinel-only table means Sentinel', () => {
    assert.equal(chooseEnvironment(['CommonSecurityLog', 'Timestamp'], catalog).environment, 'sentinel');
  });

  test('Defender-only table means Defender', () => {
    const choice = chooseEnvironment(['ExposureGraphNodes'], catalog);
    assert.equal(choice.environment, 'defender');
    assert.match(choice.reason, /ExposureGraphNodes/);
  });

  test('Timestamp on a shared Email table means Defender', () => {
    const choice = chooseEnvironment(['EmailEvents', 'Timestamp', 'Subject'], catalog);
    assert.equal(choice.environment, 'defender');
    assert.match(choice.reason, /Timestamp.*EmailEvents/);
  });

  test('Defender-only function means Defender', () => {
    const choice = chooseEnvironment(['DeviceFileEvents', 'FileProfile', 'SHA1'], catalog);
    assert.equal(choice.environment, 'defender');
    assert.match(choice.reason, /FileProfile exists only in Defender XDR/);
  });

  test('Sentinel-only functions mean Sentinel', () => {
    assert.equal(chooseEnvironment(['_GetWatchlist', 'DeviceProcessEvents', 'Timestamp'], catalog).environment, 'sentinel');
    assert.equal(chooseEnvironment(['_Im_Dns', 'DnsQuery'], catalog).environment, 'sentinel');
  });

  test('advanced-hunting sign-in tables are Defender', () => {
    assert.equal(chooseEnvironment(['AADSignInEventsBeta', 'AccountUpn'], catalog).environment, 'defender');
    assert.deepEqual(catalog.environmentsOf('AADSpnSignInEventsBeta'), ['defender']);
  });

  test('custom table named like a built-in keeps its environments', () => {
    const custom = Catalog.builtIn({ tables: [{ name: 'SigninLogs', columns: [{ name: 'Extra', type: 'string' }], source: 'mine.json' }] });
    assert.equal(chooseEnvironment(['SigninLogs', 'Timestamp'], custom).environment, 'sentinel');
  });

  test('Sentinel-only table wins over Timestamp on a Device table', () => {
    assert.equal(chooseEnvironment(['DeviceNetworkEvents', 'Timestamp', 'SigninLogs'], catalog).environment, 'sentinel');
  });
});

describe('environment directive', () => {
  test('directive names an environment', () => {
    assert.equal(parseEnvironmentDirective('// kql-hunt: environment=defender'), 'defender');
    assert.equal(parseEnvironmentDirective('  //kql-hunt:environment = Sentinel'), 'sentinel');
  });

  test('unknown environment is invalid', () => {
    assert.equal(parseEnvironmentDirective('// kql-hunt: environment=splunk'), 'invalid');
  });

  test('other comments are no directive', () => {
    assert.equal(parseEnvironmentDirective('// environment=defender'), undefined);
  });

  test('directive paragraph applies to the rest of the file', () => {
    const plans = planBlocks('T0 | take 1\n\n// kql-hunt: environment=defender\n\nT1 | take 1\n\nT2 | take 1', 'auto');
    assert.deepEqual(plans.map((plan) => plan.environmentRequest), ['auto', 'defender', 'defender', 'defender']);
  });

  test('directive inside a block applies to that block only', () => {
    const plans = planBlocks('// kql-hunt: environment=defender\nT1 | take 1\n\nT2 | take 1', 'sentinel');
    assert.deepEqual(plans.map((plan) => plan.environmentRequest), ['defender', 'sentinel']);
  });

  test('invalid directive gets a finding', () => {
    const plans = planBlocks('// kql-hunt: environment=splunk\nT1 | take 1', 'auto');
    assert.equal(plans[0].findings[0].code, 'invalid-directive');
  });
});
