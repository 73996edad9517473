import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { huntProfile } from '../../server/src/engine/hunts/huntProfiles';
import { buildSnippets } from '../../server/src/engine/hunts/snippets';
import { generateHunt, huntableProfiles } from '../../server/src/engine/hunts/templates';
import { builtInSets } from '../../server/src/engine/intel/intelFile';
import { Catalog } from '../../server/src/engine/schema/catalog';
import { DEFAULT_SETTINGS } from '../../server/src/engine/settings';
import { commentLines, CONNECTOR_COMMENTS, GENERATED_COMMONSECURITYLOG_HUNT, queryLines, REPORT_COMMONSECURITYLOG_HUNT, REPORT_DEVICENETWORKEVENTS_HUNT } from '../helpers/reportHunts';
import snippetFile from '../../snippets/kql.json';

const catalog = Catalog.builtIn();
const [mirai] = builtInSets();

function hunt(table: string, withExclusions = false): string {
  return generateHunt({ set: mirai, profile: huntProfile(table)!, withExclusions, settings: DEFAULT_SETTINGS, catalog });
}

describe('hunt templates', () => {
  test('CommonSecurityLog hunt has the report query lines', () => {
    assert.deepEqual(queryLines(hunt('CommonSecurityLog')), queryLines(REPORT_COMMONSECURITYLOG_HUNT));
  });

  // The report's two comment lines stay first; the hunt adds one line naming the data connectors.
  test('CommonSecurityLog hunt keeps the report comments', () => {
    const comments = commentLines(hunt('CommonSecurityLog'));
    assert.deepEqual(comments.slice(0, 2), commentLines(REPORT_COMMONSECURITYLOG_HUNT));
    assert.equal(comments[2], CONNECTOR_COMMENTS.CommonSecurityLog);
    assert.equal(comments.length, 3);
    assert.equal(hunt('CommonSecurityLog'), GENERATED_COMMONSECURITYLOG_HUNT);
  });

  test('DeviceNetworkEvents hunt has the report query lines', () => {
    assert.deepEqual(queryLines(hunt('DeviceNetworkEvents')), queryLines(REPORT_DEVICENETWORKEVENTS_HUNT));
  });

  test('DeviceNetworkEvents hunt keeps the report comment and names the set', () => {
    const comments = commentLines(hunt('DeviceNetworkEvents'));
    assert.equal(comments[0], commentLines(REPORT_DEVICENETWORKEVENTS_HUNT)[0]);
    assert.equal(comments[1], '// Source: ThreatFox - Mirai');
    assert.equal(comments[2], CONNECTOR_COMMENTS.DeviceNetworkEvents);
    assert.equal(comments.length, 3);
  });

  test('hunt in Sentinel uses TimeGenerated', () => {
    const text = generateHunt({ set: mirai, profile: huntProfile('DeviceNetworkEvents')!, environment: 'sentinel', withExclusions: false, settings: DEFAULT_SETTINGS, catalog });
    assert.match(text, /\| project TimeGenerated,/);
    assert.match(text, /\| order by TimeGenerated desc$/);
  });

  test('exclusions go between the match and the projection', () => {
    const lines = hunt('DeviceNetworkEvents', true).split('\n');
    const match = lines.indexOf('| where RemoteIP in (malicious_ips)');
    const project = lines.findIndex((line) => line.startsWith('| project'));
    assert.equal(project - match - 1, 5);
    for (const line of lines.slice(match + 1, project)) assert.match(line, /^\| where not\(/);
  });

  test('CommonSecurityLog hunt has no exclusions to add', () => {
    assert.equal(hunt('CommonSecurityLog', true), hunt('CommonSecurityLog'));
  });

  test('Mirai set can be hunted on the two report tables', () => {
    const tables = huntableProfiles(mirai, catalog).map((profile) => profile.table);
    assert.ok(tables.includes('CommonSecurityLog'));
    assert.ok(tables.includes('DeviceNetworkEvents'));
  });

  test('hunts come from the loaded set, not fixed text', () => {
    const other = { ...mirai, family: 'Gafgyt', indicators: [{ type: 'ip' as const, value: '203.0.113.9', ip: '203.0.113.9' }] };
    const text = generateHunt({ set: other, profile: huntProfile('CommonSecurityLog')!, withExclusions: false, settings: DEFAULT_SETTINGS, catalog });
    assert.match(text, /dynamic\(\["203\.0\.113\.9"\]\)/);
    assert.match(text, /Source: ThreatFox - Gafgyt/);
  });

  test('committed snippets equal the generated ones', () => {
    assert.deepEqual(snippetFile, JSON.parse(JSON.stringify(buildSnippets(builtInSets(), catalog))));
  });

  test('snippets hold the report hunts', () => {
    const bodies = Object.values(snippetFile).map((snippet) => snippet.body.join('\n'));
    assert.ok(bodies.includes(GENERATED_COMMONSECURITYLOG_HUNT.replace(/\$/g, '\\$')));
    assert.ok(bodies.some((body) => queryLines(body).join('\n') === queryLines(REPORT_DEVICENETWORKEVENTS_HUNT).join('\n')));
  });
});
