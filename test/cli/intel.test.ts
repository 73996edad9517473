import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CLI_PATH } from '../helpers/paths';

const FULL = 'test/fixtures/intel/threatfox-full.csv';

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI_PATH, ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function hunts(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kql-hunt-cli-intel-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('kql-hunt lint --intel', () => {
  test('hunts are checked against the loaded file', () => {
    const dir = hunts({ 'emotet.kql': 'CommonSecurityLog\n| where DestinationHostName in~ ("emotet-c2.example") or RequestURL has "hxxp://emotet-drop[.]example/load.php"\n| project TimeGenerated, DestinationHostName' });
    const result = run('lint', '--format', 'json', '--intel', FULL, dir);
    assert.equal(result.status, 1, result.stderr);
    const findings = JSON.parse(result.stdout) as { code: string; message: string }[];
    assert.deepEqual(findings.map((finding) => finding.code), ['defanged-indicator']);
    assert.match(findings[0].message, /'hxxp:\/\/emotet-drop\[\.\]example\/load\.php' is a defanged url/);
  });

  test('loaded file adds list findings', () => {
    const dir = hunts({ 'qakbot.kql': 'DnsEvents\n| where Name in~ ("qak-one.example")\n| project TimeGenerated, Name', 'qakbot.txt': '# family: Qakbot\nqak-one.example\nqak-two.example\n' });
    const withIntel = JSON.parse(run('lint', '--format', 'json', '--intel', join(dir, 'qakbot.txt'), dir).stdout) as { code: string; message: string }[];
    assert.deepEqual(withIntel.map((finding) => finding.code), ['incomplete-indicator-list']);
    assert.match(withIntel[0].message, /missing: qak-two\.example/);
    const without = JSON.parse(run('lint', '--format', 'json', dir).stdout) as unknown[];
    assert.deepEqual(without, []);
  });

  test('several files and globs load together', () => {
    const dir = hunts({ 'mix.kql': 'DeviceNetworkEvents\n| where RemoteIP in ("192.0.2.44")\n| project Timestamp, RemoteIP, RemotePort' });
    const result = run('lint', '--format', 'json', '--intel', 'test/fixtures/intel/threatfox-ip*.csv', '--intel', 'test/fixtures/intel/plain-list.txt', dir);
    const findings = JSON.parse(result.stdout) as { code: string; message: string }[];
    const list = findings.filter((finding) => finding.code === 'incomplete-indicator-list').map((finding) => finding.message).sort();
    assert.deepEqual(list, [
      'This list contains 1 of the 2 addresses of ThreatFox - Gafgyt; missing: 2001:db8::44.',
      'This list contains 1 of the 3 addresses of IR ticket 4711 - Gafgyt; missing: 198.51.100.9, 2001:db8::45.',
    ]);
  });

  test('missing intel file exits 2', () => {
    const dir = hunts({ 'bad.kql': 'DeviceNetworkEvents | project Nope' });
    const result = run('lint', '--format', 'json', '--intel', 'test/fixtures/intel/nope.csv', dir);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /kql-hunt: test\/fixtures\/intel\/nope\.csv: error: The file does not exist/);
    assert.equal((JSON.parse(result.stdout) as unknown[]).length, 1);
  });

  test('bad rows are named on stderr and the rest loads', () => {
    const dir = hunts({ 'ok.kql': 'CommonSecurityLog | take 1' });
    const result = run('lint', '--intel', 'test/fixtures/intel/bad/columns.csv', dir);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /kql-hunt: test\/fixtures\/intel\/bad\/columns\.csv:3: warning: Row skipped: it has 10 fields, but the header names 14 columns\./);
  });

  test('staleness options are checked', () => {
    const dir = hunts({ 'old.kql': 'DeviceNetworkEvents\n| where RemoteIP in ("5.39.216.137", "5.175.215.102")\n| project Timestamp, RemoteIP, RemotePort' });
    const aged = JSON.parse(run('lint', '--format', 'json', '--max-age-days', '30', dir).stdout) as { code: string }[];
    assert.ok(aged.some((finding) => finding.code === 'stale-indicator'));
    const invalid = run('lint', '--min-confidence', '120', dir);
    assert.equal(invalid.status, 2);
    assert.match(invalid.stderr, /Invalid --min-confidence '120'; use a whole number from 0 to 100/);
  });
});

