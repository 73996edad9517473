import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { allExclusionEdits } from '../../server/src/engine/codeActions';
import { SCENARIOS } from '../../server/src/engine/hunts/scenarios';
import { analyzeText, applyEdits, codes, createTestEngine, documentOf, settings } from '../helpers/engine';
import { REPORT_COMMONSECURITYLOG_HUNT, REPORT_DEVICENETWORKEVENTS_HUNT } from '../helpers/reportHunts';

const engine = createTestEngine();
after(() => engine.dispose());

const ALL_MISSING = SCENARIOS.map((scenario) => `missing-exclusion/${scenario.id}`);

describe('document analysis', () => {
  test('report DeviceNetworkEvents hunt gets exactly the five exclusion warnings', async () => {
    const analysis = await analyzeText(engine, REPORT_DEVICENETWORKEVENTS_HUNT);
    assert.deepEqual(codes(analysis).sort(), [...ALL_MISSING].sort());
    for (const diagnostic of analysis.diagnostics) assert.equal(diagnostic.severity, 2);
  });

  test('exclusion warnings sit on the table name', async () => {
    const analysis = await analyzeText(engine, REPORT_DEVICENETWORKEVENTS_HUNT);
    for (const diagnostic of analysis.diagnostics) {
      assert.deepEqual(diagnostic.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 19 } });
    }
  });

  test('report CommonSecurityLog hunt is clean', async () => {
    const analysis = await analyzeText(engine, REPORT_COMMONSECURITYLOG_HUNT);
    assert.deepEqual(analysis.diagnostics, []);
  });

  test('adding all missing exclusions leaves a clean hunt', async () => {
    const document = documentOf(REPORT_DEVICENETWORKEVENTS_HUNT);
    const analysis = await engine.analyzeDocument(document, settings());
    const fixed = applyEdits(REPORT_DEVICENETWORKEVENTS_HUNT, allExclusionEdits(engine, document, analysis, settings()));
    const after = await analyzeText(engine, fixed);
    assert.deepEqual(after.diagnostics, [], fixed);
  });

  test('exclusions are inserted after the match and before the projection', async () => {
    const document = documentOf(REPORT_DEVICENETWORKEVENTS_HUNT);
    const analysis = await engine.analyzeDocument(document, settings());
    const lines = applyEdits(REPORT_DEVICENETWORKEVENTS_HUNT, allExclusionEdits(engine, document, analysis, settings())).split('\n');
    assert.equal(lines[3], '| where RemoteIP in (malicious_ips)');
    for (const line of lines.slice(4, 9)) assert.match(line, /^\| where not\(/);
    assert.match(lines[9], /^\| project /);
  });

  test('hunt without indicators gets no exclusion warnings', async () => {
    const analysis = await analyzeText(engine, 'DeviceNetworkEvents\n| where RemotePort == 23\n| summarize count() by DeviceName');
    assert.deepEqual(analysis.diagnostics, []);
  });

  test('typo in a column is an error that names the column meant', async () => {
    const analysis = await analyzeText(engine, 'DeviceNetworkEvents\n| where Timestamp > ago(1d)\n| project RemotePrt');
    assert.equal(analysis.diagnostics.length, 1);
    assert.equal(analysis.diagnostics[0].code, 'KS142');
    assert.match(analysis.diagnostics[0].message, /Did you mean 'RemotePort'\?/);
    assert.deepEqual(analysis.diagnostics[0].range, { start: { line: 2, character: 10 }, end: { line: 2, character: 19 } });
  });

  test('typo in a table is an error that names the table meant', async () => {
    const analysis = await analyzeText(engine, 'DeviceNetworkEvent\n| take 10');
    assert.equal(analysis.diagnostics[0].code, 'KS204');
    assert.match(analysis.diagnostics[0].message, /Did you mean 'DeviceNetworkEvents'\?/);
  });

  test('name far from any column gets no suggestion', async () => {
    const analysis = await analyzeText(engine, 'DeviceNetworkEvents | project Zebra');
    assert.equal(analysis.diagnostics[0].code, 'KS142');
    assert.doesNotMatch(analysis.diagnostics[0].message, /Did you mean/);
  });

  test('CRLF document keeps exact positions', async () => {
    const text = '// first\r\nCommonSecurityLog\r\n| take 1\r\n\r\nDeviceNetworkEvents\r\n| project RemotPort\r\n';
    const analysis = await analyzeText(engine, text);
    assert.equal(analysis.diagnostics.length, 1);
    assert.deepEqual(analysis.diagnostics[0].range, { start: { line: 5, character: 10 }, end: { line: 5, character: 19 } });
  });

  test('blank line inside a hunt causes no false errors', async () => {
    const text = 'let ips = dynamic(["10.1.1.1"]);\n\nDeviceNetworkEvents\n| where RemoteIP in (ips)\n\n| take 10';
    const analysis = await analyzeText(engine, text);
    assert.deepEqual(analysis.diagnostics, []);
    assert.equal(analysis.blocks.length, 1);
  });

  test('suppression comments silence the named warnings', async () => {
    const text = REPORT_DEVICENETWORKEVENTS_HUNT.replace('DeviceNetworkEvents', '// kql-hunt-disable-next-line missing-exclusion/tar-backup, missing-exclusion/nmap-internal-scan\nDeviceNetworkEvents');
    const analysis = await analyzeText(engine, text);
    assert.deepEqual(codes(analysis).sort(), ALL_MISSING.filter((code) => !/tar-backup|nmap/.test(code)).sort());
  });

  test('block-level disable silences a Kusto code', async () => {
    const analysis = await analyzeText(engine, 'DeviceNetworkEvents\n// kql-hunt-disable KS142\n| project Nope');
    assert.deepEqual(analysis.diagnostics, []);
  });

  test('other authors exclusions satisfy the rule', async () => {
    const text = [
      'let malicious_ips = dynamic(["5.39.216.137", "5.175.215.102"]);',
      'DeviceNetworkEvents',
      '| where RemoteIP in (malicious_ips)',
      '| where InitiatingProcessCommandLine !contains "/usr/bin/tar"',
      '| where InitiatingProcessFileName !in~ ("nc", "ncat", "nmap", "rsync")',
      '| where not(InitiatingProcessCommandLine has_any ("apt-get", "yum"))',
      '| project Timestamp, RemoteIP, RemotePort',
    ].join('\n');
    const analysis = await analyzeText(engine, text);
    assert.deepEqual(analysis.diagnostics, []);
  });

  test('exclusion bound through a let list counts', async () => {
    const text = [
      'let malicious_ips = dynamic(["5.39.216.137", "5.175.215.102"]);',
      'let admin_tools = dynamic(["tar", "nc", "rsync", "nmap", "apt", "yum"]);',
      'DeviceNetworkEvents',
      '| where RemoteIP in (malicious_ips)',
      '| where InitiatingProcessFileName !in~ (admin_tools)',
      '| project Timestamp, RemoteIP, RemotePort',
    ].join('\n');
    const analysis = await analyzeText(engine, text);
    assert.deepEqual(analysis.diagnostics, []);
  });

  test('explicit environment setting is used for every block', async () => {
    const analysis = await analyzeText(engine, 'DeviceNetworkEvents | where Timestamp > ago(1h)', settings({ environment: 'sentinel' }));
    const outcome = analysis.blocks[0].outcome;
    assert.equal(outcome.status === 'analyzed' ? outcome.analysis.environment : undefined, 'sentinel');
  });

  test('Defender-only table is unknown in Sentinel', async () => {
    const analysis = await analyzeText(engine, 'ExposureGraphNodes | take 1', settings({ environment: 'sentinel' }));
    assert.deepEqual(codes(analysis), ['KS204']);
  });

  test('errors of one block do not leak into the next', async () => {
    const analysis = await analyzeText(engine, 'DeviceNetworkEvents | project Nope\n\nCommonSecurityLog | take 1');
    assert.equal(analysis.diagnostics.length, 1);
    assert.equal(analysis.diagnostics[0].range.start.line, 0);
  });

  test('second analysis of unchanged text sends nothing to the worker', async () => {
    const text = 'SecurityEvent | where EventID == 4688 | take 5\n\nSyslog | take 5';
    await analyzeText(engine, text);
    const request = engine.worker.request.bind(engine.worker);
    let requests = 0;
    engine.worker.request = ((...args: Parameters<typeof request>) => {
      requests++;
      return request(...args);
    }) as typeof engine.worker.request;
    try {
      await analyzeText(engine, text);
      await analyzeText(engine, text.replace('Syslog | take 5', 'Syslog | take 6'));
    } finally {
      engine.worker.request = request;
    }
    assert.equal(requests, 1);
  });
});
