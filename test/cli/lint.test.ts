import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SCENARIOS } from '../../server/src/engine/hunts/scenarios';
import { CLI_PATH } from '../helpers/paths';
import { GENERATED_COMMONSECURITYLOG_HUNT, REPORT_COMMONSECURITYLOG_HUNT, REPORT_DEVICENETWORKEVENTS_HUNT } from '../helpers/reportHunts';

interface JsonFinding {
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: string;
  code: string;
  message: string;
}

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI_PATH, ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kql-hunt-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('kql-hunt lint', () => {
  test('examples give findings and exit 1 for the deliberate error', () => {
    const result = run('lint', 'examples');
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /typo-column\.kql:7:53: error KS142: .*Did you mean 'DestinationPort'\?/);
    assert.match(result.stdout, /mirai-devicenetworkevents\.kql:3:1: warning missing-exclusion\/tar-backup/);
    assert.match(result.stdout, /findings \(1 error, \d+ warnings, 0 other\) in 6 files\.$/m);
  });

  test('examples with all exclusions are clean', () => {
    const result = run('lint', '--format', 'json', 'examples/mirai-devicenetworkevents-excluded.kql', 'examples/linux-hunts.kql', 'examples/mirai-commonsecuritylog.kql');
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), []);
  });

  test('json output has file, range, severity, code and message', () => {
    const dir = tempDir({ 'dne.kql': REPORT_DEVICENETWORKEVENTS_HUNT });
    const result = run('lint', '--format', 'json', dir);
    assert.equal(result.status, 0, result.stderr);
    const findings = JSON.parse(result.stdout) as JsonFinding[];
    assert.deepEqual(findings.map((finding) => finding.code).sort(), SCENARIOS.map((scenario) => `missing-exclusion/${scenario.id}`).sort());
    for (const finding of findings) {
      assert.ok(finding.file.endsWith('dne.kql'));
      assert.deepEqual(finding.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 19 } });
      assert.equal(finding.severity, 'warning');
      assert.ok(finding.message.length > 0);
    }
  });

  test('report CommonSecurityLog hunt is clean', () => {
    const dir = tempDir({ 'csl.kql': REPORT_COMMONSECURITYLOG_HUNT });
    const result = run('lint', dir);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^0 findings/m);
  });

  test('max-warnings 0 turns warnings into a failure', () => {
    const dir = tempDir({ 'dne.kql': REPORT_DEVICENETWORKEVENTS_HUNT });
    assert.equal(run('lint', '--max-warnings', '0', dir).status, 1);
    assert.equal(run('lint', '--max-warnings', '5', dir).status, 0);
  });

  test('environment option pins every block', () => {
    const dir = tempDir({ 'graph.kql': 'ExposureGraphNodes | take 1' });
    assert.equal(run('lint', dir).status, 0);
    const pinned = run('lint', '--environment', 'sentinel', '--format', 'json', dir);
    assert.equal(pinned.status, 1);
    assert.equal((JSON.parse(pinned.stdout) as JsonFinding[])[0].code, 'KS204');
  });

  test('folders are searched recursively for query files', () => {
    const dir = tempDir({ 'a.kql': 'T1 | take 1', 'b.csl': 'CommonSecurityLog | take 1', 'notes.txt': 'not a query' });
    const result = run('lint', '--format', 'json', dir);
    const files = new Set((JSON.parse(result.stdout) as JsonFinding[]).map((finding) => finding.file));
    assert.equal(files.size, 1);
    assert.match([...files][0], /a\.kql$/);
  });

  test('missing path is exit 2 and the rest is still checked', () => {
    const dir = tempDir({ 'bad.kql': 'DeviceNetworkEvents | project Nope' });
    const result = run('lint', '--format', 'json', join(dir, 'missing.kql'), dir);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /cannot read .*missing\.kql: no such file or folder/);
    assert.equal((JSON.parse(result.stdout) as JsonFinding[]).length, 1);
  });

  test('paths without hunts are exit 2', () => {
    const dir = tempDir({ 'notes.txt': 'not a hunt', 'compose.yaml': 'services:\n  web:\n    image: nginx\n' });
    const result = run('lint', dir);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /no hunts found in .*kql-hunt-cli-/);
  });

  test('unwritable output file is exit 2', () => {
    const result = run('lint', '--output', join(tmpdir(), 'kql-hunt-no-such-folder', 'out.json'), '--format', 'json', 'examples/mirai-commonsecuritylog.kql');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /cannot write --output .*out\.json: ENOENT; check that its folder exists/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });

  test('usage errors are exit 2 with a message', () => {
    const unknownFormat = run('lint', '--format', 'xml', 'examples');
    assert.equal(unknownFormat.status, 2);
    assert.match(unknownFormat.stderr, /Invalid --format 'xml'/);
    assert.equal(run('lint').status, 2);
    assert.equal(run('frobnicate').status, 2);
    assert.equal(run('lint', '--environment', 'splunk', 'examples').status, 2);
  });

  test('sarif output is a 2.1.0 log with rules and regions', () => {
    const dir = tempDir({ 'dne.kql': REPORT_DEVICENETWORKEVENTS_HUNT });
    const result = run('lint', '--format', 'sarif', dir);
    const log = JSON.parse(result.stdout);
    assert.equal(log.version, '2.1.0');
    const run0 = log.runs[0];
    assert.equal(run0.results.length, 5);
    const ruleIds = run0.tool.driver.rules.map((rule: { id: string }) => rule.id);
    for (const scenario of SCENARIOS) assert.ok(ruleIds.includes(`missing-exclusion/${scenario.id}`));
    const { startLine, startColumn, endLine, endColumn, snippet } = run0.results[0].locations[0].physicalLocation.region;
    assert.deepEqual({ startLine, startColumn, endLine, endColumn }, { startLine: 3, startColumn: 1, endLine: 3, endColumn: 20 });
    assert.equal(snippet.text, 'DeviceNetworkEvents');
  });
});