describe('kql-hunt hunt --intel', () => {
  test('prints a domain hunt for a loaded family', () => {
    const result = run('hunt', '--intel', FULL, '--family', 'Emotet', '--table', 'DnsEvents');
    assert.equal(result.status, 0, result.stderr);
    assert.equal(
      result.stdout,
      [
        '// Hunt in DnsEvents for known malicious domains',
        '// Source: ThreatFox - Emotet',
        '// Data connector: DNS',
        'let malicious_domains = dynamic(["emotet-c2.example"]);',
        'DnsEvents',
        '| where Name in~ (malicious_domains)',
        '| project TimeGenerated, Computer, ClientIP, Name, QueryType, IPAddresses',
        '| order by TimeGenerated desc',
        '',
      ].join('\n'),
    );
  });

  test('prints a hash hunt with exclusions', () => {
    const result = run('hunt', '--intel', FULL, '--family', 'agent tesla', '--table', 'DeviceFileEvents', '--with-exclusions', '--environment', 'defender');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /\| where MD5 in~ \(malicious_md5\) or SHA1 in~ \(malicious_sha1\) or SHA256 in~ \(malicious_sha256\)/);
    assert.equal(result.stdout.split('\n').filter((line) => line.startsWith('| where not(')).length, 3);
  });

  test('family from two sources merges into one hunt', () => {
    const result = run('hunt', '--intel', 'test/fixtures/intel/plain-list.txt', '--intel', 'test/fixtures/intel/threatfox-ipport.csv', '--family', 'Gafgyt', '--table', 'DeviceNetworkEvents');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /Source: IR ticket 4711 \+ ThreatFox - Gafgyt/);
    assert.match(result.stdout, /let malicious_ips = dynamic\(\["192\.0\.2\.44", "198\.51\.100\.9", "2001:db8::45", "2001:db8::44"\]\);/);
  });

  test('unsupported table lists the supported ones', () => {
    const result = run('hunt', '--intel', FULL, '--family', 'Emotet', '--table', 'SigninLogs');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /No hunt template for ThreatFox - Emotet over 'SigninLogs'\. Supported tables: CommonSecurityLog, DeviceNetworkEvents/);
  });

  test('built-in set can be left out', () => {
    const result = run('hunt', '--no-builtin-intel', '--family', 'Mirai', '--table', 'CommonSecurityLog');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /No loaded indicator set for family 'Mirai'\. Loaded: none\./);
  });
});

describe('kql-hunt intel list', () => {
  test('lists each source with its sets and problems', () => {
    const result = run('intel', 'list', '--intel', FULL, '--intel', 'test/fixtures/intel/bad/invalid-ip.csv');
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.equal(lines[0], 'built-in: loaded, 3 indicators');
    assert.ok(lines.includes('test/fixtures/intel/threatfox-full.csv: loaded, ThreatFox CSV export, 10 indicators'));
    assert.ok(lines.includes('  ThreatFox - Emotet: 3'));
    assert.ok(lines.includes("  test/fixtures/intel/bad/invalid-ip.csv:3: warning: Row skipped: '999.0.2.2:80' is not a valid ip:port."));
    // Mirai merges the built-in set and both files: 3 shared values plus 2 from invalid-ip.csv.
    assert.match(result.stdout, /^4 sets, 12 indicators loaded\.$/m);
    assert.equal(result.stderr, '');
  });

  test('json output carries the status', () => {
    const result = run('intel', 'list', '--format', 'json', '--intel', 'test/fixtures/intel/threatfox-api.json');
    const status = JSON.parse(result.stdout) as { sources: { name: string; format: string; families: string[] }[] };
    assert.deepEqual(status.sources[1], { ...status.sources[1], name: 'test/fixtures/intel/threatfox-api.json', format: 'threatfox-json', families: ['Mirai', 'Emotet', 'Agent Tesla'] });
  });

  test('failed file makes exit 2', () => {
    const result = run('intel', 'list', '--intel', 'test/fixtures/intel/bad/binary.csv');
    assert.equal(result.status, 2);
    assert.match(result.stdout, /test\/fixtures\/intel\/bad\/binary\.csv: failed, 0 indicators/);
    assert.match(result.stdout, /binary file, not a text feed/);
    // The listing shows the problem under its file, so stderr does not repeat it.
    assert.doesNotMatch(result.stderr, /binary file/);
  });

  test('unknown intel command is a usage error', () => {
    assert.equal(run('intel', 'show').status, 2);
    assert.equal(run('intel').status, 2);
  });
});
