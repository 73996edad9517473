import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { TextEdit } from 'vscode-languageserver-types';
import { codeActions } from '../../server/src/engine/codeActions';
import { analyzeText, applyEdits, codes, createTestEngine, documentOf, settings } from '../helpers/engine';

// Cases a first-time user ran into: values pasted from an ip:port export, advice that led to
// another error, and a table that exists only in the other environment.

const engine = createTestEngine();
after(() => engine.dispose());

describe('ip:port values in address columns', () => {
  const hunt = 'DeviceNetworkEvents\n| where Timestamp > ago(1d)\n| where RemoteIP in ("5.39.216.137:8083", "5.175.215.102:456")\n| project Timestamp, RemoteIP, RemotePort';

  test('each pasted ip:port is an error', async () => {
    const analysis = await analyzeText(engine, hunt);
    const findings = analysis.diagnostics.filter((diagnostic) => diagnostic.code === 'ip-port-in-address-column');
    assert.equal(findings.length, 2);
    assert.match(findings[0].message, /RemoteIP holds a bare IP address, so '5\.39\.216\.137:8083' can never match it/);
    assert.equal(findings[0].severity, 1);
  });

  test('quick fix keeps the address and the result is clean', async () => {
    const document = documentOf(hunt);
    let text = hunt;
    for (let round = 0; round < 2; round++) {
      const analysis = await analyzeText(engine, text);
      const target = analysis.diagnostics.find((diagnostic) => diagnostic.code === 'ip-port-in-address-column')!;
      const actions = await codeActions(engine, documentOf(text), target.range, settings(), ['quickfix']);
      const fix = actions.find((action) => action.title.startsWith('Change to'))!;
      text = applyEdits(text, fix.edit!.changes![document.uri] as TextEdit[]);
    }
    assert.match(text, /RemoteIP in \("5\.39\.216\.137", "5\.175\.215\.102"\)/);
    assert.ok(!codes(await analyzeText(engine, text)).includes('ip-port-in-address-column'));
  });

  test('term and substring operators are checked too', async () => {
    for (const operator of ['has_any', 'has', 'contains', 'startswith']) {
      const values = operator === 'has_any' ? '("5.39.216.137:8083", "5.175.215.102:456")' : '"5.39.216.137:8083"';
      const analysis = await analyzeText(engine, `CommonSecurityLog\n| where DestinationIP ${operator} ${values}`);
      const findings = analysis.diagnostics.filter((diagnostic) => diagnostic.code === 'ip-port-in-address-column');
      assert.equal(findings.length, operator === 'has_any' ? 2 : 1, `${operator}: ${JSON.stringify(analysis.diagnostics)}`);
    }
  });

  test('let-bound list of ip:port values is found', async () => {
    const analysis = await analyzeText(engine, 'let c2 = dynamic(["5.39.216.137:8083"]);\nCommonSecurityLog\n| where DestinationIP in (c2)');
    assert.ok(codes(analysis).includes('ip-port-in-address-column'));
  });

  test('ip:port searched as text is fine', async () => {
    const analysis = await analyzeText(engine, 'Syslog\n| where SyslogMessage has "5.39.216.137:8083"');
    assert.ok(!codes(analysis).includes('ip-port-in-address-column'));
  });
});

describe('environment advice', () => {
  test('Sentinel-only table gets no advice to switch to Defender', async () => {
    const analysis = await analyzeText(engine, 'SigninLogs\n| where Timestamp > ago(1d)');
    const mismatch = analysis.diagnostics.find((diagnostic) => diagnostic.code === 'time-column-mismatch')!;
    assert.doesNotMatch(mismatch.message, /environment=defender/);
    assert.match(mismatch.message, /Use TimeGenerated/);
  });

  test('unknown table names the environment it exists in', async () => {
    const analysis = await analyzeText(engine, 'SigninLogs | take 1', settings({ environment: 'defender' }));
    assert.equal(analysis.diagnostics[0].code, 'KS204');
    assert.match(analysis.diagnostics[0].message, /SigninLogs exists only in Microsoft Sentinel/);
  });
});

describe('port tests of ip:port hunts', () => {
  const addresses = 'let ips = dynamic(["5.39.216.137", "5.175.215.102"]);\nDeviceNetworkEvents\n| where Timestamp > ago(1d)\n| where RemoteIP in (ips)';

  test('wrong port can never find the indicators', async () => {
    const analysis = await analyzeText(engine, `${addresses}\n| where RemotePort == 443`);
    const finding = analysis.diagnostics.find((diagnostic) => diagnostic.code === 'port-unchecked');
    assert.ok(finding, JSON.stringify(analysis.diagnostics));
    assert.equal(finding.severity, 2);
    assert.match(finding.message, /keeps only RemotePort 443, but the ip:port indicators of ThreatFox - Mirai use 8083, 8082, 456/);
  });

  test('some ports missing is a hint naming them', async () => {
    const analysis = await analyzeText(engine, `${addresses}\n| where RemotePort in (8082, 8083)`);
    const finding = analysis.diagnostics.find((diagnostic) => diagnostic.code === 'port-unchecked');
    assert.ok(finding);
    assert.equal(finding.severity, 4);
    assert.match(finding.message, /leaves out port 456/);
  });

  test('every port tested is clean', async () => {
    const analysis = await analyzeText(engine, `let ports = dynamic([8082, 8083, 456]);\n${addresses}\n| where RemotePort in (ports)`);
    assert.ok(!codes(analysis).includes('port-unchecked'), JSON.stringify(analysis.diagnostics));
  });

  test('a port range is not second-guessed', async () => {
    const analysis = await analyzeText(engine, `${addresses}\n| where RemotePort > 400`);
    assert.ok(!codes(analysis).includes('port-unchecked'));
  });
});
