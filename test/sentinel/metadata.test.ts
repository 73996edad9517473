import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { CodeAction } from 'vscode-languageserver-types';
import { parse } from 'yaml';
import { codeActions } from '../../server/src/engine/codeActions';
import { DocumentAnalysis } from '../../server/src/engine/documentAnalysis';
import { RuleIdIndex } from '../../server/src/engine/sentinel/ruleIds';
import { applyEdits, createTestEngine, documentOf, settings } from '../helpers/engine';

const engine = createTestEngine();
after(() => engine.dispose());

const URI = 'file:///repo/hunting/rule.yaml';

const QUERY = `query: |
  let malicious_ips = dynamic(["5.39.216.137", "5.175.215.102"]);
  CommonSecurityLog
  | where DestinationIP in (malicious_ips) or SourceIP in (malicious_ips)
  | project TimeGenerated, SourceIP, DestinationIP, DestinationPort, DeviceAction
`;

/** A clean hunting query, with `replace` applied to its text. */
function hunting(replace: [string | RegExp, string][] = []): string {
  let text = `id: 0d2b6e1f-8c44-4f0a-a7d3-5b9e1c2f7a10
name: Mirai payload servers in firewall logs
description: Looks for CEF firewall events to or from the Mirai payload servers.
requiredDataConnectors:
  - connectorId: CEF
    dataTypes:
      - CommonSecurityLog
tactics:
  - CommandAndControl
relevantTechniques:
  - T1105
${QUERY}entityMappings:
  - entityType: IP
    fieldMappings:
      - identifier: Address
        columnName: DestinationIP
version: 1.0.0
`;
  for (const [from, to] of replace) text = text.replace(from, to);
  return text;
}

/** A clean scheduled analytics rule, with `replace` applied to its text. */
function analytics(replace: [string | RegExp, string][] = []): string {
  let text = hunting([['version: 1.0.0\n', 'severity: Medium\nqueryFrequency: 1h\nqueryPeriod: 1d\ntriggerOperator: gt\ntriggerThreshold: 0\nkind: Scheduled\nversion: 1.0.0\n']]);
  for (const [from, to] of replace) text = text.replace(from, to);
  return text;
}

async function analyse(text: string, ruleIds = new RuleIdIndex()): Promise<DocumentAnalysis> {
  return engine.analyzeDocument(documentOf(text, URI), settings(), { ruleIds });
}

async function codes(text: string, ruleIds?: RuleIdIndex): Promise<string[]> {
  return (await analyse(text, ruleIds)).diagnostics.map((diagnostic) => String(diagnostic.code));
}

/** The text a diagnostic with `code` covers. */
async function covered(text: string, code: string): Promise<string[]> {
  const document = documentOf(text, URI);
  const analysis = await engine.analyzeDocument(document, settings(), { ruleIds: new RuleIdIndex() });
  return analysis.diagnostics.filter((diagnostic) => diagnostic.code === code).map((diagnostic) => document.getText(diagnostic.range));
}

/** Applies the quick fix titled `title` for the diagnostic with `code`, and returns the new text. */
async function applyFix(text: string, code: string, title: string): Promise<string> {
  const document = documentOf(text, URI);
  const analysis = await engine.analyzeDocument(document, settings(), { ruleIds: new RuleIdIndex() });
  const diagnostic = analysis.diagnostics.find((candidate) => candidate.code === code);
  assert.ok(diagnostic, `no ${code} in ${JSON.stringify(analysis.diagnostics.map((candidate) => candidate.code))}`);
  const actions = (await codeActions(engine, document, diagnostic.range, settings(), ['quickfix'])) as CodeAction[];
  const fix = actions.find((action) => action.title === title);
  assert.ok(fix, actions.map((action) => action.title).join('\n'));
  return applyEdits(text, fix.edit!.changes![URI], URI);
}

describe('Sentinel rule detection', () => {
  test('clean hunting query has no findings', async () => {
    assert.deepEqual(await codes(hunting()), []);
  });

  test('clean analytics rule has no findings', async () => {
    const analysis = await analyse(analytics());
    assert.equal(analysis.source.rule?.kind, 'analytics');
    assert.deepEqual(analysis.diagnostics, []);
  });

  test('YAML without rule keys is not checked', async () => {
    const analysis = await analyse('name: build\non: push\njobs:\n  lint:\n    runs-on: ubuntu-latest\n');
    assert.equal(analysis.source.kind, 'other');
    assert.deepEqual(analysis.diagnostics, []);
  });

  test('query key alone does not make a rule', async () => {
    const analysis = await analyse('query: SELECT * FROM users\nlimit: 10\n');
    assert.equal(analysis.source.kind, 'other');
  });
});

