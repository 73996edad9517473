import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CodeAction, TextEdit } from 'vscode-languageserver-types';
import { codeActions } from '../../server/src/engine/codeActions';
import { HuntEngine } from '../../server/src/engine/engine';
import { builtInSets } from '../../server/src/engine/intel/intelFile';
import { loadIntelFile, loadIntelText } from '../../server/src/engine/intel/loaders/loadFile';
import { IndicatorSet } from '../../server/src/engine/intel/model';
import { Settings } from '../../server/src/engine/settings';
import { analyzeText, applyEdits, documentOf, errorsOf, settings } from '../helpers/engine';
import { WORKER_PATH } from '../helpers/paths';

// The clock is pinned so that the ages of the fixture indicators never change.
const NOW = new Date('2026-07-01T00:00:00Z');
const engine = new HuntEngine({ workerPath: WORKER_PATH, timeoutMs: 30000, now: () => NOW });
after(() => engine.dispose());

let loaded: IndicatorSet[] = [];
before(async () => {
  const full = await loadIntelFile('test/fixtures/intel/threatfox-full.csv');
  const list = await loadIntelText('domains.txt', '# family: Qakbot\n# source: Team list\nqak-one.example\nqak-two.example\n# confidence: 10\nqak-old.example\n');
  loaded = [...builtInSets(), ...full.sets, ...list.sets];
  engine.setIntel(loaded);
});

function codesOf(diagnostics: { code?: string | number }[]): string[] {
  return diagnostics.map((diagnostic) => String(diagnostic.code));
}

async function findingsOf(text: string, options: Settings = settings()): Promise<{ code: string; message: string; line: number }[]> {
  const analysis = await analyzeText(engine, text, options);
  return analysis.diagnostics.map((diagnostic) => ({ code: String(diagnostic.code), message: diagnostic.message, line: diagnostic.range.start.line }));
}

/** Runs the quick fix titled `title` on the first finding with `code`, and returns the fixed text. */
async function applyFix(text: string, code: string, title: string | RegExp, options: Settings = settings()): Promise<string> {
  const document = documentOf(text);
  const analysis = await engine.analyzeDocument(document, options);
  const diagnostic = analysis.diagnostics.find((candidate) => candidate.code === code);
  assert.ok(diagnostic, `no ${code} in ${JSON.stringify(codesOf(analysis.diagnostics))}`);
  const actions = await codeActions(engine, document, diagnostic.range, options, ['quickfix']);
  const fix = actions.find((action: CodeAction) => (typeof title === 'string' ? action.title === title : title.test(action.title)));
  assert.ok(fix, `no fix '${title}' among ${actions.map((action) => action.title).join(' | ')}`);
  return applyEdits(text, fix.edit!.changes![document.uri] as TextEdit[]);
}

const EXCLUSIONS_OFF = '// kql-hunt-disable missing-exclusion';

