import { parse } from 'csv-parse/sync';
import { LoadProblem } from '../util/problems';
import { getKeyInsensitive, isMap, isScalar, isSeq, JsonSource, Node, scalarString } from '../util/jsonSource';

// Readers for the output of `TABLE | getschema`, exported from the Log Analytics or Data
// Explorer portal as CSV, or as JSON by `az monitor log-analytics query` (an array of rows) or by
// the query REST APIs (`{"tables": [{"columns": [...], "rows": [[...]]}]}`). Each row describes
// one column: ColumnName, ColumnOrdinal, DataType (.NET name) and ColumnType (Kusto name).

export interface GetschemaRow {
  name?: string;
  ordinal?: number;
  /** Kusto type name (ColumnType), preferred over the .NET DataType. */
  columnType?: string;
  dataType?: string;
  line?: number;
}

function field(record: Record<string, unknown>, key: string): string | undefined {
  const wanted = key.toLowerCase();
  for (const [name, value] of Object.entries(record)) {
    if (name.trim().toLowerCase() === wanted && value !== null && value !== undefined && String(value).trim() !== '') return String(value).trim();
  }
  return undefined;
}

function toRow(record: Record<string, unknown>, line: number | undefined): GetschemaRow {
  const ordinal = Number(field(record, 'ColumnOrdinal'));
  return {
    name: field(record, 'ColumnName'),
    ordinal: Number.isFinite(ordinal) ? ordinal : undefined,
    columnType: field(record, 'ColumnType'),
    dataType: field(record, 'DataType'),
    line,
  };
}

export function parseGetschemaCsv(file: string, text: string, problems: LoadProblem[]): GetschemaRow[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, columns: true, skip_empty_lines: true, trim: true, info: true, relax_column_count: true });
  } catch (error) {
    problems.push({ file, severity: 'error', message: `Invalid CSV: ${(error as Error).message}` });
    return [];
  }
  if (records.length === 0) {
    problems.push({ file, severity: 'error', message: 'The CSV has no rows; export the result of `MyTable_CL | getschema` with its header row.' });
    return [];
  }
  if (field(records[0].record, 'ColumnName') === undefined) {
    problems.push({ file, line: 1, severity: 'error', message: 'The CSV has no ColumnName column; export the result of `MyTable_CL | getschema` with its header row.' });
    return [];
  }
  return records.map(({ record, info }) => toRow(record, info.lines));
}

function plain(node: Node | null | undefined): unknown {
  if (isScalar(node)) return node.value;
  return undefined;
}

function rowsFromObjects(source: JsonSource, items: readonly unknown[]): GetschemaRow[] {
  return items.map((item) => {
    const record: Record<string, unknown> = {};
    if (isMap(item)) for (const pair of item.items) if (isScalar(pair.key)) record[String(pair.key.value)] = plain(pair.value as Node);
    return toRow(record, source.lineOf(item as Node));
  });
}

/** Rows of the first table of a query API response, keyed by the response's column names. */
function rowsFromResponse(source: JsonSource, table: Node): GetschemaRow[] | undefined {
  const columns = getKeyInsensitive(table, 'columns');
  const rows = getKeyInsensitive(table, 'rows');
  if (!isSeq(columns) || !isSeq(rows)) return undefined;
  const names = columns.items.map((column) => scalarString(getKeyInsensitive(column as Node, 'name')) ?? scalarString(getKeyInsensitive(column as Node, 'ColumnName')) ?? '');
  return rows.items.map((row) => {
    const record: Record<string, unknown> = {};
    if (isSeq(row)) row.items.forEach((value, index) => (record[names[index] ?? ''] = plain(value as Node)));
    return toRow(record, source.lineOf(row as Node));
  });
}

/** The rows of a JSON `getschema` export, or undefined when the JSON has another shape. */
export function parseGetschemaJson(file: string, source: JsonSource, problems: LoadProblem[]): GetschemaRow[] | undefined {
  const root = source.root;
  if (isSeq(root)) {
    if (root.items.length === 0 || !isMap(root.items[0]) || getKeyInsensitive(root.items[0] as Node, 'ColumnName') === undefined) return undefined;
    return rowsFromObjects(source, root.items);
  }
  const tables = getKeyInsensitive(root, 'tables');
  if (!isSeq(tables)) return undefined;
  const first = tables.items[0] as Node | undefined;
  const rows = first ? rowsFromResponse(source, first) : undefined;
  if (!rows) problems.push({ file, line: source.lineOf(tables), severity: 'error', message: 'The query response holds no table with "columns" and "rows".' });
  return rows ?? [];
}