describe('rule id', () => {
  test('id that is not a GUID', async () => {
    assert.deepEqual(await covered(hunting([[/^id: .*$/m, 'id: mirai-firewall-1']]), 'sentinel/id-invalid'), ['mirai-firewall-1']);
  });

  test('missing id', async () => {
    assert.deepEqual(await codes(hunting([[/^id: .*\n/m, '']])), ['sentinel/id-invalid']);
  });

  test('id used by another file', async () => {
    const ruleIds = new RuleIdIndex();
    ruleIds.set('file:///repo/hunting/other.yaml', '0D2B6E1F-8C44-4F0A-A7D3-5B9E1C2F7A10');
    ruleIds.set(URI, '0d2b6e1f-8c44-4f0a-a7d3-5b9e1c2f7a10');
    const analysis = await analyse(hunting(), ruleIds);
    assert.deepEqual(analysis.diagnostics.map((diagnostic) => diagnostic.code), ['sentinel/id-duplicate']);
    assert.match(analysis.diagnostics[0].message, /also used by \/repo\/hunting\/other\.yaml/);
  });

  test('id unique across files', async () => {
    const ruleIds = new RuleIdIndex();
    ruleIds.set('file:///repo/hunting/other.yaml', '11111111-2222-4333-8444-555555555555');
    ruleIds.set(URI, '0d2b6e1f-8c44-4f0a-a7d3-5b9e1c2f7a10');
    assert.deepEqual(await codes(hunting(), ruleIds), []);
  });
});

describe('name and description', () => {
  test('missing name', async () => {
    assert.deepEqual(await codes(hunting([[/^name: .*\n/m, '']])), ['sentinel/name-missing']);
  });

  test('empty description', async () => {
    assert.deepEqual(await covered(hunting([[/^description: .*$/m, 'description: ""']]), 'sentinel/description-missing'), ['description']);
  });
});

describe('tactics', () => {
  test('unknown tactic', async () => {
    assert.deepEqual(await covered(hunting([['  - CommandAndControl', '  - CommandAndControl\n  - Weaponization']]), 'sentinel/tactic-unknown'), ['Weaponization']);
  });

  test('tactic spelled with spaces is fixed', async () => {
    const text = hunting([['  - CommandAndControl', "  - 'command and control'"]]);
    const fixed = await applyFix(text, 'sentinel/tactic-unknown', "Change to 'CommandAndControl'");
    assert.match(fixed, /- 'CommandAndControl'/);
    assert.deepEqual(await codes(fixed), []);
  });

  test('tactics that are not a list', async () => {
    assert.deepEqual(await codes(hunting([['tactics:\n  - CommandAndControl', 'tactics: CommandAndControl']])), ['sentinel/tactic-unknown']);
  });
});

describe('techniques', () => {
  test('malformed technique id', async () => {
    assert.deepEqual(await covered(hunting([['  - T1105', '  - T1105\n  - T105']]), 'sentinel/technique-invalid'), ['T105']);
  });

  test('sub-technique is accepted', async () => {
    assert.deepEqual(await codes(hunting([['  - T1105', '  - T1071.001']])), []);
  });

  test('lower-case technique is fixed', async () => {
    const text = hunting([['relevantTechniques:\n  - T1105', 'relevantTechniques: [t1105]']]);
    const fixed = await applyFix(text, 'sentinel/technique-invalid', "Change to 'T1105'");
    assert.match(fixed, /relevantTechniques: \[T1105\]/);
    assert.deepEqual(await codes(fixed), []);
  });
});

