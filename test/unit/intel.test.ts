import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { classifyIndicator } from '../../server/src/engine/intel/classify';
import { defang, isDefanged, refang } from '../../server/src/engine/intel/defang';
import { builtInSets } from '../../server/src/engine/intel/intelFile';
import { parseHuntReport } from '../../server/src/engine/intel/loaders/report';
import { setAddresses } from '../../server/src/engine/intel/model';
import { IntelStore } from '../../server/src/engine/intel/store';
import { LoadProblem } from '../../server/src/engine/util/problems';

describe('defang and refang', () => {
  const reportValues: [string, string][] = [
    ['5[.]39[.]216[.]137:8083', '5.39.216.137:8083'],
    ['5[.]39[.]216[.]137:8082', '5.39.216.137:8082'],
    ['5[.]175[.]215[.]102:456', '5.175.215.102:456'],
  ];

  for (const [defanged, refanged] of reportValues) {
    test(`report value ${defanged} refangs`, () => {
      assert.equal(refang(defanged), refanged);
    });
    test(`report value ${refanged} defangs back`, () => {
      assert.equal(defang(refanged), defanged);
    });
  }

  test('every bracket style refangs', () => {
    assert.equal(refang('evil(.)example{.}com'), 'evil.example.com');
    assert.equal(refang('1.2.3.4[:]80'), '1.2.3.4:80');
    assert.equal(refang('hxxps://bad[.]site/x'), 'https://bad.site/x');
    assert.equal(refang('hxxp://bad[.]site'), 'http://bad.site');
    assert.equal(refang('user[at]bad[.]site'), 'user@bad.site');
  });

  test('url defangs scheme and host only', () => {
    assert.equal(defang('https://bad.site/a.php?x=1'), 'hxxps://bad[.]site/a.php?x=1');
  });

  test('hash is left alone', () => {
    const hash = 'd41d8cd98f00b204e9800998ecf8427e';
    assert.equal(defang(hash), hash);
    assert.equal(isDefanged(hash), false);
  });

  test('defanged value is recognised', () => {
    assert.equal(isDefanged('5[.]39[.]216[.]137'), true);
    assert.equal(isDefanged('5.39.216.137'), false);
  });
});

describe('indicator classification', () => {
  test('ip:port with its parts', () => {
    assert.deepEqual(classifyIndicator('5[.]39[.]216[.]137:8083'), { type: 'ip:port', value: '5.39.216.137:8083', ip: '5.39.216.137', port: 8083 });
  });

  test('IPv4 and IPv6 addresses', () => {
    assert.equal(classifyIndicator('5.175.215.102')?.type, 'ip');
    assert.equal(classifyIndicator('2001:db8::1')?.type, 'ip');
  });

  test('domain, url and hashes', () => {
    assert.equal(classifyIndicator('bad[.]example[.]com')?.type, 'domain');
    assert.equal(classifyIndicator('hxxp://bad[.]example[.]com/x')?.type, 'url');
    assert.equal(classifyIndicator('d41d8cd98f00b204e9800998ecf8427e')?.type, 'md5_hash');
    assert.equal(classifyIndicator('da39a3ee5e6b4b0d3255bfef95601890afd80709')?.type, 'sha1_hash');
    assert.equal(classifyIndicator('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')?.type, 'sha256_hash');
  });

  test('plain words are no indicator', () => {
    assert.equal(classifyIndicator('backup'), undefined);
    assert.equal(classifyIndicator('999.1.1.1'), undefined);
  });
});

describe('hunt report loader', () => {
  function load(text: string): { sets: ReturnType<typeof parseHuntReport>; problems: LoadProblem[] } {
    const problems: LoadProblem[] = [];
    return { sets: parseHuntReport('report.txt', text, problems), problems };
  }

  test('reads family, indicators and addresses', () => {
    const { sets, problems } = load(readFileSync('test/fixtures/reports/mirai-report.txt', 'utf8'));
    assert.deepEqual(problems, []);
    assert.equal(sets.length, 1);
    assert.equal(sets[0].family, 'Mirai');
    assert.equal(sets[0].source, 'ThreatFox');
    assert.equal(sets[0].indicators.length, 3);
    assert.deepEqual(setAddresses(sets[0]), ['5.39.216.137', '5.175.215.102']);
  });

  test('keeps each row context and line', () => {
    const { sets } = load(readFileSync('test/fixtures/reports/mirai-report.txt', 'utf8'));
    const first = sets[0].indicators[0];
    assert.equal(first.threatType, 'payload_delivery');
    assert.equal(first.firstSeen, '2026-06-14');
    assert.equal(first.confidence, 100);
    assert.equal(first.line, 6);
  });

  test('invalid row is reported with its line', () => {
    const { sets, problems } = load('Malware Family: X\n| Type | Value |\n|---|---|\n| ip:port | 999[.]1[.]1[.]1:80 |\n| ip | 1[.]2[.]3[.]4 |');
    assert.equal(sets[0].indicators.length, 1);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].line, 4);
    assert.match(problems[0].message, /999\[\.\]1\[\.\]1\[\.\]1:80/);
  });

  test('list address not in the table becomes an ip indicator', () => {
    const { sets } = load('Malware Family: X\n| Type | Value |\n|---|---|\n| ip | 1[.]2[.]3[.]4 |\nlet ips = dynamic(["1.2.3.4", "9.9.9.9"]);');
    assert.deepEqual(sets[0].indicators.map((indicator) => indicator.value), ['1.2.3.4', '9.9.9.9']);
  });

  test('report without a family is an error', () => {
    const { sets, problems } = load('| Type | Value |\n|---|---|\n| ip | 1[.]2[.]3[.]4 |');
    assert.equal(sets.length, 0);
    assert.equal(problems[0].severity, 'error');
  });

  const reportPath = resolve('..', 'shared', 'reference', 'threatfox-mirai-hunt-report.txt');
  test('specification report yields three indicators and two addresses', { skip: existsSync(reportPath) ? false : `not found: ${reportPath}` }, () => {
    const { sets, problems } = load(readFileSync(reportPath, 'utf8'));
    assert.deepEqual(problems, []);
    assert.equal(sets[0].family, 'Mirai');
    assert.equal(sets[0].indicators.length, 3);
    assert.equal(setAddresses(sets[0]).length, 2);
  });
});

describe('built-in indicator set', () => {
  test('is the ThreatFox Mirai set of three ip:port indicators', () => {
    const [set] = builtInSets();
    assert.equal(set.family, 'Mirai');
    assert.equal(set.source, 'ThreatFox');
    assert.deepEqual(set.indicators.map((indicator) => indicator.value), ['5.39.216.137:8083', '5.39.216.137:8082', '5.175.215.102:456']);
    for (const indicator of set.indicators) {
      assert.equal(indicator.threatType, 'payload_delivery');
      assert.equal(indicator.confidence, 100);
      assert.equal(indicator.firstSeen, '2026-06-14');
      assert.equal(indicator.malware, 'Mirai');
    }
  });

  test('store finds an ip:port indicator by its address, defanged or not', () => {
    const store = new IntelStore(builtInSets());
    assert.equal(store.lookup('5.39.216.137').length, 2);
    assert.equal(store.lookup('5[.]175[.]215[.]102').length, 1);
    assert.equal(store.lookup('8.8.8.8').length, 0);
  });
});
