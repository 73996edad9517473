import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { classifyIndicator } from '../../server/src/engine/intel/classify';
import { defang, isDefanged, refang } from '../../server/src/engine/intel/defang';
import { LoadedFile, loadIntelFile, loadIntelText } from '../../server/src/engine/intel/loaders/loadFile';
import { MAX_ROW_PROBLEMS } from '../../server/src/engine/intel/loaders/collect';
import { Indicator, IndicatorSet, setName } from '../../server/src/engine/intel/model';

const FIXTURES = 'test/fixtures/intel';

function set(loaded: LoadedFile, name: string): IndicatorSet {
  const found = loaded.sets.find((candidate) => setName(candidate) === name);
  assert.ok(found, `no set ${name} among ${loaded.sets.map(setName).join(', ')}`);
  return found;
}

function indicator(loaded: LoadedFile, value: string): Indicator {
  const found = loaded.sets.flatMap((candidate) => candidate.indicators).find((candidate) => candidate.value === value);
  assert.ok(found, `no indicator ${value}`);
  return found;
}

function values(target: IndicatorSet): string[] {
  return target.indicators.map((entry) => `${entry.type} ${entry.value}`);
}

describe('defang and refang of every type', () => {
  const cases: [type: string, refanged: string, defanged: string][] = [
    ['ip:port', '5.39.216.137:8083', '5[.]39[.]216[.]137:8083'],
    ['ip:port', '5.39.216.137:8082', '5[.]39[.]216[.]137:8082'],
    ['ip:port', '5.175.215.102:456', '5[.]175[.]215[.]102:456'],
    ['ip', '5.39.216.137', '5[.]39[.]216[.]137'],
    ['ip', '2001:db8::44', '2001[:]db8[:][:]44'],
    ['ip:port', '[2001:db8::44]:2323', '[2001[:]db8[:][:]44]:2323'],
    ['domain', 'emotet-c2.example', 'emotet-c2[.]example'],
    ['url', 'http://emotet-drop.example/load.php', 'hxxp://emotet-drop[.]example/load.php'],
    ['url', 'https://user@bad.example:8443/a.b?c=d.e', 'hxxps://user[at]bad[.]example:8443/a.b?c=d.e'],
    ['url', 'http://[2001:db8::1]:8080/x', 'hxxp://[2001[:]db8[:][:]1]:8080/x'],
    ['md5_hash', '44d88612fea8a8f36de82e1278abb02f', '44d88612fea8a8f36de82e1278abb02f'],
    ['sha1_hash', '3395856ce81f2b7382dee72602f798b642f14140', '3395856ce81f2b7382dee72602f798b642f14140'],
    ['sha256_hash', '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f', '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f'],
  ];

  for (const [type, refanged, defanged] of cases) {
    test(`${type} ${refanged} defangs and refangs`, () => {
      assert.equal(defang(refanged), defanged);
      assert.equal(refang(defanged), refanged);
      assert.equal(classifyIndicator(defanged)?.type, type);
      assert.equal(isDefanged(defanged), defanged !== refanged);
    });
  }

  test('other defang styles refang', () => {
    assert.equal(refang('bad(.)example{.}com'), 'bad.example.com');
    assert.equal(refang('bad[dot]example'), 'bad.example');
    assert.equal(refang('hXXps[:]//bad[.]example'), 'https://bad.example');
    assert.equal(refang('fxp://files[.]example'), 'ftp://files.example');
    assert.equal(refang('2001(:)db8(:)(:)1'), '2001:db8::1');
  });

  test('IPv6 brackets are not read as defanging', () => {
    assert.equal(isDefanged('[2001:db8::1]:443'), false);
    assert.equal(isDefanged('[::1]:80'), false);
  });
});

