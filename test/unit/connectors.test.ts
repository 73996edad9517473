import assert from 'node:assert/strict';
import { test } from 'node:test';
import catalogFile from '../../server/data/catalog.json';
import data from '../../server/data/connectors.json';

interface ConnectorEntry {
  connector: string;
  source: string;
}

const tables = data.tables as Record<string, ConnectorEntry[]>;
const catalogTables = catalogFile.tables as Record<string, unknown>;

function connectorsOf(table: string): string[] {
  return (tables[table] ?? []).map((entry) => entry.connector);
}

test('format tag and note', () => {
  assert.equal(data.format, 'kql-hunt-connectors/1');
  assert.equal(typeof data.note, 'string');
  assert.ok(data.note.length > 0);
});

test('covers at least 100 tables', () => {
  assert.ok(Object.keys(tables).length >= 100);
});

test('every table is in catalog', () => {
  const unknown = Object.keys(tables).filter((name) => !Object.hasOwn(catalogTables, name));
  assert.deepEqual(unknown, []);
});

test('entries name connector and source', () => {
  for (const [table, entries] of Object.entries(tables)) {
    assert.ok(Array.isArray(entries), `${table}: connectors are not a list`);
    assert.ok(entries.length > 0, `${table} has no connectors`);

    for (const entry of entries) {
      assert.equal(typeof entry.connector, 'string', `${table}: connector is not text`);
      assert.ok(entry.connector.trim().length > 0, `${table}: empty connector`);
      assert.equal(entry.connector, entry.connector.trim(), `${table}: connector has stray spaces`);
      assert.equal(typeof entry.source, 'string', `${table}: source is not text`);
      assert.ok(entry.source.trim().length > 0, `${table}: empty source`);
    }
  }
});

test('no duplicate connectors per table', () => {
  for (const [table, entries] of Object.entries(tables)) {
    const names = entries.map((entry) => entry.connector);
    assert.equal(new Set(names).size, names.length, `${table} repeats a connector`);
  }
});

test('sources are Azure-Sentinel or Learn URLs', () => {
  for (const [table, entries] of Object.entries(tables)) {
    for (const entry of entries) {
      assert.match(entry.source, /^https:\/\/(github\.com\/Azure\/Azure-Sentinel\/|learn\.microsoft\.com\/)/, `${table}: ${entry.source}`);
    }
  }
});

test('CommonSecurityLog lists CEF connectors', () => {
  const names = connectorsOf('CommonSecurityLog');
  assert.ok(names.some((name) => /Common Event Format \(CEF\)/.test(name)), names.join(', '));
  assert.ok(names.includes('Common Event Format (CEF) via AMA'));
});

test('DeviceNetworkEvents lists Defender XDR', () => {
  assert.ok(connectorsOf('DeviceNetworkEvents').includes('Microsoft Defender XDR'));
});

test('Syslog lists a Syslog connector', () => {
  const names = connectorsOf('Syslog');
  assert.ok(names.some((name) => /^Syslog via /.test(name)), names.join(', '));
});

test('Entra ID tables list Entra connector', () => {
  for (const table of ['SigninLogs', 'AuditLogs', 'AADNonInteractiveUserSignInLogs', 'AADServicePrincipalSignInLogs', 'AADManagedIdentitySignInLogs']) {
    assert.ok(connectorsOf(table).includes('Microsoft Entra ID'), table);
  }
});

// Microsoft Sentinel creates SecurityIncident rows itself, so no data connector is listed for it.
test('SecurityIncident is omitted', () => {
  assert.equal(tables.SecurityIncident, undefined);
});
