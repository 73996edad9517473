import { LoadProblem } from '../util/problems';
import { getKeyInsensitive, isSeq, parseJsonSource, scalarString } from '../util/jsonSource';
import { Column, normalizeType } from './types';

export interface TableDefinition {
  name: string;
  columns: Column[];
  /** File the definition came from, for hovers and messages. */
  source: string;
}

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
 * Parses a table schema in the format of the Azure-Sentinel repository's query validation
 * (`{"Name": T, "Properties": [{"Name": C, "Type": TYPE}]}`), accepting the variants real files
 * have: lower-case keys, mixed-case type names and aliases, duplicate columns, CRLF, a BOM.
 */
export function parseSentinelTableJson(file: string, text: string, problems: LoadProblem[]): TableDefinition | undefined {
  const source = parseJsonSource(file, text, problems);
  if (!source) return undefined;

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
    const line = source.lineOf(item as never);
    const columnName = scalarString(getKeyInsensitive(item as never, 'Name'))?.trim();
    const rawType = scalarString(getKeyInsensitive(item as never, 'Type'));
    if (!columnName) {
      problems.push({ file, line, severity: 'warning', message: `A column of table '${name}' has no "Name"; skipped.` });
      continue;
    }
    const type = rawType === undefined ? undefined : normalizeType(rawType);
    if (!type) {
      problems.push({
        file,
        line,
        value: rawType ?? '',
        severity: 'warning',
        message: `Column '${columnName}' of table '${name}' has unknown type '${rawType ?? ''}'; use a Kusto type (string, int, long, real, bool, datetime, timespan, guid, dynamic, decimal). Loaded as dynamic.`,
      });
    }
    addColumn(table, { name: columnName, type: type ?? 'dynamic' }, line, problems);
  }
  return table;
}
