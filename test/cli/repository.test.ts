import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { Log, Result } from 'sarif';
import { parse } from 'yaml';
import { huntsOfKql } from '../../server/src/cli/export';
import { RULE_DESCRIPTIONS } from '../../server/src/engine/rules/ruleIndex';
import { CLI_PATH, ROOT } from '../helpers/paths';

const FIXTURES = resolve(ROOT, 'test/fixtures/hunt-repo');

interface JsonFinding {
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: string;
  code: string;
  message: string;
}

function run(args: string[], cwd = ROOT): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI_PATH, ...args], { encoding: 'utf8', cwd, maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A copy of the fixture repository in a temporary folder, with a `.git` folder marking its root. */
function copyRepository(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kql-hunt-repo-'));
  cpSync(FIXTURES, dir, { recursive: true });
  mkdirSync(join(dir, '.git'));
  return dir;
}

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

/** The SARIF 2.1.0 schema shipped in the @microsoft/jest-sarif package (draft-04 JSON Schema). */
function sarifValidator() {
  const schemaPath = join(dirname(require.resolve('@microsoft/jest-sarif/package.json')), 'lib/schemas/sarif-2.1.0-rtm.5.json');
  // The schema has a pattern that is not valid with the `u` flag, which Ajv sets by default.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
}

/** The text of a file between a SARIF region's 1-based line and column positions. */
function regionText(text: string, region: NonNullable<NonNullable<Result['locations']>[number]['physicalLocation']>['region']): string {
  const lines = text.split('\n');
  const offset = (line: number, column: number): number => lines.slice(0, line - 1).reduce((total, current) => total + current.length + 1, 0) + column - 1;
  return text.slice(offset(region!.startLine!, region!.startColumn!), offset(region!.endLine!, region!.endColumn!));
}

// Every finding the fixture repository holds on purpose: file, code and the text it covers.
const EXPECTED = [
  ['analytics/mirai-c2-misconfigured.yaml', 'sentinel/id-duplicate', '9A8B7C6D-5E4F-4A3B-8C2D-1E0F9A8B7C6D'],
  ['analytics/mirai-c2-misconfigured.yaml', 'sentinel/tactic-unknown', 'Weaponization'],
  ['analytics/mirai-c2-misconfigured.yaml', 'sentinel/technique-invalid', 'T105'],
  ['analytics/mirai-c2-misconfigured.yaml', 'sentinel/data-type-missing', 'DeviceNetworkEvents'],
  ['analytics/mirai-c2-misconfigured.yaml', 'sentinel/data-type-unused', 'DeviceProcessEvents'],
  ['analytics/mirai-c2-misconfigured.yaml', 'sentinel/entity-column-missing', 'RemoteIp'],
  ['analytics/mirai-c2-misconfigured.yaml', 'sentinel/severity-invalid', 'high'],
  ['analytics/mirai-c2-misconfigured.yaml', 'sentinel/query-frequency-invalid', '30s'],
  ['analytics/mirai-c2-misconfigured.yaml', 'sentinel/query-period-invalid', '20d'],
  ['analytics/mirai-c2-misconfigured.yaml', 'sentinel/trigger-operator-invalid', 'greater'],
  ['analytics/mirai-c2-misconfigured.yaml', 'sentinel/trigger-threshold-invalid', '-1'],
  ['analytics/mirai-c2-scheduled.yaml', 'sentinel/id-duplicate', '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'],
  ['docs/mirai-hunting-guide.md', 'missing-exclusion/tar-backup', 'DeviceNetworkEvents'],
  ['docs/mirai-hunting-guide.md', 'missing-exclusion/nc-remote-admin', 'DeviceNetworkEvents'],
  ['docs/mirai-hunting-guide.md', 'missing-exclusion/rsync-log-collection', 'DeviceNetworkEvents'],
  ['docs/mirai-hunting-guide.md', 'missing-exclusion/nmap-internal-scan', 'DeviceNetworkEvents'],
  ['docs/mirai-hunting-guide.md', 'missing-exclusion/package-update-cron', 'DeviceNetworkEvents'],
  ['docs/mirai-hunting-guide.md', 'KS142', 'ProcesCommandLine'],
  ['hunting/mirai-downloads-quoted.yaml', 'KS142', 'AccountNme'],
  ['hunting/mirai-downloads-quoted.yaml', 'sentinel/technique-invalid', 't1105'],
  ['hunting/mirai-firewall-folded.yaml', 'KS142', 'DestinatonPort'],
  ['hunting/mirai-firewall-folded.yaml', 'sentinel/tactic-unknown', 'command and control'],
  ['hunting/syslog-plain.yaml', 'sentinel/data-type-unused', 'SecurityEvent'],
].map((entry) => entry.join(' | ')).sort();

describe('kql-hunt lint on a hunt repository', () => {
  test('text output lists findings and a summary', () => {
    const dir = copyRepository();
    const result = run(['lint', '.'], dir);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /^hunting\/mirai-firewall-folded\.yaml:19:53: error KS142: .*Did you mean 'DestinationPort'\?$/m);
    assert.match(result.stdout, /^docs\/mirai-hunting-guide\.md:41:36: error KS142: /m);
    assert.match(result.stdout, /^23 findings \(15 errors, 8 warnings, 0 other\) in 8 files\.$/m);
  });

  test('sarif output validates against the SARIF 2.1.0 schema', () => {
    const dir = copyRepository();
    const result = run(['lint', '--format', 'sarif', '.'], dir);
    assert.equal(result.status, 1, result.stderr);
    const validate = sarifValidator();
    const log = JSON.parse(result.stdout) as Log;
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  });

  test('every sarif finding points at the right text', () => {
    const dir = copyRepository();
    const log = JSON.parse(run(['lint', '--format', 'sarif', '.'], dir).stdout) as Log;
    const found = log.runs[0].results!.map((result) => {
      const location = result.locations![0].physicalLocation!;
      const uri = location.artifactLocation!.uri!;
      const text = readFileSync(join(dir, uri), 'utf8');
      const covered = regionText(text, location.region);
      assert.equal(location.region!.snippet!.text, covered);
      assert.equal(text.substr(location.region!.charOffset!, location.region!.charLength!), covered);
      return [uri, result.ruleId, covered].join(' | ');
    });
    assert.deepEqual(found.sort(), EXPECTED);
  });

  test('sarif names every rule with help text', () => {
    const dir = copyRepository();
    const log = JSON.parse(run(['lint', '--format', 'sarif', '.'], dir).stdout) as Log;
    const rules = log.runs[0].tool.driver.rules!;
    for (const rule of RULE_DESCRIPTIONS) {
      const descriptor = rules.find((candidate) => candidate.id === rule.id);
      assert.ok(descriptor, `${rule.id} is missing`);
      assert.ok((descriptor.help?.text.length ?? 0) > 40, `${rule.id} has no help`);
    }
    assert.ok(rules.some((rule) => rule.id === 'KS142' && rule.help?.text));
    for (const result of log.runs[0].results!) assert.equal(rules[result.ruleIndex!].id, result.ruleId);
  });

  test('sarif artifact paths are relative to the repository root', () => {
    const dir = copyRepository();
    const log = JSON.parse(run(['lint', '--format', 'sarif', join(dir, 'hunting')], ROOT).stdout) as Log;
    const uris = log.runs[0].results!.map((result) => result.locations![0].physicalLocation!.artifactLocation!.uri!);
    assert.ok(uris.length > 0);
    for (const uri of uris) assert.match(uri, /^hunting\/[a-z-]+\.yaml$/);
    assert.equal(log.runs[0].originalUriBaseIds!['%SRCROOT%'].uri, `file://${dir}/`);
  });

  test('json output has the same findings', () => {
    const dir = copyRepository();
    const findings = JSON.parse(run(['lint', '--format', 'json', '.'], dir).stdout) as JsonFinding[];
    assert.equal(findings.length, EXPECTED.length);
    assert.ok(findings.every((finding) => finding.range.start.line >= 0 && finding.message.length > 0));
  });

  test('gitignored files are skipped', () => {
    const dir = copyRepository();
    write(dir, { '.gitignore': 'drafts/\n', 'drafts/broken.yaml': 'id: x\nname: y\nquery: [\n', 'hunting/.gitignore': '*.wip.yaml\n', 'hunting/new.wip.yaml': 'id: x\nname: y\nquery: T | project\n' });
    const findings = JSON.parse(run(['lint', '--format', 'json', '.'], dir).stdout) as JsonFinding[];
    assert.ok(!findings.some((finding) => finding.file.includes('drafts') || finding.file.includes('wip')));
    assert.equal(findings.length, EXPECTED.length);
  });

  test('exclude pattern skips files', () => {
    const dir = copyRepository();
    const findings = JSON.parse(run(['lint', '--format', 'json', '--exclude', 'docs/**', '--exclude', 'analytics/*-misconfigured.yaml', '.'], dir).stdout) as JsonFinding[];
    const files = new Set(findings.map((finding) => finding.file));
    assert.deepEqual([...files].sort(), ['hunting/mirai-downloads-quoted.yaml', 'hunting/mirai-firewall-folded.yaml', 'hunting/syslog-plain.yaml']);
  });

  test('output option writes the report to a file', () => {
    const dir = copyRepository();
    const result = run(['lint', '--format', 'sarif', '--output', 'kql-hunt.sarif', '.'], dir);
    assert.equal(result.stdout, '');
    assert.equal((JSON.parse(readFileSync(join(dir, 'kql-hunt.sarif'), 'utf8')) as Log).version, '2.1.0');
  });
});

