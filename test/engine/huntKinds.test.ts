import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CodeAction } from 'vscode-languageserver-types';
import { codeActions } from '../../server/src/engine/codeActions';
import { generateHunt, huntableProfiles } from '../../server/src/engine/hunts/templates';
import { huntOptions, insertHunt } from '../../server/src/engine/insertHunt';
import { classifyIndicator } from '../../server/src/engine/intel/classify';
import { Indicator, IndicatorSet, IndicatorType } from '../../server/src/engine/intel/model';
import { Environment } from '../../server/src/engine/schema/types';
import { analyzeText, createTestEngine, documentOf, errorsOf, settings } from '../helpers/engine';

const engine = createTestEngine();
after(() => engine.dispose());

function indicators(type: IndicatorType, values: string[]): Indicator[] {
  return values.map((value) => {
    const classified = classifyIndicator(value, type);
    assert.ok(classified, `${value} is no indicator`);
    assert.equal(classified.type, type, `${value} is not a ${type}`);
    return { ...classified, confidence: 100, firstSeen: '2026-06-14' };
  });
}

function set(family: string, entries: Indicator[]): IndicatorSet {
  return { family, source: 'Test feed', origin: 'test', indicators: entries };
}

// One set per indicator type and one with every type. No value is in two sets, so each hunt
// contains complete lists.
const SETS: IndicatorSet[] = [
  set('IpPort', indicators('ip:port', ['192.0.2.10:8080', '192.0.2.11:23', '[2001:db8::10]:443'])),
  set('Ip', indicators('ip', ['198.51.100.10', '2001:db8::11'])),
  set('Domain', indicators('domain', ['c2-one.example', 'c2-two.example'])),
  set('Url', indicators('url', ['http://drop.example/a.bin', 'https://drop.example/b?x=1'])),
  set('Md5', indicators('md5_hash', ['0cc175b9c0f1b6a831c399e269772661'])),
  set('Sha1', indicators('sha1_hash', ['86f7e437faa5a7fce15d1ddcb9eaeaea377667b8'])),
  set('Sha256', indicators('sha256_hash', ['ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb'])),
  set('Mixed', [
    ...indicators('ip:port', ['203.0.113.20:4444']),
    ...indicators('domain', ['mixed.example']),
    ...indicators('url', ['http://mixed-drop.example/x']),
    ...indicators('md5_hash', ['92eb5ffee6ae2fec3ad71c777531578f']),
    ...indicators('sha256_hash', ['3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d']),
  ]),
];

before(() => engine.setIntel(SETS));

function tablesOf(family: string): string[] {
  return huntableProfiles(SETS.find((candidate) => candidate.family === family)!, engine.catalog).map((profile) => profile.table);
}

describe('hunts for every indicator type', () => {
  test('each type maps to its tables', () => {
    assert.deepEqual(tablesOf('IpPort'), ['CommonSecurityLog', 'DeviceNetworkEvents', 'DeviceEvents', 'DeviceProcessEvents', 'ASimWebSessionLogs', 'ASimNetworkSessionLogs', 'AZFWNetworkRule', 'Syslog']);
    assert.deepEqual(tablesOf('Domain'), ['CommonSecurityLog', 'DeviceNetworkEvents', 'DeviceEvents', 'DeviceFileEvents', 'EmailUrlInfo', 'UrlClickEvents', 'DnsEvents', 'ASimDnsActivityLogs', 'ASimWebSessionLogs', 'AZFWApplicationRule', 'AZFWDnsQuery', 'ASimNetworkSessionLogs']);
    assert.deepEqual(tablesOf('Url'), ['CommonSecurityLog', 'DeviceNetworkEvents', 'DeviceEvents', 'DeviceFileEvents', 'EmailUrlInfo', 'UrlClickEvents', 'ASimWebSessionLogs', 'AZFWApplicationRule']);
    assert.deepEqual(tablesOf('Sha256'), ['CommonSecurityLog', 'DeviceEvents', 'DeviceProcessEvents', 'DeviceFileEvents', 'DeviceImageLoadEvents', 'EmailAttachmentInfo', 'ASimFileEventLogs', 'ASimProcessEventLogs']);
    assert.ok(!tablesOf('Md5').includes('EmailAttachmentInfo'), 'EmailAttachmentInfo has no MD5 column');
  });

  test('hash hunt matches each hash column', () => {
    const mixed = SETS.find((candidate) => candidate.family === 'Mixed')!;
    const profile = huntableProfiles(mixed, engine.catalog).find((candidate) => candidate.table === 'DeviceFileEvents')!;
    const hunt = generateHunt({ set: mixed, profile, withExclusions: false, settings: settings(), catalog: engine.catalog });
    assert.match(hunt, /^\/\/ Hunt in DeviceFileEvents for known malicious domains, URLs and file hashes$/m);
    assert.match(hunt, /^let malicious_md5 = dynamic\(\["92eb5ffee6ae2fec3ad71c777531578f"\]\);$/m);
    assert.match(hunt, /\| where FileOriginUrl has_any \(malicious_domains\) or FileOriginUrl has_any \(malicious_urls\) or MD5 in~ \(malicious_md5\) or SHA256 in~ \(malicious_sha256\)/);
  });

  test('domain hunt compares host names and searches URLs', () => {
    const domains = SETS.find((candidate) => candidate.family === 'Domain')!;
    const profile = huntableProfiles(domains, engine.catalog).find((candidate) => candidate.table === 'CommonSecurityLog')!;
    const hunt = generateHunt({ set: domains, profile, withExclusions: false, settings: settings(), catalog: engine.catalog });
    assert.match(hunt, /\| where DestinationHostName in~ \(malicious_domains\) or RequestURL has_any \(malicious_domains\)/);
    assert.match(hunt, /\| project TimeGenerated, SourceIP, DestinationIP, DestinationPort, DeviceAction, Activity, DestinationHostName, RequestURL/);
  });

  for (const target of SETS) {
    for (const profile of huntableProfiles(target, engine.catalog)) {
      for (const environment of [undefined, ...engine.catalog.environmentsOf(profile.table)] as (Environment | undefined)[]) {
        for (const withExclusions of [false, true]) {
          test(`${target.family} over ${profile.table} in ${environment ?? 'its own environment'}${withExclusions ? ' with exclusions' : ''}`, async () => {
            const hunt = generateHunt({ set: target, profile, environment, withExclusions, settings: settings(), catalog: engine.catalog });
            const analysis = await analyzeText(engine, hunt, settings({ environment: environment ?? 'auto' }));
            assert.deepEqual(errorsOf(analysis), [], hunt);
            const codes = analysis.diagnostics.map((diagnostic) => String(diagnostic.code));
            if (withExclusions) assert.deepEqual(codes, [], hunt);
            else assert.ok(codes.every((code) => code.startsWith('missing-exclusion/')), `${codes.join(', ')}\n${hunt}`);
          });
        }
      }
    }
  }
});

