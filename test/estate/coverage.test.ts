import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { computeCoverage, coverageCell, CoverageInput, CoverageMatrix } from '../../server/src/engine/coverage/coverage';
import { cellLabel, coverageMarkdown, coverageText } from '../../server/src/engine/coverage/render';
import { HuntEngine } from '../../server/src/engine/engine';
import { IntelManager } from '../../server/src/engine/intel/manager';
import { createTestEngine, documentOf, settings } from '../helpers/engine';
import { ROOT } from '../helpers/paths';
import { REPORT_COMMONSECURITYLOG_HUNT, REPORT_DEVICENETWORKEVENTS_HUNT } from '../helpers/reportHunts';

const PARTIAL_HUNT = `// Only one Mirai address
DeviceNetworkEvents
| where RemoteIP in ("5.39.216.137")
| project Timestamp, DeviceName, RemoteIP, RemotePort`;

const MARKDOWN = `# Emotet

Some notes.

\`\`\`kql
// Emotet domains in DNS
DnsEvents
| where Name in~ ("emotet-c2.example")
| project TimeGenerated, Computer, Name
\`\`\`
`;

const SENTINEL_RULE = `id: 6f3c2b1a-1d2e-4f50-9a7b-0c1d2e3f4a5b
name: Mirai in CommonSecurityLog
description: Mirai addresses.
requiredDataConnectors:
  - connectorId: CEF
    dataTypes:
      - CommonSecurityLog
query: |
  CommonSecurityLog
  | where DestinationIP in ("5.39.216.137", "5.175.215.102")
  | project TimeGenerated, DestinationIP
`;

async function input(engine: HuntEngine, file: string, text: string): Promise<CoverageInput> {
  const document = documentOf(text, `file:///workspace/${file}`);
  return { file, document, analysis: await engine.analyzeDocument(document, settings()) };
}

