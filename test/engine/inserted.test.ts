import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { TextEdit } from 'vscode-languageserver-types';
import { codeActions } from '../../server/src/engine/codeActions';
import { splitBlocks } from '../../server/src/engine/blocks';
import { scenarioApplicability } from '../../server/src/engine/hunts/exclusions';
import { TABLE_ROLES } from '../../server/src/engine/hunts/tableRoles';
import { generateHunt, huntableProfiles } from '../../server/src/engine/hunts/templates';
import { insertHunt } from '../../server/src/engine/insertHunt';
import { builtInSets } from '../../server/src/engine/intel/intelFile';
import { Environment, TIME_COLUMNS } from '../../server/src/engine/schema/types';
import snippetFile from '../../snippets/kql.json';
import { analyzeText, applyEdits, createTestEngine, documentOf, errorsOf, settings } from '../helpers/engine';

const engine = createTestEngine();
after(() => engine.dispose());

// Every text the product inserts must analyse without errors against the catalog.

describe('inserted hunts analyse cleanly', () => {
  for (const set of builtInSets()) {
    for (const profile of huntableProfiles(set, engine.catalog)) {
      for (const environment of [undefined, 'sentinel', 'defender'] as (Environment | undefined)[]) {
        if (environment && !engine.catalog.table(profile.table, environment)) continue;
        for (const withExclusions of [false, true]) {
          const name = `${set.family} over ${profile.table} in ${environment ?? 'its own environment'}${withExclusions ? ' with exclusions' : ''}`;
          test(name, async () => {
            const hunt = generateHunt({ set, profile, environment, withExclusions, settings: settings(), catalog: engine.catalog });
            const analysis = await analyzeText(engine, hunt, settings({ environment: environment ?? 'auto' }));
            assert.deepEqual(errorsOf(analysis), [], hunt);
            if (withExclusions) assert.deepEqual(analysis.diagnostics.map((diagnostic) => diagnostic.code), [], hunt);
          });
        }
      }
    }
  }

  test('snippet bodies analyse cleanly', async () => {
    for (const [name, snippet] of Object.entries(snippetFile)) {
      const body = snippet.body.join('\n').replace(/\\([$}\\])/g, '$1');
      const text = name.startsWith('False-positive') ? `let malicious_ips = dynamic(["5.39.216.137"]);\nDeviceNetworkEvents\n| where RemoteIP in (malicious_ips)\n${body}` : body;
      assert.deepEqual(errorsOf(await analyzeText(engine, text)), [], name);
    }
  });
});

/** A small hunt over any table with role columns, for the quick-fix tests. */
function huntOver(table: string, environment: Environment): string {
  const roles = TABLE_ROLES[table];
  const match = roles.remoteIp ? `${roles.remoteIp} in (malicious_ips)` : `${roles.commandLine ?? roles.processFileName} has_any (malicious_ips)`;
  const columns = new Set([TIME_COLUMNS[environment], ...Object.values(roles)]);
  const hasTime = engine.catalog.table(table, environment)!.columns.some((column) => column.name === TIME_COLUMNS[environment]);
  if (!hasTime) columns.delete(TIME_COLUMNS[environment]);
  return [
    '// Quick-fix test hunt',
    'let malicious_ips = dynamic(["5.39.216.137", "5.175.215.102"]);',
    table,
    `| where ${match}`,
    `| project ${[...columns].join(', ')}`,
  ].join('\n');
}