describe('defanged-indicator', () => {
  const hunt = [
    EXCLUSIONS_OFF,
    'let malicious_ips = dynamic(["5[.]39[.]216[.]137", "5[.]175[.]215[.]102"]);',
    'DeviceNetworkEvents',
    '| where RemoteIP in (malicious_ips)',
    '| project Timestamp, RemoteIP, RemotePort',
  ].join('\n');

  test('each defanged literal is an error', async () => {
    const findings = (await findingsOf(hunt)).filter((finding) => finding.code === 'defanged-indicator');
    assert.equal(findings.length, 2);
    assert.equal(findings[0].message, "'5[.]39[.]216[.]137' is a defanged ip and can never match real data; write it refanged: '5.39.216.137'.");
    assert.equal((await analyzeText(engine, hunt)).diagnostics.find((diagnostic) => diagnostic.code === 'defanged-indicator')!.severity, 1);
  });

  test('fix refangs one literal in place', async () => {
    const fixed = await applyFix(hunt, 'defanged-indicator', 'Refang "5[.]39[.]216[.]137"');
    assert.match(fixed, /dynamic\(\["5\.39\.216\.137", "5\[\.\]175\[\.\]215\[\.\]102"\]\)/);
    assert.deepEqual(codesOf((await analyzeText(engine, fixed)).diagnostics), ['defanged-indicator']);
  });

  test('fix refangs every literal of the file', async () => {
    const text = `${hunt}\n\n${EXCLUSIONS_OFF}\nDeviceNetworkEvents\n| where RemoteUrl has 'hxxps://bad[.]example/x'`;
    const fixed = await applyFix(text, 'defanged-indicator', 'Refang all defanged indicators in this file');
    assert.match(fixed, /"5\.39\.216\.137", "5\.175\.215\.102"/);
    assert.match(fixed, /has 'https:\/\/bad\.example\/x'/);
    const after = await analyzeText(engine, fixed);
    assert.deepEqual(errorsOf(after), []);
    assert.deepEqual(codesOf(after.diagnostics), []);
  });

  test('every type is recognised defanged', async () => {
    const text = [
      'DeviceNetworkEvents',
      '| where RemoteUrl has_any ("emotet-c2[.]example", "hxxp://emotet-drop[.]example/load.php")',
      '    or RemoteIP == "2001[:]db8[:][:]44"',
      '    or RemoteIP == @"198[.]51[.]100[.]23"',
    ].join('\n');
    const findings = (await findingsOf(text)).filter((finding) => finding.code === 'defanged-indicator');
    assert.equal(findings.length, 4);
    const fixed = await applyFix(text, 'defanged-indicator', 'Refang all defanged indicators in this file');
    assert.match(fixed, /RemoteIP == @"198\.51\.100\.23"/);
    assert.match(fixed, /RemoteIP == "2001:db8::44"/);
    assert.deepEqual(errorsOf(await analyzeText(engine, fixed)), []);
  });

  test('plain strings are not indicators', async () => {
    assert.deepEqual(await findingsOf('DeviceProcessEvents\n| where ProcessCommandLine has "[.]"'), []);
  });
});

describe('incomplete-indicator-list', () => {
  const hunt = (list: string): string => [EXCLUSIONS_OFF, `let malicious_ips = dynamic(${list});`, 'DeviceNetworkEvents', '| where RemoteIP in (malicious_ips)', '| project Timestamp, RemoteIP, RemotePort'].join('\n');

  test('names the set and the missing address', async () => {
    const findings = await findingsOf(hunt('["5.39.216.137"]'));
    assert.deepEqual(findings, [
      { code: 'incomplete-indicator-list', message: 'This list contains 1 of the 2 addresses of ThreatFox - Mirai; missing: 5.175.215.102.', line: 1 },
    ]);
  });

  test('fix adds the value in the list quoting', async () => {
    const fixed = await applyFix(hunt("['5.39.216.137']"), 'incomplete-indicator-list', 'Add the 1 missing address of ThreatFox - Mirai');
    assert.match(fixed, /dynamic\(\['5\.39\.216\.137', '5\.175\.215\.102'\]\)/);
    assert.deepEqual((await analyzeText(engine, fixed)).diagnostics, []);
  });

  test('fix keeps one item a line', async () => {
    const text = hunt('[\n    "5.39.216.137"\n]');
    const fixed = await applyFix(text, 'incomplete-indicator-list', /Add the 1 missing/);
    assert.match(fixed, /dynamic\(\[\n {4}"5\.39\.216\.137",\n {4}"5\.175\.215\.102"\n\]\)/);
    assert.deepEqual((await analyzeText(engine, fixed)).diagnostics, []);
  });

  test('in list of ip:port values compares ip:port values', async () => {
    const text = [EXCLUSIONS_OFF, 'DeviceNetworkEvents', '| extend Endpoint = strcat(RemoteIP, ":", tostring(RemotePort))', '| where Endpoint in ("5.39.216.137:8083")'].join('\n');
    const findings = await findingsOf(text);
    assert.deepEqual(findings.map((finding) => finding.message), ['This list contains 1 of the 3 ip:port values of ThreatFox - Mirai; missing: 5.39.216.137:8082, 5.175.215.102:456.']);
    const fixed = await applyFix(text, 'incomplete-indicator-list', 'Add the 2 missing ip:port values of ThreatFox - Mirai');
    assert.match(fixed, /in \("5\.39\.216\.137:8083", "5\.39\.216\.137:8082", "5\.175\.215\.102:456"\)/);
    assert.deepEqual((await analyzeText(engine, fixed)).diagnostics, []);
  });

  test('stale values in the list are named as not counted', async () => {
    const text = ['DnsEvents', '| where Name has_any ("qak-one.example", "qak-old.example")', '| project TimeGenerated, Name'].join('\n');
    const incomplete = (await findingsOf(text)).find((finding) => finding.code === 'incomplete-indicator-list');
    assert.match(incomplete?.message ?? '', /Its other 1 domain of the set is stale and not counted\./);
  });

  test('has_any list of domains leaves out stale ones', async () => {
    const text = ['DnsEvents', '| where Name has_any ("qak-one.example")', '| project TimeGenerated, Name'].join('\n');
    assert.deepEqual((await findingsOf(text)).map((finding) => finding.message), ['This list contains 1 of the 2 domains of Team list - Qakbot; missing: qak-two.example.']);
    const fixed = await applyFix(text, 'incomplete-indicator-list', 'Add the 1 missing domain of Team list - Qakbot');
    assert.match(fixed, /has_any \("qak-one\.example", "qak-two\.example"\)/);
    assert.deepEqual((await analyzeText(engine, fixed)).diagnostics, []);
  });

  test('complete list and has_all list pass', async () => {
    assert.deepEqual(await findingsOf(hunt('["5.39.216.137", "5.175.215.102"]')), []);
    const text = 'DnsEvents\n| where Name has_all ("qak-one.example")\n| project TimeGenerated, Name';
    assert.deepEqual(await findingsOf(text), []);
  });

  test('list mixing two families warns for each', async () => {
    const findings = await findingsOf(hunt('["5.39.216.137", "198.51.100.23", "203.0.113.77"]'), settings({ intel: { minConfidence: 0 } }));
    assert.deepEqual(findings.map((finding) => finding.message), ['This list contains 1 of the 2 addresses of ThreatFox - Mirai; missing: 5.175.215.102.']);
  });
});