describe('ThreatFox CSV loader', () => {
  test('full export reads every family and type', async () => {
    const loaded = await loadIntelFile(`${FIXTURES}/threatfox-full.csv`);
    assert.equal(loaded.format, 'threatfox-csv');
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual(loaded.sets.map(setName), ['ThreatFox - Mirai', 'ThreatFox - Emotet', 'ThreatFox - Agent Tesla', 'ThreatFox - Unknown']);
    assert.deepEqual(values(set(loaded, 'ThreatFox - Emotet')), ['domain emotet-c2.example', 'url http://emotet-drop.example/load.php', 'ip:port 198.51.100.23:443']);
    assert.deepEqual(set(loaded, 'ThreatFox - Agent Tesla').indicators.map((entry) => entry.type), ['md5_hash', 'sha1_hash', 'sha256_hash']);
  });

  test('row context is read by header name', async () => {
    const loaded = await loadIntelFile(`${FIXTURES}/threatfox-full.csv`);
    const mirai = indicator(loaded, '5.175.215.102:456');
    assert.equal(mirai.ip, '5.175.215.102');
    assert.equal(mirai.port, 456);
    assert.equal(mirai.threatType, 'payload_delivery');
    assert.equal(mirai.malware, 'Mirai');
    assert.deepEqual(mirai.aliases, ['Katana']);
    assert.equal(mirai.firstSeen, '2026-06-14T09:12:46Z');
    assert.equal(mirai.lastSeen, '2026-06-20T10:00:00Z');
    assert.equal(mirai.confidence, 100);
    assert.equal(mirai.reference, 'https://example.org/mirai-writeup');
    assert.deepEqual(mirai.tags, ['mirai']);
    assert.equal(mirai.id, '1453003');
    assert.equal(mirai.line, 11);
  });

  test('None values are left out', async () => {
    const loaded = await loadIntelFile(`${FIXTURES}/threatfox-full.csv`);
    const domain = indicator(loaded, 'emotet-c2.example');
    assert.equal(domain.tags, undefined);
    assert.equal(domain.reference, undefined);
    assert.equal(domain.lastSeen, undefined);
    assert.deepEqual(domain.aliases, ['Geodo', 'Heodo']);
  });

  test('Unknown malware goes to the Unknown family', async () => {
    const loaded = await loadIntelFile(`${FIXTURES}/threatfox-full.csv`);
    assert.deepEqual(values(set(loaded, 'ThreatFox - Unknown')), ['ip:port 203.0.113.77:8080']);
  });

  test('recent export reads is_compromised', async () => {
    const loaded = await loadIntelFile(`${FIXTURES}/threatfox-recent.csv`);
    assert.deepEqual(loaded.problems, []);
    assert.equal(indicator(loaded, 'compromised-shop.example').compromised, true);
    assert.equal(indicator(loaded, '5.39.216.137:8083').compromised, false);
    assert.equal(indicator(loaded, 'https://compromised-shop.example/wp-content/update.js#x').type, 'url');
  });

  test('ip:port export reads IPv4 and IPv6', async () => {
    const loaded = await loadIntelFile(`${FIXTURES}/threatfox-ipport.csv`);
    assert.deepEqual(values(set(loaded, 'ThreatFox - Gafgyt')), ['ip:port 192.0.2.44:2323', 'ip:port [2001:db8::44]:2323']);
    assert.equal(indicator(loaded, '[2001:db8::44]:2323').ip, '2001:db8::44');
  });

  test('header without # is read', async () => {
    const loaded = await loadIntelFile(`${FIXTURES}/threatfox-plainheader.csv`);
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual(values(set(loaded, 'ThreatFox - Gafgyt')), ['ip:port 192.0.2.44:2323', 'domain bad-gafgyt.example']);
    assert.equal(indicator(loaded, '192.0.2.44:2323').confidence, 75);
  });

  test('file without header uses the column order', async () => {
    const loaded = await loadIntelFile(`${FIXTURES}/threatfox-noheader.csv`);
    assert.deepEqual(values(set(loaded, 'ThreatFox - Gafgyt')), ['ip:port 192.0.2.44:2323']);
    assert.equal(loaded.problems.length, 1);
    assert.match(loaded.problems[0].message, /No header line found/);
  });

  test('CRLF line endings and a byte order mark load', async () => {
    const text = '\uFEFF# "ioc_value","ioc_type","malware_printable"\r\n"192.0.2.7:80", "ip:port", "Mirai"\r\n"192.0.2.8:80", "ip:port", "Mirai"\r\n';
    const loaded = await loadIntelText('crlf.csv', text);
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual(values(loaded.sets[0]), ['ip:port 192.0.2.7:80', 'ip:port 192.0.2.8:80']);
    assert.equal(loaded.sets[0].indicators[1].line, 3);
  });
});