describe('exclusion quick fixes analyse cleanly', () => {
  for (const table of Object.keys(TABLE_ROLES)) {
    for (const environment of engine.catalog.environmentsOf(table)) {
      const applicable = scenarioApplicability(table, environment, engine.catalog, settings()).filter((entry) => !entry.reason);
      for (const { scenario } of applicable) {
        test(`${scenario.id} on ${table} in ${environment}`, async () => {
          const text = huntOver(table, environment);
          const options = settings({ environment });
          const document = documentOf(text);
          const before = await engine.analyzeDocument(document, options);
          const diagnostic = before.diagnostics.find((candidate) => candidate.code === `missing-exclusion/${scenario.id}`);
          assert.ok(diagnostic, `no ${scenario.id} warning on:\n${text}`);

          const actions = await codeActions(engine, document, diagnostic.range, options, ['quickfix']);
          const fix = actions.find((action) => action.title === `Add exclusion for ${scenario.id}`);
          assert.ok(fix, `no quick fix among ${actions.map((action) => action.title).join(', ')}`);
          const fixed = applyEdits(text, fix.edit!.changes![document.uri] as TextEdit[]);
          const after = await analyzeText(engine, fixed, options);
          assert.deepEqual(errorsOf(after), [], fixed);
          assert.ok(!after.diagnostics.some((candidate) => candidate.code === `missing-exclusion/${scenario.id}`), fixed);
          assert.equal(after.diagnostics.length, before.diagnostics.length - 1, fixed);
        });
      }
    }
  }

  test('one-line hunt gets its exclusion inline', async () => {
    const text = 'let malicious_ips = dynamic(["5.39.216.137", "5.175.215.102"]); DeviceNetworkEvents | where RemoteIP in (malicious_ips) | project Timestamp, RemoteIP, RemotePort';
    const document = documentOf(text);
    const before = await engine.analyzeDocument(document, settings());
    const actions = await codeActions(engine, document, before.diagnostics[0].range, settings(), ['quickfix']);
    const all = actions.find((action) => action.title === 'Add all missing exclusions to this hunt')!;
    const fixed = applyEdits(text, all.edit!.changes![document.uri] as TextEdit[]);
    assert.equal(fixed.split('\n').length, 1);
    assert.deepEqual((await analyzeText(engine, fixed)).diagnostics, [], fixed);
  });

  test('exclusion keeps the indentation of the pipe lines', async () => {
    const text = 'let malicious_ips = dynamic(["5.39.216.137", "5.175.215.102"]);\nDeviceNetworkEvents\n    | where RemoteIP in (malicious_ips)\n    | summarize count() by DeviceName';
    const document = documentOf(text);
    const before = await engine.analyzeDocument(document, settings());
    const actions = await codeActions(engine, document, before.diagnostics[0].range, settings(), ['quickfix']);
    const fixed = applyEdits(text, actions.find((action) => action.title === 'Add exclusion for tar-backup')!.edit!.changes![document.uri] as TextEdit[]);
    assert.equal(fixed.split('\n')[3], '    | where not(InitiatingProcessCommandLine has_any ("/bin/tar", "/usr/bin/tar") and InitiatingProcessCommandLine has "backup")');
    assert.match(fixed.split('\n')[4], /^ {4}\| summarize/);
  });

  test('typo quick fix replaces the name', async () => {
    const text = 'DeviceNetworkEvents\n| project RemotePrt';
    const document = documentOf(text);
    const before = await engine.analyzeDocument(document, settings());
    const actions = await codeActions(engine, document, before.diagnostics[0].range, settings(), ['quickfix']);
    const fix = actions.find((action) => action.title === "Change to 'RemotePort'")!;
    const fixed = applyEdits(text, fix.edit!.changes![document.uri] as TextEdit[]);
    assert.equal(fixed, 'DeviceNetworkEvents\n| project RemotePort');
    assert.deepEqual((await analyzeText(engine, fixed)).diagnostics, []);
  });

  test('suppression quick fix silences the line', async () => {
    const text = 'let malicious_ips = dynamic(["5.39.216.137"]);\nDeviceNetworkEvents\n| where RemoteIP in (malicious_ips)';
    const document = documentOf(text);
    const before = await engine.analyzeDocument(document, settings());
    const target = before.diagnostics.find((diagnostic) => diagnostic.code === 'missing-exclusion/nmap-internal-scan')!;
    const actions = await codeActions(engine, document, target.range, settings(), ['quickfix']);
    const fix = actions.find((action) => action.title === 'Disable missing-exclusion/nmap-internal-scan for this line')!;
    const fixed = applyEdits(text, fix.edit!.changes![document.uri] as TextEdit[]);
    const after = await analyzeText(engine, fixed);
    assert.equal(after.diagnostics.length, before.diagnostics.length - 1);
  });
});

describe('hunt insertion', () => {
  const existing = '// First hunt\nDeviceNetworkEvents\n| where RemotePort == 23\n\n| take 10\n\n// Second hunt\nCommonSecurityLog\n| take 10\n';

  function insertAt(line: number, character: number, text = existing): string {
    const document = documentOf(text);
    const result = insertHunt(engine, document, settings(), { table: 'DeviceNetworkEvents', withExclusions: false, position: { line, character } });
    assert.ok(!('error' in result));
    return applyEdits(text, [result.edit]);
  }

  for (const [line, character] of [[0, 0], [2, 5], [3, 0], [4, 3], [5, 0], [7, 4], [8, 9]]) {
    test(`cursor at ${line}:${character} never splits a hunt`, () => {
      const before = splitBlocks(existing).map((block) => block.text);
      const after = splitBlocks(insertAt(line, character)).map((block) => block.text);
      assert.equal(after.length, before.length + 1);
      for (const text of before) assert.ok(after.includes(text), `lost block:\n${text}`);
    });
  }

  test('hunt is separated by blank lines', () => {
    const result = insertAt(2, 5);
    assert.match(result, /\| take 10\n\n\/\/ Hunt in Defender/);
    assert.match(result, /order by Timestamp desc\n\n\/\/ Second hunt/);
  });

  test('empty document gets just the hunt', () => {
    const result = insertAt(0, 0, '');
    assert.equal(splitBlocks(result).length, 1);
    assert.ok(result.startsWith('// Hunt in Defender for Endpoint network events\n'));
  });

  test('CRLF document gets CRLF lines', () => {
    const result = insertAt(1, 0, 'CommonSecurityLog\r\n| take 1\r\n');
    assert.ok(!/[^\r]\n/.test(result), JSON.stringify(result));
  });

  test('unknown table is refused with the supported list', () => {
    const result = insertHunt(engine, documentOf(''), settings(), { table: 'SigninLogs', withExclusions: false });
    assert.ok('error' in result);
    assert.match(result.error, /Supported tables: CommonSecurityLog, DeviceNetworkEvents/);
  });
});