describe('port-unchecked', () => {
  const summarised = [
    EXCLUSIONS_OFF,
    'let malicious_ips = dynamic(["5.39.216.137", "5.175.215.102"]);',
    'DeviceNetworkEvents',
    '| where Timestamp > ago(7d)',
    '| where RemoteIP in (malicious_ips)',
    '| summarize Connections = count() by DeviceName, RemoteIP',
  ].join('\n');

  test('hunt losing the port gets a hint', async () => {
    const analysis = await analyzeText(engine, summarised);
    assert.deepEqual(codesOf(analysis.diagnostics), ['port-unchecked']);
    assert.equal(analysis.diagnostics[0].severity, 4);
    assert.match(analysis.diagnostics[0].message, /ThreatFox - Mirai but neither tests nor shows the port \(8083, 8082, 456\); add a condition on RemotePort/);
  });

  test('fix adds the port condition before the summarize', async () => {
    const fixed = await applyFix(summarised, 'port-unchecked', 'Add a RemotePort condition for the ports of ThreatFox - Mirai');
    const lines = fixed.split('\n');
    assert.equal(lines[5], '| where RemotePort in (8083, 8082, 456)');
    assert.match(lines[6], /^\| summarize/);
    assert.deepEqual((await analyzeText(engine, fixed)).diagnostics, []);
  });

  test('CommonSecurityLog uses DestinationPort', async () => {
    const text = ['let malicious_ips = dynamic(["5.39.216.137", "5.175.215.102"]);', 'CommonSecurityLog', '| where DestinationIP in (malicious_ips)', '| summarize count() by SourceIP'].join('\n');
    const fixed = await applyFix(text, 'port-unchecked', 'Add a DestinationPort condition for the ports of ThreatFox - Mirai');
    assert.match(fixed, /\| where DestinationPort in \(8083, 8082, 456\)\n\| summarize/);
    assert.deepEqual((await analyzeText(engine, fixed)).diagnostics, []);
  });

  test('hunt showing or testing the port passes', async () => {
    const shown = summarised.replace('| summarize Connections = count() by DeviceName, RemoteIP', '| project Timestamp, RemoteIP, RemotePort');
    assert.deepEqual(await findingsOf(shown), []);
    const tested = summarised.replace('| where Timestamp > ago(7d)', '| where RemotePort != 0');
    assert.deepEqual(await findingsOf(tested), []);
  });

  test('table without a port column passes', async () => {
    const text = [EXCLUSIONS_OFF, 'DeviceProcessEvents', '| where ProcessCommandLine has_any ("5.39.216.137", "5.175.215.102")', '| summarize count() by DeviceName'].join('\n');
    assert.deepEqual(await findingsOf(text), []);
  });
});