describe('ThreatFox JSON loader', () => {
  test('API response reads ioc and every tags shape', async () => {
    const loaded = await loadIntelFile(`${FIXTURES}/threatfox-api.json`);
    assert.equal(loaded.format, 'threatfox-json');
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual(loaded.sets.map(setName), ['ThreatFox - Mirai', 'ThreatFox - Emotet', 'ThreatFox - Agent Tesla']);
    assert.deepEqual(indicator(loaded, '5.39.216.137:8083').tags, ['elf', 'mirai']);
    assert.equal(indicator(loaded, 'emotet-c2.example').tags, undefined);
    assert.deepEqual(indicator(loaded, '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f').tags, ['exe', 'agenttesla']);
  });

  test('API response keeps dates, confidence and lines', async () => {
    const loaded = await loadIntelFile(`${FIXTURES}/threatfox-api.json`);
    const domain = indicator(loaded, 'emotet-c2.example');
    assert.equal(domain.firstSeen, '2026-06-10T11:00:00Z');
    assert.equal(domain.lastSeen, '2026-06-12T11:00:00Z');
    assert.equal(domain.confidence, 75);
    assert.equal(domain.reference, 'https://example.org/emotet');
    assert.equal(domain.id, '1452001');
    assert.equal(domain.line, 22);
  });

  test('export file keyed by IOC id reads ioc_value', async () => {
    const loaded = await loadIntelFile(`${FIXTURES}/threatfox-export.json`);
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual(values(set(loaded, 'ThreatFox - Mirai')), ['ip:port 5.39.216.137:8083', 'ip:port 5.175.215.102:456']);
    assert.deepEqual(indicator(loaded, 'http://emotet-drop.example/load.php').tags, ['emotet']);
    assert.deepEqual(indicator(loaded, '5.39.216.137:8083').tags, ['elf', 'mirai']);
    assert.equal(indicator(loaded, '5.175.215.102:456').line, 20);
  });

  test('byte order mark is skipped', async () => {
    const loaded = await loadIntelText('bom.json', '\uFEFF[{"ioc": "bad.example", "ioc_type": "domain", "malware_printable": "Emotet"}]');
    assert.deepEqual(loaded.problems, []);
    assert.equal(loaded.sets[0].indicators.length, 1);
  });

  test('bare array of records loads', async () => {
    const loaded = await loadIntelText('records.json', '[{"ioc": "bad.example", "ioc_type": "domain", "malware_printable": "Emotet"}]');
    assert.deepEqual(values(set(loaded, 'ThreatFox - Emotet')), ['domain bad.example']);
  });

  test('API error status is reported', async () => {
    const loaded = await loadIntelText('api.json', '{"query_status": "no_result", "data": "Your search did not yield any results"}');
    assert.equal(loaded.sets.length, 0);
    assert.match(loaded.problems[0].message, /query_status 'no_result'/);
  });
});