describe('coverage matrix', () => {
  let engine: HuntEngine;
  let matrix: CoverageMatrix;

  before(async () => {
    engine = createTestEngine();
    const manager = new IntelManager();
    await manager.configure({ files: ['test/fixtures/intel/threatfox-full.csv'], includeBuiltIn: true, roots: [ROOT] });
    engine.setIntelStore(manager.store);
    const inputs = [
      await input(engine, 'hunts/csl.kql', REPORT_COMMONSECURITYLOG_HUNT),
      await input(engine, 'hunts/dne.kql', `${REPORT_DEVICENETWORKEVENTS_HUNT}\n\n${PARTIAL_HUNT}\n`),
      await input(engine, 'docs/emotet.md', MARKDOWN),
      await input(engine, 'rules/mirai.yaml', SENTINEL_RULE),
      await input(engine, 'hunts/plain.kql', 'SigninLogs\n| take 10\n'),
    ];
    matrix = computeCoverage(inputs, { catalog: engine.catalog, intel: engine.intel, settings: settings(), now: new Date('2026-06-20T00:00:00Z') });
  });

  after(() => engine.dispose());

  test('rows are the loaded sets', () => {
    assert.deepEqual(
      matrix.families.map((family) => family.set),
      engine.intel.sets.map((set) => `${set.source} - ${set.family}`),
    );
    assert.ok(matrix.families.some((family) => family.set === 'ThreatFox - Emotet'));
  });

  test('counts files and indicator hunts', () => {
    assert.equal(matrix.files, 5);
    assert.equal(matrix.hunts, 5);
  });

  test('hunted tables come first', () => {
    assert.deepEqual(matrix.tables.slice(0, 3), ['CommonSecurityLog', 'DeviceNetworkEvents', 'DnsEvents']);
    const rest = matrix.tables.slice(3);
    assert.deepEqual(rest, [...rest].sort((a, b) => a.localeCompare(b)));
    assert.ok(!matrix.tables.includes('SigninLogs'));
    assert.ok(matrix.tables.includes('DeviceProcessEvents'));
  });

  test('complete hunts in kql and yaml', () => {
    const cell = coverageCell(matrix, 'ThreatFox - Mirai', 'CommonSecurityLog')!;
    assert.equal(cell.state, 'complete');
    assert.deepEqual(
      cell.hunts.map((hunt) => [hunt.file, hunt.line, hunt.missingIndicators, hunt.missingExclusions.length]),
      [
        ['hunts/csl.kql', 1, 0, 0],
        ['rules/mirai.yaml', 9, 0, 0],
      ],
    );
    assert.equal(cell.hunts[0].name, 'Hunt for network connections to known malicious IPs');
    assert.equal(cell.hunts[1].name, 'Mirai in CommonSecurityLog');
  });

  test('gaps name missing indicators and exclusions', () => {
    const cell = coverageCell(matrix, 'ThreatFox - Mirai', 'DeviceNetworkEvents')!;
    assert.equal(cell.state, 'gaps');
    assert.equal(cell.hunts.length, 2);
    const [report, partial] = cell.hunts;
    assert.equal(report.missingIndicators, 0);
    assert.deepEqual(report.missingExclusions, ['nc-remote-admin', 'nmap-internal-scan', 'package-update-cron', 'rsync-log-collection', 'tar-backup']);
    assert.equal(partial.line, 8);
    assert.equal(partial.name, 'Only one Mirai address');
    assert.equal(partial.missingIndicators, 1);
  });

  test('markdown fences count as hunts', () => {
    const cell = coverageCell(matrix, 'ThreatFox - Emotet', 'DnsEvents')!;
    assert.equal(cell.state, 'complete');
    assert.equal(cell.hunts[0].file, 'docs/emotet.md');
    assert.equal(cell.hunts[0].line, 6);
  });

  test('empty huntable cells are missing', () => {
    const cell = coverageCell(matrix, 'ThreatFox - Agent Tesla', 'DeviceFileEvents')!;
    assert.equal(cell.state, 'missing');
    assert.equal(cell.huntable, true);
    assert.deepEqual(cell.hunts, []);
    assert.equal(coverageCell(matrix, 'ThreatFox - Agent Tesla', 'DnsEvents'), undefined);
  });

  test('cell labels', () => {
    assert.equal(cellLabel(coverageCell(matrix, 'ThreatFox - Mirai', 'CommonSecurityLog')), '✓ 2');
    assert.equal(cellLabel(coverageCell(matrix, 'ThreatFox - Mirai', 'DeviceNetworkEvents')), '! 2');
    assert.equal(cellLabel(coverageCell(matrix, 'ThreatFox - Agent Tesla', 'DeviceFileEvents')), '·');
    assert.equal(cellLabel(undefined), '');
  });

  test('text output aligns the grid', () => {
    const lines = coverageText(matrix).split('\n');
    assert.match(lines[0], /^Coverage of \d+ indicator sets over \d+ tables: 5 hunts in 5 files\.$/);
    const header = lines[2];
    const mirai = lines.find((line) => line.startsWith('ThreatFox - Mirai '))!;
    assert.equal(mirai.indexOf('✓ 2'), header.indexOf('CommonSecurityLog'));
    assert.equal(mirai.indexOf('! 2'), header.indexOf('DeviceNetworkEvents'));
    assert.ok(lines.some((line) => line.startsWith('    hunts/dne.kql:8 Only one Mirai address: 1 indicator missing; no exclusion for ')));
  });

  test('markdown output is a table', () => {
    const lines = coverageMarkdown(matrix).split('\n');
    const header = lines.find((line) => line.startsWith('| Indicator set |'))!;
    assert.ok(header.includes('| CommonSecurityLog |'));
    const separator = lines[lines.indexOf(header) + 1];
    assert.equal(separator.split('|').length, header.split('|').length);
    assert.ok(lines.some((line) => line.startsWith('| ThreatFox - Mirai | ✓ 2 | ! 2 |')));
    assert.ok(lines.some((line) => line.includes('`hunts/dne.kql:8` Only one Mirai address: 1 indicator missing')));
  });
});

describe('coverage of hunts that cannot match', () => {
  const engine = createTestEngine();
  after(() => engine.dispose());

  test('errors keep a cell from being complete', async () => {
    const defanged = '// Mirai, pasted defanged\nCommonSecurityLog\n| where DestinationIP in ("5.39.216[.]137", "5[.]175.215.102")\n| project TimeGenerated, DestinationIP';
    const ipPort = '// Mirai, pasted with ports\nDeviceNetworkEvents\n| where RemoteIP in ("5.39.216.137:8083", "5.175.215.102:456")\n| project Timestamp, RemoteIP';
    const inputs = [await input(engine, 'defanged.kql', defanged), await input(engine, 'ports.kql', ipPort)];
    const matrix = computeCoverage(inputs, { catalog: engine.catalog, intel: engine.intel, settings: settings(), now: new Date('2026-06-20T00:00:00Z') });

    const csl = coverageCell(matrix, 'ThreatFox - Mirai', 'CommonSecurityLog')!;
    assert.equal(csl.state, 'gaps');
    assert.deepEqual(csl.hunts[0].errors, ['defanged-indicator']);
    const dne = coverageCell(matrix, 'ThreatFox - Mirai', 'DeviceNetworkEvents')!;
    assert.equal(dne.state, 'gaps');
    assert.ok(dne.hunts[0].errors.includes('ip-port-in-address-column'), JSON.stringify(dne.hunts[0]));
    assert.ok(coverageText(matrix).includes('defanged.kql:1 Mirai, pasted defanged: errors: defanged-indicator'), coverageText(matrix));
  });
});
