import { basename, extname } from 'node:path';
import { LoadProblem } from '../util/problems';
import { getKeyInsensitive, isMap, isScalar, isSeq, JsonSource, Node, parseJsonSource, scalarString } from '../util/jsonSource';
import { GetschemaRow, parseGetschemaCsv, parseGetschemaJson } from './getschema';
import { Column, normalizeType } from './types';

export interface TableDefinition {
  name: string;
  columns: Column[];
  /** File the definition came from, for hovers and messages. */
  source: string;
}

const KUSTO_TYPES = 'string, int, long, real, bool, datetime, timespan, guid, dynamic, decimal';

/**
 * Adds a column unless the table already has it. A duplicate with the same type is dropped
 * quietly; one with a conflicting type keeps the first type and reports the second.
 */
export function addColumn(table: TableDefinition, column: Column, line: number | undefined, problems: LoadProblem[]): void {
  const existing = table.columns.find((candidate) => candidate.name === column.name);
  if (!existing) {
    table.columns.push(column);
    return;
  }
  if (existing.type !== column.type) {
    problems.push({
      file: table.source,
      line,
      value: column.name,
      severity: 'warning',
      message: `Column '${column.name}' of table '${table.name}' is declared twice, as ${existing.type} and as ${column.type}; keeping ${existing.type}.`,
    });
  }
}

/**
 * Adds a column whose type is written as in a schema file. An unknown type name is reported
 * with the value and loaded as dynamic, so the column still resolves.
 */
export function addTypedColumn(table: TableDefinition, name: string, rawType: string | undefined, line: number | undefined, problems: LoadProblem[]): void {
  const type = rawType === undefined ? undefined : normalizeType(rawType);
  if (!type) {
    problems.push({
      file: table.source,
      line,
      value: rawType ?? '',
      severity: 'warning',
      message: `Column '${name}' of table '${table.name}' has ${rawType === undefined ? 'no type' : `unknown type '${rawType}'`}; use a Kusto type (${KUSTO_TYPES}). Loaded as dynamic.`,
    });
  }
  addColumn(table, { name, type: type ?? 'dynamic' }, line, problems);
}

/**
 * Parses a table schema in the format of the Azure-Sentinel repository's query validation
 * (`{"Name": T, "Properties": [{"Name": C, "Type": TYPE}]}`), accepting the variants real files
 * have: lower-case keys, mixed-case type names and aliases, duplicate columns, CRLF, a BOM.
 */
export function parseSentinelTableJson(file: string, text: string, problems: LoadProblem[]): TableDefinition | undefined {
  const source = parseJsonSource(file, text, problems);
  if (!source) return undefined;
  return sentinelTable(file, source, problems);
}

function sentinelTable(file: string, source: JsonSource, problems: LoadProblem[]): TableDefinition | undefined {
  const nameNode = getKeyInsensitive(source.root, 'Name');
  const name = scalarString(nameNode)?.trim();
  if (!name) {
    problems.push({ file, line: source.lineOf(source.root), severity: 'error', message: 'Missing table "Name"; expected {"Name": "MyTable_CL", "Properties": [...]}.' });
    return undefined;
  }

  const properties = getKeyInsensitive(source.root, 'Properties');
  if (!isSeq(properties)) {
    problems.push({ file, line: source.lineOf(nameNode), value: name, severity: 'error', message: `Table '${name}' has no "Properties" list of columns.` });
    return undefined;
  }

  const table: TableDefinition = { name, columns: [], source: file };
  for (const item of properties.items) {
    const line = source.lineOf(item as Node);
    const columnName = scalarString(getKeyInsensitive(item as Node, 'Name'))?.trim();
    if (!columnName) {
      problems.push({ file, line, severity: 'warning', message: `A column of table '${name}' has no "Name"; skipped.` });
      continue;
    }
    addTypedColumn(table, columnName, scalarString(getKeyInsensitive(item as Node, 'Type')), line, problems);
  }
  return table;
}

/**
 * Parses a plain map of tables, `{"MyTable_CL": {"Column": "type", ...}, ...}`; a table may also
 * list its columns as `[{"name": "Column", "type": "type"}]`.
 */
