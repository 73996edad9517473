import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import catalogFile from '../../server/data/catalog.json';
import { Catalog } from '../../server/src/engine/schema/catalog';
import { decodeColumns, encodeColumns } from '../../server/src/engine/schema/catalogData';
import { normalizeType } from '../../server/src/engine/schema/types';

const catalog = Catalog.builtIn();

describe('table catalog', () => {
  test('holds all Sentinel and Defender XDR tables', () => {
    assert.ok(catalog.tableNames('sentinel').length >= 924);
    assert.ok(catalog.tableNames('defender').length >= 62);
  });

  test('CommonSecurityLog exists only in Sentinel', () => {
    assert.deepEqual(catalog.environmentsOf('CommonSecurityLog'), ['sentinel']);
    assert.equal(catalog.table('CommonSecurityLog', 'defender'), undefined);
  });

  test('DeviceNetworkEvents differs by environment time column', () => {
    const sentinel = catalog.table('DeviceNetworkEvents', 'sentinel')!.columns.map((column) => column.name);
    const defender = catalog.table('DeviceNetworkEvents', 'defender')!.columns.map((column) => column.name);
    assert.ok(sentinel.includes('TimeGenerated'));
    assert.ok(!defender.includes('TimeGenerated'));
    assert.ok(defender.includes('Timestamp'));
  });

  test('advanced-hunting sign-in tables are Defender-only with columns', () => {
    assert.deepEqual(catalog.environmentsOf('AADSignInEventsBeta'), ['defender']);
    const columns = catalog.table('AADSignInEventsBeta', 'defender')!.columns.map((column) => column.name);
    assert.ok(columns.length >= 40);
    assert.ok(columns.includes('AccountUpn'));
    assert.deepEqual(catalog.environmentsOf('AADSpnSignInEventsBeta'), ['defender']);
  });

  test('merged tables take columns from both sources', () => {
    const columns = catalog.table('AzureDiagnostics', 'sentinel')!.columns.map((column) => column.name);
    assert.ok(columns.includes('msg_s'), 'from the environments file');
    assert.ok(columns.includes('userAgent_s'), 'from the validation schema');
    assert.ok(catalog.table('AzureNetworkAnalytics_CL', 'sentinel'), 'a table only the validation schemas have');
  });

  test('column types are Kusto types', () => {
    const columns = catalog.table('DeviceNetworkEvents', 'defender')!.columns;
    assert.equal(columns.find((column) => column.name === 'RemotePort')?.type, 'int');
    assert.equal(columns.find((column) => column.name === 'Timestamp')?.type, 'datetime');
    assert.equal(columns.find((column) => column.name === 'RemoteIP')?.type, 'string');
  });

  test('committed catalog names its sources', () => {
    assert.equal(catalogFile.format, 'kql-hunt-catalog/1');
    assert.ok(catalogFile.sources.length >= 1);
  });

  test('canonical name fixes the case of a table', () => {
    assert.equal(catalog.canonicalName('devicenetworkevents'), 'DeviceNetworkEvents');
  });

  test('column encoding round-trips', () => {
    const columns = [
      { name: 'A', type: 'string' as const },
      { name: 'B_d', type: 'real' as const },
      { name: 'When', type: 'datetime' as const },
    ];
    assert.deepEqual(decodeColumns(encodeColumns(columns)), columns);
  });

  test('type names normalise across spellings', () => {
    assert.equal(normalizeType('BigInt'), 'long');
    assert.equal(normalizeType('Boolean'), 'bool');
    assert.equal(normalizeType('Double'), 'real');
    assert.equal(normalizeType('Datetime'), 'datetime');
    assert.equal(normalizeType('System.Int32'), 'int');
    assert.equal(normalizeType('varchar'), undefined);
  });
});

// The committed catalog is generated; when the public sources are beside the repository (as in
// the workspace this project is developed in), regenerating must reproduce it byte for byte.
const sources = resolve('..', 'shared', 'reference', 'schemas');
describe('catalog generation', { skip: existsSync(sources) ? false : `sources not found at ${sources}` }, () => {
  test('regenerated catalog equals the committed one', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'catalog-')), 'catalog.json');
    const result = spawnSync(process.execPath, ['scripts/run.mjs', 'scripts/build-catalog.ts', join(sources, 'sentinel-defender-tables.json'), join(sources, 'azure-sentinel-custom-tables'), out], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(readFileSync(out, 'utf8'), readFileSync('server/data/catalog.json', 'utf8'));
  });
});