describe('stale-indicator', () => {
  test('indicator below the confidence limit', async () => {
    const text = 'DnsEvents\n| where Name == "qak-old.example"\n| project TimeGenerated, Name';
    const findings = await findingsOf(text);
    assert.deepEqual(findings.map((finding) => finding.code), ['stale-indicator']);
    assert.match(findings[0].message, /qak-old\.example \(Team list - Qakbot\) is stale: its confidence 10% is below the minimum of 50% \(kqlHunt\.intel\.minConfidence, --min-confidence\)/);
  });

  test('indicator older than the age limit', async () => {
    const text = [EXCLUSIONS_OFF, 'let malicious_ips = dynamic(["5.39.216.137", "5.175.215.102"]);', 'DeviceNetworkEvents', '| where RemoteIP in (malicious_ips)', '| project Timestamp, RemoteIP, RemotePort'].join('\n');
    assert.deepEqual(await findingsOf(text), []);
    const aged = await findingsOf(text, settings({ intel: { maxAgeDays: 10 } }));
    assert.deepEqual(aged.map((finding) => finding.code), ['stale-indicator'], 'only 5.39.216.137: 5.175.215.102 was last seen 10 days ago');
    assert.match(aged[0].message, /5\.39\.216\.137 \(ThreatFox - Mirai\) is stale: it was first seen 2026-06-14, 16 days ago, more than the maximum age of 10 days \(kqlHunt\.intel\.maxAgeDays, --max-age-days\)/);
  });

  test('last sighting counts over the first', async () => {
    const text = [EXCLUSIONS_OFF, 'DeviceNetworkEvents', '| where RemoteIP == "5.175.215.102"', '| project Timestamp, RemoteIP, RemotePort'].join('\n');
    assert.deepEqual(await findingsOf(text, settings({ intel: { maxAgeDays: 12 } })), []);
  });

  test('minimum confidence of zero turns the test off', async () => {
    const text = 'DnsEvents\n| where Name == "qak-old.example"\n| project TimeGenerated, Name';
    assert.deepEqual(await findingsOf(text, settings({ intel: { minConfidence: 0 } })), []);
  });
});

describe('rules with many loaded sets', () => {
  test('every loaded family is checked', async () => {
    // 203.0.113.77:8080 belongs to the feed's "Unknown malware" family, not to the built-in set.
    const text = ['DeviceNetworkEvents', '| where RemoteIP == "203.0.113.77" and RemotePort == 8080', '| project Timestamp, RemoteIP, RemotePort'].join('\n');
    const codes = codesOf((await analyzeText(engine, text)).diagnostics);
    assert.ok(codes.every((code) => code.startsWith('missing-exclusion/')), codes.join(', '));
    assert.ok(codes.length > 0);
  });

  test('hash hunt of another family is clean', async () => {
    const text = ['DeviceFileEvents', '| where SHA256 == "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"', '| project Timestamp, SHA256'].join('\n');
    assert.deepEqual(codesOf((await analyzeText(engine, text)).diagnostics), []);
  });

  test('loaded sets are the fixture families', () => {
    assert.deepEqual(engine.intel.sets.map((set) => `${set.source} - ${set.family}`).sort(), [
      'Team list - Qakbot',
      'ThreatFox - Agent Tesla',
      'ThreatFox - Emotet',
      'ThreatFox - Mirai',
      'ThreatFox - Unknown',
    ]);
    assert.equal(loaded.length, 6);
  });
});