describe('data types', () => {
  test('table read but not listed sits on the table', async () => {
    const text = hunting([['      - CommonSecurityLog', '      - Syslog']]);
    assert.deepEqual(await covered(text, 'sentinel/data-type-missing'), ['CommonSecurityLog']);
    assert.deepEqual(await covered(text, 'sentinel/data-type-unused'), ['Syslog']);
  });

  test('missing data type is added under its connector', async () => {
    const text = hunting([['  - connectorId: CEF\n    dataTypes:\n      - CommonSecurityLog', '  - connectorId: Syslog\n    dataTypes:\n      - Syslog\n  - connectorId: CEF\n    dataTypes:\n      - SecurityEvent']]);
    const fixed = await applyFix(text, 'sentinel/data-type-missing', 'Add CommonSecurityLog to requiredDataConnectors');
    const connectors = (parse(fixed) as { requiredDataConnectors: { connectorId: string; dataTypes: string[] }[] }).requiredDataConnectors;
    assert.deepEqual(connectors[1], { connectorId: 'CEF', dataTypes: ['SecurityEvent', 'CommonSecurityLog'] });
    assert.deepEqual(await codes(fixed), ['sentinel/data-type-unused', 'sentinel/data-type-unused']);
  });

  test('missing data type is added to a flow list', async () => {
    const text = hunting([['    dataTypes:\n      - CommonSecurityLog', '    dataTypes: []']]);
    const fixed = await applyFix(text, 'sentinel/data-type-missing', 'Add CommonSecurityLog to requiredDataConnectors');
    assert.match(fixed, /dataTypes: \[CommonSecurityLog\]/);
    assert.deepEqual(await codes(fixed), []);
  });

  test('qualified data type names its table', async () => {
    assert.deepEqual(await codes(hunting([['      - CommonSecurityLog', '      - CommonSecurityLog (PaloAlto)']])), []);
  });

  test('empty connector list turns the missing check off', async () => {
    assert.deepEqual(await codes(hunting([[/requiredDataConnectors:\n(  .*\n)+?tactics/, 'requiredDataConnectors: []\ntactics']])), []);
  });
});

describe('entity mappings', () => {
  test('column the query does not output', async () => {
    assert.deepEqual(await covered(hunting([['columnName: DestinationIP', 'columnName: RemoteIP']]), 'sentinel/entity-column-missing'), ['RemoteIP']);
  });

  test('column differing in case is fixed', async () => {
    const fixed = await applyFix(hunting([['columnName: DestinationIP', 'columnName: DestinationIp']]), 'sentinel/entity-column-missing', "Change to 'DestinationIP'");
    assert.deepEqual(await codes(fixed), []);
  });
});

describe('analytics rule settings', () => {
  const cases: [string, [string | RegExp, string][], string, string][] = [
    ['frequency not a duration', [['queryFrequency: 1h', 'queryFrequency: 30s']], 'sentinel/query-frequency-invalid', '30s'],
    ['frequency below 5 minutes', [['queryFrequency: 1h', 'queryFrequency: 1m']], 'sentinel/query-frequency-invalid', '1m'],
    ['long period needs hourly frequency', [['queryFrequency: 1h', 'queryFrequency: 30m'], ['queryPeriod: 1d', 'queryPeriod: 2d']], 'sentinel/query-frequency-invalid', '30m'],
    ['period above 14 days', [['queryPeriod: 1d', 'queryPeriod: 15d']], 'sentinel/query-period-invalid', '15d'],
    ['period shorter than frequency', [['queryPeriod: 1d', 'queryPeriod: 30m']], 'sentinel/query-period-invalid', '30m'],
    ['unknown trigger operator', [['triggerOperator: gt', 'triggerOperator: greater']], 'sentinel/trigger-operator-invalid', 'greater'],
    ['negative threshold', [['triggerThreshold: 0', 'triggerThreshold: -1']], 'sentinel/trigger-threshold-invalid', '-1'],
    ['threshold not a number', [['triggerThreshold: 0', 'triggerThreshold: many']], 'sentinel/trigger-threshold-invalid', 'many'],
    ['unknown severity', [['severity: Medium', 'severity: Critical']], 'sentinel/severity-invalid', 'Critical'],
  ];
  for (const [name, replace, code, text] of cases) {
    test(name, async () => {
      assert.deepEqual(await covered(analytics(replace), code), [text]);
    });
  }

  test('time span durations are accepted', async () => {
    assert.deepEqual(await codes(analytics([['queryFrequency: 1h', 'queryFrequency: "01:00:00"'], ['queryPeriod: 1d', 'queryPeriod: 1.00:00:00']])), []);
  });

  test('missing schedule keys are reported', async () => {
    const text = analytics([[/^queryFrequency: .*\n/m, ''], [/^triggerThreshold: .*\n/m, '']]);
    assert.deepEqual((await codes(text)).sort(), ['sentinel/query-frequency-invalid', 'sentinel/trigger-threshold-invalid']);
  });

  test('NRT rules need no schedule', async () => {
    const text = analytics([[/^queryFrequency: .*\n/m, ''], [/^queryPeriod: .*\n/m, ''], [/^trigger.*\n/gm, ''], ['kind: Scheduled', 'kind: NRT']]);
    assert.deepEqual(await codes(text), []);
  });

  test('severity case is fixed', async () => {
    const fixed = await applyFix(analytics([['severity: Medium', 'severity: medium']]), 'sentinel/severity-invalid', "Change to 'Medium'");
    assert.deepEqual(await codes(fixed), []);
  });

  test('hunting queries need no schedule', async () => {
    assert.deepEqual(await codes(hunting()), []);
  });
});

