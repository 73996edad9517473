import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { parseCustomTableFile, TableDefinition } from '../../server/src/engine/schema/customTables';
import { loadUserSchema } from '../../server/src/engine/schema/schemaFiles';
import { LoadProblem } from '../../server/src/engine/util/problems';

function parse(file: string, text: string): { tables: TableDefinition[]; problems: LoadProblem[] } {
  const problems: LoadProblem[] = [];
  return { tables: parseCustomTableFile(file, text, problems), problems };
}

function typesOf(table: TableDefinition): Record<string, string> {
  return Object.fromEntries(table.columns.map((column) => [column.name, column.type]));
}

describe('Sentinel table JSON', () => {
  test('lower-case keys and mixed-case types load', () => {
    const text = JSON.stringify({
      name: 'Proxy_CL',
      properties: [
        { name: 'TimeGenerated', type: 'Datetime' },
        { name: 'Bytes', type: 'BigInt' },
        { name: 'Allowed', type: 'Boolean' },
        { name: 'Score', type: 'Float' },
        { name: 'Ratio', type: 'Double' },
        { name: 'Elapsed', type: 'timespan' },
        { name: 'Url', type: 'String' },
      ],
    });
    const { tables, problems } = parse('proxy.json', text);
    assert.deepEqual(problems, []);
    assert.deepEqual(typesOf(tables[0]), { TimeGenerated: 'datetime', Bytes: 'long', Allowed: 'bool', Score: 'real', Ratio: 'real', Elapsed: 'timespan', Url: 'string' });
  });

  test('CRLF and BOM are accepted', () => {
    const text = '\uFEFF{\r\n  "Name": "Vpn_CL",\r\n  "Properties": [\r\n    { "Name": "User", "Type": "String" }\r\n  ]\r\n}\r\n';
    const { tables, problems } = parse('vpn.json', text);
    assert.deepEqual(problems, []);
    assert.deepEqual(typesOf(tables[0]), { User: 'string' });
  });

  test('Name wins over the file name', () => {
    const text = JSON.stringify({ Name: 'Malware_data_CL', Properties: [{ Name: 'FileName', Type: 'string' }] });
    const { tables } = parse('ThreatIntelligenceIndicator.json', text);
    assert.equal(tables[0].name, 'Malware_data_CL');
  });

  test('duplicate column of the same type is dropped quietly', () => {
    const text = JSON.stringify({ Name: 'T_CL', Properties: [{ Name: 'A', Type: 'string' }, { Name: 'A', Type: 'String' }] });
    const { tables, problems } = parse('t.json', text);
    assert.deepEqual(problems, []);
    assert.equal(tables[0].columns.length, 1);
  });

  test('conflicting duplicate keeps the first type and is named once', () => {
    const text = '{"Name": "T_CL", "Properties": [\n{"Name": "Application", "Type": "string"},\n{"Name": "Application", "Type": "dynamic"}\n]}';
    const { tables, problems } = parse('dup.json', text);
    assert.equal(typesOf(tables[0]).Application, 'string');
    assert.equal(problems.length, 1);
    assert.equal(problems[0].file, 'dup.json');
    assert.equal(problems[0].line, 3);
    assert.equal(problems[0].value, 'Application');
    assert.match(problems[0].message, /declared twice, as string and as dynamic; keeping string/);
  });

  test('unknown type is named and loads as dynamic', () => {
    const { tables, problems } = parse('t.json', JSON.stringify({ Name: 'T_CL', Properties: [{ Name: 'A', Type: 'varchar' }, { Name: 'B', Type: 'int' }] }));
    assert.deepEqual(typesOf(tables[0]), { A: 'dynamic', B: 'int' });
    assert.equal(problems.length, 1);
    assert.equal(problems[0].value, 'varchar');
    assert.match(problems[0].message, /unknown type 'varchar'/);
  });

  test('missing Properties is one error', () => {
    const { tables, problems } = parse('t.json', JSON.stringify({ Name: 'T_CL' }));
    assert.deepEqual(tables, []);
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /no "Properties"/);
  });
});