describe('kql-hunt lint on bad input', () => {
  const BAD = {
    'broken.yaml': 'id: 11111111-2222-4333-8444-555555555555\nname: Broken\nquery: |\n  T\ntactics: [CommandAndControl\n',
    'not-string.yaml': 'id: 11111111-2222-4333-8444-555555555556\nname: Not a string\ndescription: d\nquery:\n  - CommonSecurityLog\n',
    'duplicate.yaml': 'id: 11111111-2222-4333-8444-555555555557\nname: One\nname: Two\nquery: CommonSecurityLog | take 1\n',
    'tabs.yaml': 'id: 11111111-2222-4333-8444-555555555558\nname: Tabs\nrequiredDataConnectors:\n\t- connectorId: CEF\nquery: CommonSecurityLog | take 1\n',
    'unclosed.md': '# Notes\n\n```kql\nCommonSecurityLog | take 1\n',
    'typo.kql': 'DeviceNetworkEvents | project Nope\n',
  };

  test('each bad file gets one error naming its line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kql-hunt-bad-'));
    write(dir, BAD);
    writeFileSync(join(dir, 'huge.yaml'), `id: 11111111-2222-4333-8444-555555555559\nname: Huge\nquery: |\n${'  CommonSecurityLog | take 1\n'.repeat(750000)}`);
    const result = run(['lint', '.'], dir);
    assert.equal(result.status, 1, result.stderr);
    const lines = result.stdout.trim().split('\n');
    const byFile = (name: string): string[] => lines.filter((line) => line.startsWith(`${name}:`));
    assert.match(byFile('broken.yaml').join('\n'), /^broken\.yaml:\d+:\d+: error yaml-syntax: Invalid YAML on line \d+: /);
    assert.match(byFile('not-string.yaml').join('\n'), /^not-string\.yaml:5:3: error sentinel\/query-not-string: The query on line 5 is a list, not a string/);
    assert.match(byFile('duplicate.yaml').join('\n'), /^duplicate\.yaml:3:1: error yaml-syntax: Invalid YAML on line 3: Map keys must be unique/);
    assert.match(byFile('tabs.yaml').join('\n'), /^tabs\.yaml:4:1: error yaml-syntax: Invalid YAML on line 4: Tabs are not allowed as indentation/);
    assert.match(byFile('unclosed.md').join('\n'), /^unclosed\.md:3:1: error markdown-fence-unclosed: The kql code fence opened on line 3 is never closed/);
    assert.match(byFile('huge.yaml').join('\n'), /^huge\.yaml:1:1: error file-too-large: This file has 21750061 characters, more than kqlHunt.analysis.maxFileSize/);
    assert.match(byFile('typo.kql').join('\n'), /^typo\.kql:1:31: error KS142/);
    for (const name of Object.keys(BAD)) if (name !== 'typo.kql') assert.equal(byFile(name).length, 1, byFile(name).join('\n'));
  });

  test('a path that does not exist is a usage error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kql-hunt-bad-'));
    write(dir, { 'typo.kql': BAD['typo.kql'] });
    const result = run(['lint', '--format', 'json', 'missing-folder', '.'], dir);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /cannot read missing-folder: no such file or folder/);
    assert.equal((JSON.parse(result.stdout) as JsonFinding[]).length, 1);
  });
});

