import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { CLI_PATH, ROOT } from '../helpers/paths';

interface JsonFinding {
  file: string;
  range: { start: { line: number; character: number } };
  severity: string;
  code: string;
  message: string;
}

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI_PATH, ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kql-hunt-cli-schema-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const CORPUS = resolve(ROOT, 'bench', 'corpus');
const CORPUS_OPTIONS = ['--schema', join(CORPUS, 'schema', 'tables'), '--functions', join(CORPUS, 'schema', 'functions.json'), '--watchlists', join(CORPUS, 'schema', 'watchlists.json')];

describe('kql-hunt lint with a schema', () => {
  test('schema options make custom hunts clean', () => {
    const dir = tempDir({
      'Proxy_CL.csv': 'ColumnName,ColumnOrdinal,DataType,ColumnType\nTimeGenerated,0,System.DateTime,datetime\nUrl,1,System.String,string\n',
      'functions.json': JSON.stringify([{ name: 'Blocked', columns: { Url: 'string', Hits: 'long' } }]),
      'watchlists.json': JSON.stringify({ Domains: ['Domain'] }),
      'hunt.kql': 'Proxy_CL | where Url has "x"\n\nBlocked() | where Hits > 5\n\n_GetWatchlist("Domains") | project Domain',
    });
    const result = run('lint', '--format', 'json', '--schema', join(dir, 'Proxy_CL.csv'), '--functions', join(dir, 'functions.json'), '--watchlists', join(dir, 'watchlists.json'), join(dir, 'hunt.kql'));
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), []);
    assert.equal(result.stderr, '');
  });

  test('without the schema the same hunts fail', () => {
    const dir = tempDir({ 'hunt.kql': 'Blocked() | where Hits > 5' });
    const result = run('lint', '--format', 'json', dir);
    assert.equal(result.status, 1);
    assert.equal((JSON.parse(result.stdout) as JsonFinding[])[0].code, 'KS211');
  });

  test('schema problems name file, line and value', () => {
    const dir = tempDir({
      'tables.json': '{\n  "Good_CL": {"A": "string"},\n  "Odd_CL": {"B": "varchar"}\n}',
      'hunt.kql': 'Good_CL | project A\n\nOdd_CL | project B',
    });
    const result = run('lint', '--format', 'json', '--schema', join(dir, 'tables.json'), join(dir, 'hunt.kql'));
    assert.equal(result.status, 0);
    assert.deepEqual(JSON.parse(result.stdout), []);
    assert.match(result.stderr, /tables\.json:3: warning: Column 'B' of table 'Odd_CL' has unknown type 'varchar'/);
  });

  test('missing schema path exits 2 and still lints', () => {
    const dir = tempDir({ 'hunt.kql': 'SecurityEvent | project Nope' });
    const result = run('lint', '--format', 'json', '--schema', join(dir, 'absent'), join(dir, 'hunt.kql'));
    assert.equal(result.status, 2);
    assert.match(result.stderr, /absent: error: No such file or folder/);
    assert.equal((JSON.parse(result.stdout) as JsonFinding[]).length, 1);
  });

  test('unknown custom table is a warning, not a failure', () => {
    const dir = tempDir({ 'hunt.kql': 'Unknown_CL\n| where Field_s == "a"\n| project Field_s, Other' });
    const result = run('lint', '--format', 'json', dir);
    assert.equal(result.status, 0);
    const findings = JSON.parse(result.stdout) as JsonFinding[];
    assert.deepEqual(findings.map((finding) => [finding.code, finding.severity]), [['unknown-custom-table', 'warning']]);
  });
});

describe('hunt corpus', () => {
  test('corpus has no errors with its schema', () => {
    const result = run('lint', '--format', 'json', ...CORPUS_OPTIONS, CORPUS);
    assert.equal(result.stderr, '');
    const errors = (JSON.parse(result.stdout) as JsonFinding[]).filter((finding) => finding.severity === 'error');
    assert.deepEqual(errors, []);
    assert.equal(result.status, 0);
  });

  // One real typo per hunt family: each must be an error on the line that holds it.
  const TYPOS: [file: string, correct: string, typo: string][] = [
    ['sentinel-identity.kql', '| where ClientAppUsed in ("Exchange', '| where ClientAppUse in ("Exchange'],
    ['sentinel-windows.kql', '| where EventID == 1102', '| where EventId == 1102'],
    ['defender-device.kql', '| where FileName =~ "lsass.exe"', '| where FileNam =~ "lsass.exe"'],
    ['sentinel-network.kql', 'AZFWDnsQuery\n', 'AZFWDnsQuerys\n'],
    ['custom-tables.kql', '| where Elapsed > 2h', '| where Elapsd > 2h'],
    ['custom-tables.kql', '| where Result == "Success" and MfaUsed == false', '| where Result == "Success" and MfaUsd == false'],
    ['open-schema.kql', 'Bytes = sum(BytesSent_d) by SrcIp_s, DeviceVendor_s', 'Bytes = sum(BytesSnt_d) by SrcIp_s, DeviceVendor_s'],
    ['open-schema.kql', '| where Category == "SQLSecurityAuditEvents"\n| where succeeded_s', '| where Categroy == "SQLSecurityAuditEvents"\n| where succeeded_s'],
    ['watchlists.kql', '| project SearchKey, Owner, Tier, LastUpdatedTimeUTC', '| project SearchKey, Ownr, Tier, LastUpdatedTimeUTC'],
    ['asim.kql', '| project TimeGenerated, SrcIpAddr, DnsQuery, DnsResponseName', '| project TimeGenerated, SrcIpAddr, DnsQuery, DnsResponseNam'],
    ['defender-functions.kql', '| project SHA1, SHA256, GlobalPrevalence, GlobalFirstSeen', '| project SHA1, SHA256, GlobalPrevalance, GlobalFirstSeen'],
    ['user-functions.kql', '| where DstPort in (22, 3389)', '| where DestPort in (22, 3389)'],
    ['cross-service.kql', 'workspace("contoso-sentinel-us").SigninLogs', 'workspace("contoso-sentinel-us").SignInLogs'],
    ['mixed-environments.kql', '| where isnotempty(AccountUpn)', '| where isnotempty(AccountUPN)'],
  ];

  test('real typos in the corpus are errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kql-hunt-typos-'));
    cpSync(CORPUS, dir, { recursive: true });
    const expected: string[] = [];
    for (const [file, correct, typo] of TYPOS) {
      const path = join(dir, file);
      const text = readFileSync(path, 'utf8');
      assert.ok(text.includes(correct), `${file} no longer contains ${correct}`);
      writeFileSync(path, text.replace(correct, typo));
      const line = text.slice(0, text.indexOf(correct)).split('\n').length - 1;
      expected.push(`${file}:${line}`);
    }
    const options = CORPUS_OPTIONS.map((option) => option.replace(CORPUS, dir));
    const result = run('lint', '--format', 'json', ...options, dir);
    const errors = (JSON.parse(result.stdout) as JsonFinding[]).filter((finding) => finding.severity === 'error');
    const found = new Set(errors.map((error) => `${error.file.split(/[\\/]/).pop()}:${error.range.start.line}`));
    for (const location of expected) assert.ok(found.has(location), `no error at ${location}; errors: ${[...found].join(', ')}`);
    assert.equal(result.status, 1);
  });
});
