// Builds server/data/catalog.json, the built-in table catalog, from two public sources:
//   1. a table-schema file shaped {"sentinel"|"m365": {"tables": {TABLE: {COLUMN: TYPE}}}}
//      (FalconForceTeam/KQLAnalyzer's environments.json, built from Microsoft's table reference);
//   2. a folder of Azure-Sentinel query-validation schemas ({"Name": T, "Properties": [...]}).
// Usage: node scripts/run.mjs scripts/build-catalog.ts ENVIRONMENTS.json CUSTOM_TABLES_DIR [OUT]
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CatalogFile, encodeColumns } from '../server/src/engine/schema/catalogData';
import { parseSentinelTableJson } from '../server/src/engine/schema/customTables';
import { Column, Environment, normalizeType } from '../server/src/engine/schema/types';
import { formatProblem, LoadProblem } from '../server/src/engine/util/problems';

type Tables = Map<string, Partial<Record<Environment, Column[]>>>;

const [environmentsPath, customTablesDir, outPath = 'server/data/catalog.json'] = process.argv.slice(2);
if (!environmentsPath || !customTablesDir) {
  console.error('usage: build-catalog ENVIRONMENTS.json CUSTOM_TABLES_DIR [OUT]');
  process.exit(2);
}

const tables: Tables = new Map();
const problems: LoadProblem[] = [];

const skipped: string[] = [];

// Every Log Analytics table carries TimeGenerated. The environments file lists a few Defender XDR
// tables under Sentinel with `Timestamp` as their only column (AADSignInEventsBeta,
// AADSpnSignInEventsBeta, DeviceTvmInfoGathering): placeholders, not tables a workspace has.
function isPlaceholder(columns: Record<string, string>): boolean {
  return !('TimeGenerated' in columns);
}

function readEnvironmentsFile(path: string): void {
  const data = JSON.parse(readFileSync(path, 'utf8')) as Record<string, { tables: Record<string, Record<string, string>> }>;
  const sections: [string, Environment][] = [['sentinel', 'sentinel'], ['m365', 'defender']];
  for (const [section, environment] of sections) {
    for (const [table, columns] of Object.entries(data[section]?.tables ?? {})) {
      if (environment === 'sentinel' && isPlaceholder(columns)) {
        skipped.push(table);
        continue;
      }
      const parsed: Column[] = [];
      for (const [name, rawType] of Object.entries(columns)) {
        const type = normalizeType(rawType);
        if (!type) {
          problems.push({ file: path, value: rawType, severity: 'warning', message: `${table}.${name}: unknown type '${rawType}', loaded as dynamic` });
        }
        parsed.push({ name, type: type ?? 'dynamic' });
      }
      const entry = tables.get(table) ?? {};
      entry[environment] = parsed;
      tables.set(table, entry);
    }
  }
}

// A validation schema describes the table in one environment: Defender XDR advanced hunting when
// it has `Timestamp` without `TimeGenerated`, Microsoft Sentinel otherwise. It adds the table to
// that environment when missing there, and the columns that environment's entry lacks.
function mergeValidationSchema(path: string): void {
  const table = parseSentinelTableJson(basename(path), readFileSync(path, 'utf8'), problems);
  if (!table) return;
  const names = new Set(table.columns.map((column) => column.name));
  const home: Environment = names.has('Timestamp') && !names.has('TimeGenerated') ? 'defender' : 'sentinel';
  const entry = tables.get(table.name) ?? {};
  const columns = (entry[home] ??= []);
  for (const column of table.columns) {
    if (!columns.some((existing) => existing.name === column.name)) columns.push(column);
  }
  tables.set(table.name, entry);
}

readEnvironmentsFile(environmentsPath);
for (const name of readdirSync(customTablesDir).filter((file) => file.endsWith('.json')).sort()) {
  mergeValidationSchema(join(customTablesDir, name));
}

const output: CatalogFile = {
  format: 'kql-hunt-catalog/1',
  generatedBy: 'node scripts/run.mjs scripts/build-catalog.ts ENVIRONMENTS.json CUSTOM_TABLES_DIR',
  sources: [
    'FalconForceTeam/KQLAnalyzer environments.json (Microsoft table reference), commit 447cd187b1e4a9b39cefd9fe4b44854fba471d4f',
    'Azure/Azure-Sentinel .script/tests/KqlvalidationsTests/CustomTables (MIT licence)',
  ],
  typeCodes: { s: 'string', i: 'int', l: 'long', r: 'real', m: 'decimal', b: 'bool', t: 'datetime', n: 'timespan', g: 'guid', d: 'dynamic' },
  tables: {},
};
for (const name of [...tables.keys()].sort()) {
  const entry = tables.get(name)!;
  output.tables[name] = {};
  if (entry.sentinel) output.tables[name].sentinel = encodeColumns(entry.sentinel);
  if (entry.defender) output.tables[name].defender = encodeColumns(entry.defender);
}

writeFileSync(outPath, JSON.stringify(output, null, 0).replace(/\},"/g, '},\n"') + '\n');
const counts = { sentinel: 0, defender: 0 };
for (const entry of tables.values()) {
  if (entry.sentinel) counts.sentinel++;
  if (entry.defender) counts.defender++;
}
for (const problem of problems) console.error(formatProblem(problem));
if (skipped.length > 0) console.log(`Skipped Sentinel placeholders without TimeGenerated: ${skipped.join(', ')}.`);
console.log(`Wrote ${outPath}: ${tables.size} tables (${counts.sentinel} Sentinel, ${counts.defender} Defender XDR).`);