describe('getschema output', () => {
  test('CSV orders columns and prefers ColumnType', () => {
    const text = [
      '\uFEFFColumnName,ColumnOrdinal,DataType,ColumnType',
      'Bytes,2,System.Int64,long',
      'TimeGenerated,0,System.DateTime,datetime',
      '"User Name",1,System.String,string',
      'Flag,3,System.SByte,bool',
    ].join('\r\n');
    const { tables, problems } = parse('/schemas/Vpn_CL.csv', text);
    assert.deepEqual(problems, []);
    assert.equal(tables[0].name, 'Vpn_CL');
    assert.deepEqual(tables[0].columns, [
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'User Name', type: 'string' },
      { name: 'Bytes', type: 'long' },
      { name: 'Flag', type: 'bool' },
    ]);
  });

  test('CSV without ColumnType falls back to DataType', () => {
    const { tables } = parse('Old_CL.csv', 'ColumnName,ColumnOrdinal,DataType\nCount,0,System.Int32\nWhen,1,System.DateTime\n');
    assert.deepEqual(typesOf(tables[0]), { Count: 'int', When: 'datetime' });
  });

  test('CSV with an unknown type names row and value', () => {
    const { tables, problems } = parse('Bad_CL.csv', 'ColumnName,ColumnOrdinal,DataType,ColumnType\nA,0,System.String,string\nB,1,System.Foo,foo\n');
    assert.deepEqual(typesOf(tables[0]), { A: 'string', B: 'dynamic' });
    assert.equal(problems.length, 1);
    assert.equal(problems[0].line, 3);
    assert.equal(problems[0].value, 'foo');
  });

  test('CSV without a ColumnName header is one error', () => {
    const { tables, problems } = parse('X_CL.csv', 'Name,Type\nA,string\n');
    assert.deepEqual(tables, []);
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /no ColumnName column/);
  });

  test('file name that is no table name is reported', () => {
    const { tables, problems } = parse('my schema.csv', 'ColumnName,ColumnOrdinal,DataType,ColumnType\nA,0,System.String,string\n');
    assert.deepEqual(tables, []);
    assert.match(problems[0].message, /rename it to the table/);
  });

  test('JSON rows as the Azure CLI prints them', () => {
    const rows = [
      { ColumnName: 'TimeGenerated', ColumnOrdinal: 0, DataType: 'System.DateTime', ColumnType: 'datetime' },
      { ColumnName: 'Url', ColumnOrdinal: 1, DataType: 'System.String', ColumnType: 'string' },
    ];
    const { tables, problems } = parse('Web_CL.json', JSON.stringify(rows, null, 2));
    assert.deepEqual(problems, []);
    assert.equal(tables[0].name, 'Web_CL');
    assert.deepEqual(typesOf(tables[0]), { TimeGenerated: 'datetime', Url: 'string' });
  });

  test('JSON response of the query API', () => {
    const response = {
      tables: [
        {
          name: 'PrimaryResult',
          columns: [{ name: 'ColumnName' }, { name: 'ColumnOrdinal' }, { name: 'DataType' }, { name: 'ColumnType' }],
          rows: [
            ['TimeGenerated', 0, 'System.DateTime', 'datetime'],
            ['Score', 1, 'System.Double', 'real'],
          ],
        },
      ],
    };
    const { tables } = parse('Api_CL.getschema.json', JSON.stringify(response));
    assert.equal(tables[0].name, 'Api_CL');
    assert.deepEqual(typesOf(tables[0]), { TimeGenerated: 'datetime', Score: 'real' });
  });

  test('JSON response of Data Explorer', () => {
    const response = { Tables: [{ TableName: 'Table_0', Columns: [{ ColumnName: 'ColumnName' }, { ColumnName: 'ColumnType' }], Rows: [['Id', 'guid']] }] };
    const { tables } = parse('Adx_CL.json', JSON.stringify(response));
    assert.deepEqual(typesOf(tables[0]), { Id: 'guid' });
  });
});