function tableMap(file: string, source: JsonSource, problems: LoadProblem[]): TableDefinition[] {
  const tables: TableDefinition[] = [];
  if (!isMap(source.root)) return tables;
  for (const pair of source.root.items) {
    const name = isScalar(pair.key) ? String(pair.key.value).trim() : '';
    const value = pair.value as Node | null;
    const line = source.lineOf(pair.key as Node);
    if (!name) continue;
    const table: TableDefinition = { name, columns: [], source: file };
    if (isMap(value)) {
      for (const column of value.items) {
        const columnName = isScalar(column.key) ? String(column.key.value).trim() : '';
        if (columnName) addTypedColumn(table, columnName, scalarString(column.value as Node), source.lineOf(column.key as Node), problems);
      }
    } else if (isSeq(value)) {
      for (const item of value.items) {
        const columnName = scalarString(getKeyInsensitive(item as Node, 'name'))?.trim();
        if (columnName) addTypedColumn(table, columnName, scalarString(getKeyInsensitive(item as Node, 'type')), source.lineOf(item as Node), problems);
        else problems.push({ file, line: source.lineOf(item as Node), severity: 'warning', message: `A column of table '${name}' has no "name"; skipped.` });
      }
    } else {
      problems.push({ file, line, value: name, severity: 'error', message: `Table '${name}' must map column names to types, as in {"${name}": {"TimeGenerated": "datetime"}}.` });
      continue;
    }
    tables.push(table);
  }
  return tables;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A table from `getschema` rows, in ColumnOrdinal order; undefined when no row names a column. */
function getschemaTable(file: string, name: string, rows: GetschemaRow[], problems: LoadProblem[]): TableDefinition | undefined {
  if (rows.length === 0) return undefined;
  if (!IDENTIFIER.test(name)) {
    problems.push({
      file,
      value: name,
      severity: 'error',
      message: `getschema output does not name its table, so the file name must: rename it to the table, such as MyTable_CL${extname(file)} ('${name}' is not a table name).`,
    });
    return undefined;
  }
  const table: TableDefinition = { name, columns: [], source: file };
  const ordered = [...rows].sort((a, b) => (a.ordinal ?? Infinity) - (b.ordinal ?? Infinity));
  for (const row of ordered) {
    if (!row.name) {
      problems.push({ file, line: row.line, severity: 'warning', message: `A row of table '${name}' has no ColumnName; skipped.` });
      continue;
    }
    addTypedColumn(table, row.name, row.columnType ?? row.dataType, row.line, problems);
  }
  return table.columns.length > 0 ? table : undefined;
}

const FORMATS_HELP =
  'expected a Sentinel table schema ({"Name": ..., "Properties": [...]}), `getschema` output (rows with ColumnName and ColumnType), or a map {"MyTable_CL": {"Column": "type"}}';

/** Whether a JSON object is a map of tables: at least one value is an object or a list of columns. */
function isTableMap(root: Node | null): boolean {
  return isMap(root) && root.items.some((pair) => isMap(pair.value) || isSeq(pair.value));
}

/**
 * Reads one custom-table file in any supported format: the Azure-Sentinel table JSON, the output
 * of `TABLE | getschema` as CSV or JSON (the table is named after the file), or a plain table map.
 * Problems are collected per value; whatever is valid still loads.
 */
export function parseCustomTableFile(file: string, text: string, problems: LoadProblem[]): TableDefinition[] {
  const extension = extname(file).toLowerCase();
  if (extension === '.csv') {
    const table = getschemaTable(file, tableNameFromFile(file), parseGetschemaCsv(file, text, problems), problems);
    return table ? [table] : [];
  }

  const source = parseJsonSource(file, text, problems);
  if (!source) return [];
  const root = source.root;
  if (isMap(root) && (getKeyInsensitive(root, 'Properties') !== undefined || isScalar(getKeyInsensitive(root, 'Name')))) {
    const table = sentinelTable(file, source, problems);
    return table ? [table] : [];
  }
  const rows = parseGetschemaJson(file, source, problems);
  if (rows) {
    const table = getschemaTable(file, tableNameFromFile(file), rows, problems);
    return table ? [table] : [];
  }
  if (isTableMap(root)) return tableMap(file, source, problems);

  problems.push({ file, line: source.lineOf(root), severity: 'error', message: `Unrecognised custom-table file: ${FORMATS_HELP}.` });
  return [];
}

/** `getschema` output does not name its table, so the file must: `MyTable_CL.csv`. */
function tableNameFromFile(file: string): string {
  return basename(file, extname(file)).replace(/\.getschema$/i, '');
}