describe('plain list loader', () => {
  test('reads defanged and plain values of every type', async () => {
    const loaded = await loadIntelFile(`${FIXTURES}/plain-list.txt`);
    assert.equal(loaded.format, 'plain-list');
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual(values(set(loaded, 'IR ticket 4711 - Gafgyt')), [
      'ip 192.0.2.44',
      'ip:port 198.51.100.9:23',
      'domain bad-gafgyt.example',
      'url http://bad-gafgyt.example/bins/x86',
      'ip 2001:db8::45',
      'md5_hash d41d8cd98f00b204e9800998ecf8427e',
    ]);
  });

  test('comment lines set the context', async () => {
    const loaded = await loadIntelFile(`${FIXTURES}/plain-list.txt`);
    const entry = indicator(loaded, '192.0.2.44');
    assert.equal(entry.threatType, 'botnet_cc');
    assert.equal(entry.confidence, 80);
    assert.equal(entry.line, 6);
  });

  test('file name is the family without a family line', async () => {
    const loaded = await loadIntelText('team/emotet-c2.txt', '192.0.2.9\nnot an indicator\n');
    assert.deepEqual(loaded.sets.map(setName), ['Plain list - emotet-c2']);
    assert.equal(loaded.problems.length, 1);
    assert.equal(loaded.problems[0].line, 2);
    assert.match(loaded.problems[0].message, /'not an indicator' is not an IP address/);
  });
});

describe('hunt report loader', () => {
  test('report with hashes and a domain', async () => {
    const loaded = await loadIntelFile(`${FIXTURES}/hashes-report.txt`);
    assert.equal(loaded.format, 'hunt-report');
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual(values(set(loaded, 'ThreatFox - Agent Tesla')), [
      'md5_hash 44d88612fea8a8f36de82e1278abb02f',
      'sha256_hash 275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
      'domain tesla-exfil.example',
    ]);
  });

  test('own Mirai report fixture yields the report facts', async () => {
    const loaded = await loadIntelFile('test/fixtures/reports/mirai-report.txt');
    const mirai = set(loaded, 'ThreatFox - Mirai');
    assert.equal(mirai.indicators.length, 3);
    assert.deepEqual([...new Set(mirai.indicators.map((entry) => entry.ip))], ['5.39.216.137', '5.175.215.102']);
  });

  const reportPath = resolve('..', 'shared', 'reference', 'threatfox-mirai-hunt-report.txt');
  test('reference report through the file loader', { skip: existsSync(reportPath) ? false : `the reference report is not at ${reportPath}` }, async () => {
    const loaded = await loadIntelText('threatfox-mirai-hunt-report.txt', readFileSync(reportPath, 'utf8'));
    assert.equal(loaded.format, 'hunt-report');
    assert.deepEqual(loaded.problems, []);
    const mirai = set(loaded, 'ThreatFox - Mirai');
    assert.equal(mirai.family, 'Mirai');
    assert.equal(mirai.indicators.length, 3);
    assert.deepEqual([...new Set(mirai.indicators.map((entry) => entry.ip))], ['5.39.216.137', '5.175.215.102']);
  });
});