describe('table map', () => {
  test('map of tables loads every table', () => {
    const text = JSON.stringify({ A_CL: { TimeGenerated: 'datetime', Host_s: 'string' }, B_CL: [{ name: 'Count', type: 'Int' }] });
    const { tables, problems } = parse('tables.json', text);
    assert.deepEqual(problems, []);
    assert.deepEqual(tables.map((table) => table.name), ['A_CL', 'B_CL']);
    assert.deepEqual(typesOf(tables[1]), { Count: 'int' });
  });

  test('bad entry is named and the rest loads', () => {
    const text = '{\n  "Good_CL": {"A": "string"},\n  "Bad_CL": "string",\n  "Typo_CL": {"B": "strng"}\n}';
    const { tables, problems } = parse('tables.json', text);
    assert.deepEqual(tables.map((table) => table.name), ['Good_CL', 'Typo_CL']);
    assert.equal(problems.length, 2);
    assert.equal(problems[0].value, 'Bad_CL');
    assert.equal(problems[0].line, 3);
    assert.equal(problems[1].value, 'strng');
  });
});

describe('unreadable custom-table files', () => {
  test('invalid JSON is one error with its line', () => {
    const { tables, problems } = parse('broken.json', '{\n  "Name": "T_CL",\n  "Properties": [\n');
    assert.deepEqual(tables, []);
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /^Invalid JSON/);
    assert.ok(problems[0].line !== undefined);
  });

  test('other JSON shape is one error naming the formats', () => {
    const { problems } = parse('numbers.json', '[1, 2, 3]');
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /Unrecognised custom-table file/);
  });
});

describe('schema files on disk', () => {
  function tempFolder(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'kql-hunt-schema-'));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return dir;
  }

  test('folder loads every format and skips other files', async () => {
    const dir = tempFolder({
      'a/Sentinel_CL.json': JSON.stringify({ Name: 'Sentinel_CL', Properties: [{ Name: 'A', Type: 'string' }] }),
      'b/Csv_CL.csv': 'ColumnName,ColumnOrdinal,DataType,ColumnType\nB,0,System.String,string\n',
      'map.json': JSON.stringify({ Map_CL: { C: 'int' } }),
      'notes.txt': 'not a schema',
    });
    const schema = await loadUserSchema({ tables: [dir], functions: [], watchlists: [] });
    assert.deepEqual(schema.problems, []);
    assert.deepEqual(schema.tables.map((table) => table.name).sort(), ['Csv_CL', 'Map_CL', 'Sentinel_CL']);
    assert.equal(schema.files.length, 3);
  });

  test('missing path is reported and the rest loads', async () => {
    const dir = tempFolder({ 'Ok_CL.json': JSON.stringify({ Ok_CL: { A: 'string' } }) });
    const missing = join(dir, 'missing');
    const schema = await loadUserSchema({ tables: [missing, dir], functions: [], watchlists: [] });
    assert.deepEqual(schema.tables.map((table) => table.name), ['Ok_CL']);
    assert.deepEqual(schema.unreadable, [missing]);
    assert.equal(schema.problems[0].file, missing);
    assert.match(schema.problems[0].message, /No such file or folder/);
  });

  test('table declared in two files keeps the first', async () => {
    const dir = tempFolder({ '1.json': JSON.stringify({ Same_CL: { A: 'string' } }), '2.json': JSON.stringify({ Same_CL: { B: 'string' } }) });
    const schema = await loadUserSchema({ tables: [dir], functions: [], watchlists: [] });
    assert.deepEqual(schema.tables[0].columns, [{ name: 'A', type: 'string' }]);
    assert.equal(schema.problems.length, 1);
    assert.match(schema.problems[0].message, /also declared in .*1\.json/);
  });
});

// The Azure-Sentinel validation schemas are the messy real-world sample: all must load.
const referenceDir = resolve('..', 'shared', 'reference', 'schemas', 'azure-sentinel-custom-tables');
describe('Azure-Sentinel reference schemas', { skip: existsSync(referenceDir) ? false : `not found at ${referenceDir}` }, () => {
  test('every reference file loads with only duplicate warnings', () => {
    const problems: LoadProblem[] = [];
    const tables = readdirSync(referenceDir).flatMap((name) => parseCustomTableFile(name, readFileSync(join(referenceDir, name), 'utf8'), problems));
    assert.equal(tables.length, 36);
    assert.ok(problems.every((problem) => problem.severity === 'warning' && /declared twice/.test(problem.message)), JSON.stringify(problems));
    assert.ok(tables.some((table) => table.name === 'Malware_data_CL'));
  });
});