describe('kql-hunt hunt', () => {
  test('prints the report hunt for CommonSecurityLog', () => {
    const result = run('hunt', '--family', 'Mirai', '--table', 'CommonSecurityLog');
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, GENERATED_COMMONSECURITYLOG_HUNT + '\n');
  });

  test('with exclusions adds five filters', () => {
    const result = run('hunt', '--family', 'mirai', '--table', 'DeviceNetworkEvents', '--with-exclusions');
    assert.equal(result.stdout.split('\n').filter((line) => line.startsWith('| where not(')).length, 5);
  });

  test('missing family is a usage error', () => {
    const result = run('hunt', '--table', 'DnsEvents');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /hunt needs --family, such as --family Mirai\. Loaded: ThreatFox - Mirai\./);
  });

  test('unknown family lists the loaded sets', () => {
    const result = run('hunt', '--family', 'Emotet', '--table', 'CommonSecurityLog');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /ThreatFox - Mirai/);
  });
});

describe('kql-hunt on awkward input', () => {
  test('UTF-16 file with a byte order mark lints like UTF-8', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kql-hunt-utf16-'));
    const text = 'DeviceNetworkEvents\r\n| project RemotPort\r\n';
    writeFileSync(join(dir, 'wide.kql'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const result = run('lint', '--format', 'json', dir);
    const findings = JSON.parse(result.stdout) as JsonFinding[];
    assert.deepEqual(findings.map((finding) => finding.code), ['KS142']);
    assert.deepEqual(findings[0].range.start, { line: 1, character: 10 });
  });

  test('binary file is one finding, not hundreds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kql-hunt-binary-'));
    writeFileSync(join(dir, 'blob.kql'), Buffer.from(Array.from({ length: 4096 }, (_, index) => (index * 37) % 256)));
    const result = run('lint', '--format', 'json', dir);
    const findings = JSON.parse(result.stdout) as JsonFinding[];
    assert.equal(findings.length, 1);
    assert.equal(findings[0].code, 'file-unreadable');
    assert.match(findings[0].message, /save it as UTF-8/);
  });

  test('usage error is one line and a pointer to help', () => {
    const result = run('hunt', '--family', 'Emotet', '--table', 'CommonSecurityLog');
    assert.equal(result.status, 2);
    assert.equal(result.stderr.trim().split('\n').length, 2);
    assert.match(result.stderr, /Run 'kql-hunt --help'/);
  });

  test('option errors speak of options, not the parser', () => {
    const unknown = run('lint', '--frmat', 'json', 'examples');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /^kql-hunt: Unknown option '--frmat'\.\n/);
    const negative = run('lint', '--max-warnings', '-1', 'examples');
    assert.equal(negative.status, 2);
    assert.match(negative.stderr, /^kql-hunt: Option '--max-warnings' needs a value; write a value that starts with '-' as --max-warnings=VALUE\.\n/);
    const below = run('lint', '--max-warnings=-1', 'examples');
    assert.equal(below.status, 2);
    assert.match(below.stderr, /Invalid --max-warnings '-1'; use a whole number, 0 or more\./);
  });

  test('help after a command prints the usage', () => {
    const result = run('lint', '--help');
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^Usage:/);
  });

  test('quiet summary counts what it hides', () => {
    const dir = tempDir({ 'dne.kql': REPORT_DEVICENETWORKEVENTS_HUNT });
    const result = run('lint', '--quiet', dir);
    assert.match(result.stdout, /^5 findings \(0 errors, 5 warnings, 0 other\) in 1 file; 5 not shown, because --quiet prints errors only\.$/m);
  });

  test('warning limit says why the exit code is 1', () => {
    const dir = tempDir({ 'dne.kql': REPORT_DEVICENETWORKEVENTS_HUNT });
    const result = run('lint', '--max-warnings', '2', dir);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /5 warnings, more than --max-warnings 2/);
  });

  test('findings are listed top to bottom', () => {
    const dir = tempDir({ 'two.kql': 'DeviceNetworkEvents | project Nope\n\nCommonSecurityLog | project Nada\n\nSyslog | project Zilch' });
    const lines = run('lint', dir).stdout.split('\n').filter((line) => line.includes('two.kql'));
    const numbers = lines.map((line) => Number(/two\.kql:(\d+):/.exec(line)![1]));
    assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b));
  });
});
