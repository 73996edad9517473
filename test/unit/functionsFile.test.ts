import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Catalog } from '../../server/src/engine/schema/catalog';
import { parameterListText, parseFunctionsFile } from '../../server/src/engine/schema/functions';
import { parseWatchlists } from '../../server/src/engine/schema/watchlists';
import { LoadProblem } from '../../server/src/engine/util/problems';

function parse(text: string): { names: string[]; problems: LoadProblem[]; definitions: ReturnType<typeof parseFunctionsFile> } {
  const problems: LoadProblem[] = [];
  const definitions = parseFunctionsFile('functions.json', text, problems);
  return { names: definitions.map((definition) => definition.name), problems, definitions };
}

describe('functions file', () => {
  test('list, wrapper and single object all load', () => {
    const one = { name: 'F', columns: { A: 'string' } };
    assert.deepEqual(parse(JSON.stringify([one])).names, ['F']);
    assert.deepEqual(parse(JSON.stringify({ functions: [one] })).names, ['F']);
    assert.deepEqual(parse(JSON.stringify(one)).names, ['F']);
  });

  test('parameters as objects keep types, defaults and docs', () => {
    const { definitions } = parse(JSON.stringify([{ name: 'F', parameters: [{ name: 'lookback', type: 'timespan', default: '1d', description: 'How far back.' }, { name: 'limit', type: 'int', default: 50 }], columns: { A: 'string' } }]));
    assert.deepEqual(definitions[0].parameters, [
      { name: 'lookback', type: 'timespan', default: '1d', description: 'How far back.' },
      { name: 'limit', type: 'int', default: '50', description: undefined },
    ]);
    assert.equal(parameterListText(definitions[0].parameters), '(lookback:timespan = 1d, limit:int = 50)');
  });

  test('parameters as a KQL list are kept for Kusto', () => {
    const { definitions } = parse(JSON.stringify([{ name: 'F', parameters: 'lookback:timespan = 1d', body: 'print 1' }]));
    assert.equal(definitions[0].parameterList, '(lookback:timespan = 1d)');
    assert.deepEqual(definitions[0].output, { kind: 'body', body: 'print 1' });
  });

  test('columns as a list of name and type', () => {
    const { definitions } = parse(JSON.stringify([{ name: 'F', columns: [{ name: 'A', type: 'Int' }, { name: 'B', type: 'nope' }] }]));
    assert.deepEqual(definitions[0].output, { kind: 'columns', columns: [{ name: 'A', type: 'int' }, { name: 'B', type: 'dynamic' }] });
  });

  test('environment limits where a function exists', () => {
    const { definitions, problems } = parse(JSON.stringify([
      { name: 'A', columns: {}, environment: 'defender' },
      { name: 'B', columns: {} },
      { name: 'C', columns: {}, environment: 'splunk' },
    ]));
    assert.deepEqual(definitions.map((definition) => definition.environments), [['defender'], ['sentinel', 'defender'], ['sentinel', 'defender']]);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].value, 'splunk');
  });

  test('each bad function is one problem and the rest load', () => {
    const text = [
      '[',
      '  {"name": "Good", "columns": {"A": "string"}},',
      '  {"name": "bad name", "columns": {}},',
      '  {"name": "Both", "columns": {}, "body": "print 1"},',
      '  {"name": "Neither"},',
      '  {"name": "BadType", "parameters": [{"name": "a", "type": "text"}], "columns": {}}',
      ']',
    ].join('\n');
    const { names, problems } = parse(text);
    assert.deepEqual(names, ['Good']);
    assert.deepEqual(problems.map((problem) => problem.line), [3, 4, 5, 6]);
    assert.match(problems[0].message, /invalid name 'bad name'/);
    assert.match(problems[1].message, /exactly one of "columns"/);
    assert.match(problems[3].message, /invalid parameter 'a:text'/);
  });

  test('other JSON is one problem', () => {
    const { problems } = parse('"just a string"');
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /Unrecognised functions file/);
  });
});

describe('watchlists', () => {
  test('lists are string columns and maps are typed', () => {
    const problems: LoadProblem[] = [];
    const watchlists = parseWatchlists({ Assets: ['Hostname', 'Owner'], Vips: { Upn: 'string', Tier: 'int' } }, 'setting', problems);
    assert.deepEqual(problems, []);
    assert.deepEqual(watchlists[0].columns, [{ name: 'Hostname', type: 'string' }, { name: 'Owner', type: 'string' }]);
    assert.deepEqual(watchlists[1].columns, [{ name: 'Upn', type: 'string' }, { name: 'Tier', type: 'int' }]);
  });

  test('bad entries are named and skipped', () => {
    const problems: LoadProblem[] = [];
    const watchlists = parseWatchlists({ Good: ['A'], Bad: 5, Typed: { B: 'strng' } }, 'watchlists.json', problems);
    assert.deepEqual(watchlists.map((watchlist) => watchlist.alias), ['Good', 'Typed']);
    assert.equal(problems.length, 2);
    assert.equal(problems[0].value, 'Bad');
    assert.equal(problems[1].value, 'strng');
  });

  test('aliases are found in any case', () => {
    const catalog = Catalog.builtIn({ watchlists: parseWatchlists({ HighValueAssets: ['Hostname'] }, 'setting', []) });
    assert.equal(catalog.watchlist('highvalueassets')?.alias, 'HighValueAssets');
  });
});

describe('built-in functions', () => {
  const catalog = Catalog.builtIn();

  test('ASIM parsers take the columns of their table plus aliases', () => {
    const parser = catalog.function('_Im_NetworkSession', 'sentinel')!;
    assert.equal(parser.output.kind, 'columns');
    const names = parser.output.kind === 'columns' ? parser.output.columns.map((column) => column.name) : [];
    assert.ok(names.includes('DstPortNumber'));
    assert.ok(names.includes('Dst'));
    assert.ok(parser.parameters.some((parameter) => parameter.name === 'dstportnumber' && parameter.type === 'int'));
  });

  test('every form of an ASIM parser exists', () => {
    for (const name of ['_Im_Dns', '_ASim_Dns', 'imDns', 'ASimDns', '_Im_ProcessEvent', 'imProcessCreate', '_Im_RegistryEvent', 'imRegistry', '_Im_AuditEvent', 'ASimAuditEvent']) {
      assert.ok(catalog.function(name, 'sentinel'), name);
    }
  });

  test('Defender functions exist only in Defender', () => {
    for (const name of ['FileProfile', 'DeviceFromIP', 'AssignedIPAddresses', 'SeenBy']) {
      assert.ok(catalog.function(name, 'defender'), name);
      assert.equal(catalog.function(name, 'sentinel'), undefined, name);
    }
  });

  test('user function replaces a built-in of its name', () => {
    const custom = Catalog.builtIn({ functions: [{ name: 'imDns', description: '', parameters: [], output: { kind: 'columns', columns: [] }, environments: ['sentinel'], source: 'mine.json' }] });
    assert.equal(custom.function('imDns')?.source, 'mine.json');
  });
});