describe('bad indicator files', () => {
  const bad = (name: string): Promise<LoadedFile> => loadIntelFile(`${FIXTURES}/bad/${name}`);

  test('malformed JSON keeps the records before the error', async () => {
    const loaded = await bad('malformed.json');
    assert.deepEqual(values(loaded.sets[0]), ['ip:port 192.0.2.1:80']);
    assert.equal(loaded.problems.length, 1);
    assert.equal(loaded.problems[0].severity, 'error');
    assert.equal(loaded.problems[0].line, 5);
    assert.match(loaded.problems[0].message, /Invalid JSON: unexpected "ioc_type"/);
  });

  test('truncated JSON keeps the complete records', async () => {
    const loaded = await bad('truncated.json');
    assert.deepEqual(values(loaded.sets[0]), ['ip:port 192.0.2.1:80', 'ip:port 192.0.2.2:80']);
    assert.match(loaded.problems[0].message, /truncated/);
  });

  test('JSON missing its closing brackets is truncated', async () => {
    const loaded = await loadIntelText('cut.json', '{"1": [{"ioc_value": "192.0.2.1:80", "ioc_type": "ip:port"}]');
    assert.equal(loaded.sets[0].indicators.length, 1);
    assert.match(loaded.problems[0].message, /ends before its closing brackets/);
  });

  test('truncated CSV keeps the complete rows', async () => {
    const loaded = await bad('truncated.csv');
    assert.deepEqual(values(loaded.sets[0]), ['ip:port 192.0.2.1:80']);
    assert.equal(loaded.problems.length, 1);
    assert.equal(loaded.problems[0].line, 3);
    assert.match(loaded.problems[0].message, /Quote Not Closed/);
  });

  test('empty file is one error', async () => {
    const loaded = await bad('empty.csv');
    assert.equal(loaded.sets.length, 0);
    assert.deepEqual(loaded.problems.map((problem) => problem.message), ['The file is empty; it contains no indicators.']);
  });

  test('binary and compressed files are named as such', async () => {
    assert.match((await bad('binary.csv')).problems[0].message, /binary file/);
    assert.match((await bad('export.zip')).problems[0].message, /ZIP archive; extract/);
  });

  test('rows with missing or extra fields are skipped', async () => {
    const loaded = await bad('columns.csv');
    assert.deepEqual(values(loaded.sets[0]), ['ip:port 192.0.2.1:80', 'ip:port 192.0.2.4:80']);
    assert.deepEqual(
      loaded.problems.map((problem) => `${problem.line}: ${problem.message}`),
      ['3: Row skipped: it has 10 fields, but the header names 14 columns.', '4: Row skipped: it has 15 fields, but the header names 14 columns.'],
    );
  });

  test('header missing the value column is an error', async () => {
    const loaded = await loadIntelText('odd.csv', '# "first_seen_utc","ioc_type"\n"2026-06-14 09:12:44", "ip:port"\n');
    assert.equal(loaded.sets.length, 0);
    assert.match(loaded.problems[0].message, /names no ioc_value column/);
  });

  test('invalid addresses, dates and confidence name their line', async () => {
    const loaded = await bad('invalid-ip.csv');
    assert.deepEqual(values(loaded.sets[0]), ['ip:port 192.0.2.1:80', 'ip:port 192.0.2.4:80']);
    assert.deepEqual(
      loaded.problems.map((problem) => [problem.line, problem.value]),
      [
        [3, '999.0.2.2:80'],
        [4, '192.0.2.3:99999'],
        [5, 'not a date'],
        [5, 'high'],
      ],
    );
  });

  test('unsupported indicator type is named', async () => {
    const loaded = await loadIntelText('types.json', '[{"ioc": "a@b.example", "ioc_type": "envelope_from", "malware_printable": "X"}]');
    assert.match(loaded.problems[0].message, /indicator type 'envelope_from' of 'a@b.example' is not supported/);
  });

  test('many bad rows are summarised', async () => {
    const rows = Array.from({ length: 50 }, (_, index) => `"999.0.0.${index}:80", "ip:port", "Mirai"`);
    const loaded = await loadIntelText('many.csv', `# "ioc_value","ioc_type","malware_printable"\n${rows.join('\n')}\n"192.0.2.1:80", "ip:port", "Mirai"\n`);
    assert.equal(loaded.sets[0].indicators.length, 1);
    assert.equal(loaded.problems.length, MAX_ROW_PROBLEMS + 1);
    assert.match(loaded.problems[MAX_ROW_PROBLEMS].message, /^30 more rows had problems/);
    assert.equal(loaded.problems[MAX_ROW_PROBLEMS].line, MAX_ROW_PROBLEMS + 2);
  });

  test('repeats within a file load once', async () => {
    const loaded = await loadIntelText('twice.txt', '# family: X\n192.0.2.1\n192[.]0[.]2[.]1\n');
    assert.equal(loaded.sets[0].indicators.length, 1);
    assert.match(loaded.problems[0].message, /1 indicator appears more than once/);
    assert.equal(loaded.problems[0].line, 3);
  });

  test('missing file is an error, not a crash', async () => {
    const loaded = await loadIntelFile(`${FIXTURES}/bad/does-not-exist.csv`);
    assert.match(loaded.problems[0].message, /Cannot read the indicator file: the file does not exist/);
  });
});