describe('insert hunt for any family', () => {
  test('options list every set with its tables', () => {
    const options = huntOptions(engine);
    assert.deepEqual(options.map((option) => option.set), SETS.map((candidate) => `Test feed - ${candidate.family}`));
    const domain = options.find((option) => option.family === 'Domain')!;
    assert.ok(domain.tables.includes('DnsEvents'));
    assert.deepEqual(domain.tablesWithExclusions, ['DeviceNetworkEvents', 'DeviceEvents', 'DeviceFileEvents']);
  });

  test('source actions offer every set over every table', async () => {
    const document = documentOf('');
    const actions = await codeActions(engine, document, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, settings(), ['source']);
    const titles = actions.map((action: CodeAction) => action.title);
    for (const option of huntOptions(engine)) {
      for (const table of option.tables) assert.ok(titles.includes(`Insert hunt: ${option.set} over ${table}`), `${option.set} over ${table}`);
    }
    assert.ok(titles.includes('Insert hunt: Test feed - Sha256 over DeviceFileEvents with exclusions'));
    assert.ok(!titles.includes('Insert hunt: Test feed - Domain over DnsEvents with exclusions'), 'DnsEvents has no exclusions to add');
    const action = actions.find((candidate) => candidate.title === 'Insert hunt: Test feed - Url over UrlClickEvents')!;
    assert.deepEqual(action.command!.arguments, [{ uri: document.uri, set: 'Test feed - Url', table: 'UrlClickEvents', withExclusions: false, position: { line: 0, character: 0 } }]);
  });

  test('inserting by family name works for every type', async () => {
    for (const target of SETS) {
      const table = tablesOf(target.family)[0];
      const result = insertHunt(engine, documentOf(''), settings(), { set: target.family, table, withExclusions: true });
      assert.ok('hunt' in result, `${target.family} over ${table}: ${'error' in result ? result.error : ''}`);
      assert.deepEqual((await analyzeText(engine, result.hunt)).diagnostics, [], result.hunt);
    }
  });

  test('stale indicators are left out of the hunt', () => {
    const aged = set('Aged', [...indicators('domain', ['fresh.example']), { ...indicators('domain', ['old.example'])[0], confidence: 10 }]);
    engine.setIntel([...SETS, aged]);
    try {
      const result = insertHunt(engine, documentOf(''), settings(), { set: 'Aged', table: 'DnsEvents', withExclusions: false });
      assert.ok('hunt' in result, 'error' in result ? result.error : '');
      assert.match(result.hunt, /dynamic\(\["fresh\.example"\]\)/);
      const none = insertHunt(engine, documentOf(''), settings({ intel: { maxAgeDays: 1 } }), { set: 'Aged', table: 'DnsEvents', withExclusions: false });
      assert.ok('error' in none);
      assert.match(none.error, /that a hunt over DnsEvents matches are all stale/);
    } finally {
      engine.setIntel(SETS);
    }
  });
});

describe('exclusion advice by indicator type', () => {
  const hunt = (list: string): string => `DeviceProcessEvents\n| where Timestamp > ago(1d)\n| where ${list}\n| project Timestamp, DeviceName, ProcessCommandLine`;
  const exclusionCodes = async (text: string): Promise<string[]> =>
    (await analyzeText(engine, text)).diagnostics.map((diagnostic) => String(diagnostic.code)).filter((code) => code.startsWith('missing-exclusion/'));

  test('hash hunt gets no exclusion warnings', async () => {
    assert.deepEqual(await exclusionCodes(hunt('SHA256 in ("ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb")')), []);
  });

  test('domain hunt gets no exclusion warnings', async () => {
    assert.deepEqual(await exclusionCodes(hunt('ProcessCommandLine has_any ("c2-one.example", "c2-two.example")')), []);
  });

  test('address hunt still gets them', async () => {
    assert.ok((await exclusionCodes(hunt('ProcessCommandLine has_any ("198.51.100.10", "2001:db8::11")'))).length > 0);
  });
});