describe('YAML suppression comments', () => {
  test('next-line comment silences one finding', async () => {
    const text = hunting([['  - T1105', '  # kql-hunt-disable-next-line sentinel/technique-invalid\n  - T105']]);
    assert.deepEqual(await codes(text), []);
  });

  test('suppression quick fix inserts the comment', async () => {
    const text = hunting([['  - T1105', '  - T105']]);
    const fixed = await applyFix(text, 'sentinel/technique-invalid', 'Disable sentinel/technique-invalid for this line');
    assert.match(fixed, /\n {2}# kql-hunt-disable-next-line sentinel\/technique-invalid\n {2}- T105/);
    assert.deepEqual(await codes(fixed), []);
  });
});

describe('bad YAML', () => {
  const cases: [string, string, RegExp, number][] = [
    ['YAML that does not parse', hunting([['tactics:\n  - CommandAndControl', 'tactics: [CommandAndControl']]), /Invalid YAML on line \d+/, 1],
    ['duplicate keys', hunting([['version: 1.0.0', 'version: 1.0.0\nname: Again']]), /Map keys must be unique/, 1],
    ['tabs as indentation', hunting([['  - connectorId: CEF', '\t- connectorId: CEF']]), /Tabs are not allowed as indentation/, 1],
  ];
  for (const [name, text, message] of cases) {
    test(`${name} gives one error`, async () => {
      const analysis = await analyse(text);
      assert.equal(analysis.diagnostics.length, 1, JSON.stringify(analysis.diagnostics));
      assert.equal(analysis.diagnostics[0].code, 'yaml-syntax');
      assert.match(analysis.diagnostics[0].message, message);
    });
  }

  test('unclosed quote points at the string that opened it', async () => {
    const text = hunting([[/^description: .*$/m, "description: 'Looks for CEF firewall events"]]);
    const analysis = await analyse(text);
    assert.equal(analysis.diagnostics.length, 1, JSON.stringify(analysis.diagnostics));
    const [diagnostic] = analysis.diagnostics;
    assert.equal(diagnostic.code, 'yaml-syntax');
    const line = text.split('\n').findIndex((candidate) => candidate.startsWith("description: '"));
    assert.deepEqual(diagnostic.range.start, { line, character: 'description: '.length });
    assert.match(diagnostic.message, new RegExp(`starts with a quote on line ${line + 1} is never closed`));
  });

  test('query that is not a string', async () => {
    const analysis = await analyse(hunting([[QUERY, 'query:\n  table: CommonSecurityLog\n']]));
    assert.deepEqual(analysis.diagnostics.map((diagnostic) => diagnostic.code), ['sentinel/query-not-string']);
    assert.match(analysis.diagnostics[0].message, /The query on line 13 is a mapping, not a string/);
  });

  test('empty query', async () => {
    const analysis = await analyse(hunting([[QUERY, 'query:\n']]));
    assert.match(analysis.diagnostics[0].message, /is empty, not a string/);
  });

  test('very large rule file gives one error', async () => {
    const text = hunting() + `# ${'x'.repeat(100)}\n`.repeat(200);
    const analysis = await engine.analyzeDocument(documentOf(text, URI), settings({ analysis: { maxFileSize: 10000 } }));
    assert.deepEqual(analysis.diagnostics.map((diagnostic) => diagnostic.code), ['file-too-large']);
    assert.equal(analysis.diagnostics[0].range.start.line, 0);
  });

  test('very large YAML that is no rule is ignored', async () => {
    const text = `items:\n${'  - value\n'.repeat(5000)}`;
    const analysis = await engine.analyzeDocument(documentOf(text, URI), settings({ analysis: { maxFileSize: 10000 } }));
    assert.deepEqual(analysis.diagnostics, []);
  });
});