describe('kql-hunt export', () => {
  const HUNTS = `// Hunt for network connections to known malicious IPs
// Source: ThreatFox - Mirai
let malicious_ips = dynamic(["5.39.216.137", "5.175.215.102"]);
CommonSecurityLog
| where DestinationIP in (malicious_ips) or SourceIP in (malicious_ips)
| project TimeGenerated, SourceIP, DestinationIP, DestinationPort, DeviceAction, Activity
| order by TimeGenerated desc

// Downloads by Mirai droppers
// They fetch the payload with wget or curl,
//
// then run it from /tmp.
DeviceProcessEvents
| where ProcessCommandLine has_any ("wget", "curl") and ProcessCommandLine has "/tmp/"
| project TimeGenerated, DeviceName, AccountName, ProcessCommandLine
`;

  test('kql to yaml and back keeps the queries', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kql-hunt-export-'));
    write(dir, { 'hunts.kql': HUNTS });
    const toYaml = run(['export', '--to', 'sentinel-yaml', '--out', 'rules', 'hunts.kql'], dir);
    assert.equal(toYaml.status, 0, toYaml.stderr);
    const files = readdirSync(join(dir, 'rules')).sort();
    assert.deepEqual(files, ['downloads-by-mirai-droppers.yaml', 'hunt-for-network-connections-to-known-malicious-ips.yaml']);

    const toKql = run(['export', '--to', 'kql', '--out', 'back.kql', 'rules'], dir);
    assert.equal(toKql.status, 0, toKql.stderr);
    const back = readFileSync(join(dir, 'back.kql'), 'utf8');
    const queries = (text: string): string[] => huntsOfKql(text, 'x.kql').map((hunt) => hunt.query).sort();
    assert.deepEqual(queries(back), queries(HUNTS));
    const withoutIds = back.replace(/^\/\/ id: [0-9a-f-]{36}\n/gm, '');
    assert.equal(withoutIds.split('\n\n').sort().join('\n\n'), HUNTS.trimEnd().split('\n\n').sort().join('\n\n') + '\n');
  });

  test('rule ids survive yaml to kql and back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kql-hunt-export-'));
    write(dir, { 'hunts.kql': HUNTS });
    run(['export', '--to', 'sentinel-yaml', '--out', 'rules', 'hunts.kql'], dir);
    run(['export', '--to', 'kql', '--out', 'back.kql', 'rules'], dir);
    const again = run(['export', '--to', 'sentinel-yaml', '--out', 'again', 'back.kql'], dir);
    assert.equal(again.status, 0, again.stderr);
    const ids = (folder: string): string[] => readdirSync(join(dir, folder)).sort().map((file) => parse(readFileSync(join(dir, folder, file), 'utf8')).id);
    assert.deepEqual(ids('again'), ids('rules'));
  });

  test('defender hunt exports with a warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kql-hunt-export-'));
    write(dir, { 'defender.kql': '// Mirai from devices\nDeviceNetworkEvents\n| where Timestamp > ago(1d)\n| project Timestamp, RemoteIP\n' });
    const result = run(['export', '--to', 'sentinel-yaml', '--out', 'rules', 'defender.kql'], dir);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /kql-hunt: warning: rules\/mirai-from-devices\.yaml:\d+: time-column-mismatch: Timestamp is the time column of Defender XDR/);
    assert.match(result.stderr, /Run kql-hunt lint rules\/mirai-from-devices\.yaml for all 2 findings\./);
  });

  test('clean hunts export without warnings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kql-hunt-export-'));
    write(dir, { 'hunts.kql': HUNTS });
    const result = run(['export', '--to', 'sentinel-yaml', '--out', 'rules', 'hunts.kql'], dir);
    assert.doesNotMatch(result.stderr, /warning/);
  });

  test('exported yaml files lint clean', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kql-hunt-export-'));
    write(dir, { 'hunts.kql': HUNTS });
    run(['export', '--to', 'sentinel-yaml', '--out', 'rules', 'hunts.kql'], dir);
    const lint = run(['lint', '--format', 'json', 'rules'], dir);
    assert.deepEqual(JSON.parse(lint.stdout), []);
    const rule = parse(readFileSync(join(dir, 'rules/hunt-for-network-connections-to-known-malicious-ips.yaml'), 'utf8'));
    assert.equal(rule.name, 'Hunt for network connections to known malicious IPs');
    assert.equal(rule.description, 'Source: ThreatFox - Mirai');
    // Both CEF connectors fill CommonSecurityLog: the AMA one and the legacy agent.
    assert.deepEqual(rule.requiredDataConnectors, [
      { connectorId: 'CefAma', dataTypes: ['CommonSecurityLog'] },
      { connectorId: 'CEF', dataTypes: ['CommonSecurityLog'] },
    ]);
    assert.deepEqual(rule.tactics, ['CommandAndControl']);
    assert.deepEqual(rule.relevantTechniques, ['T1105']);
    assert.deepEqual(rule.entityMappings.map((mapping: { fieldMappings: { columnName: string }[] }) => mapping.fieldMappings[0].columnName), ['SourceIP', 'DestinationIP']);
  });

  test('export keeps ids stable and refuses to overwrite', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kql-hunt-export-'));
    write(dir, { 'hunts.kql': HUNTS });
    run(['export', '--to', 'sentinel-yaml', '--out', 'rules', 'hunts.kql'], dir);
    const first = readFileSync(join(dir, 'rules/downloads-by-mirai-droppers.yaml'), 'utf8');
    const again = run(['export', '--to', 'sentinel-yaml', '--out', 'rules', 'hunts.kql'], dir);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /already exists; pass --force/);
    assert.equal(run(['export', '--to', 'sentinel-yaml', '--out', 'rules', '--force', 'hunts.kql'], dir).status, 0);
    assert.equal(readFileSync(join(dir, 'rules/downloads-by-mirai-droppers.yaml'), 'utf8'), first);
  });

  test('fixture rules collect into one kql file', () => {
    const result = run(['export', '--to', 'kql', 'test/fixtures/hunt-repo']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^\/\/ Mirai indicators from ThreatFox in DeviceNetworkEvents$/m);
    assert.match(result.stdout, /^\/\/ Connection to a Mirai payload server$/m);
    assert.ok(!result.stdout.includes('deploy-hunting-content'));
  });

  test('unknown target is a usage error', () => {
    const result = run(['export', '--to', 'splunk', 'x.kql']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /Invalid --to 'splunk'/);
  });
});
