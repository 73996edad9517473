import { CODE_OF_TYPE, Column, Environment, TYPE_CODES } from './types';

/**
 * The committed catalog file: per table, per environment, its columns encoded as
 * `Name:code,Name:code` with the one-letter type codes of TYPE_CODES.
 */
export interface CatalogFile {
  format: 'kql-hunt-catalog/1';
  generatedBy: string;
  sources: string[];
  typeCodes: Record<string, string>;
  tables: Record<string, Partial<Record<Environment, string>>>;
}

export function encodeColumns(columns: readonly Column[]): string {
  return columns.map((column) => `${column.name}:${CODE_OF_TYPE[column.type]}`).join(',');
}

export function decodeColumns(encoded: string): Column[] {
  if (encoded === '') return [];
  return encoded.split(',').map((entry) => {
    const colon = entry.lastIndexOf(':');
    const type = TYPE_CODES[entry.slice(colon + 1)];
    if (colon < 1 || !type) throw new Error(`Invalid column entry '${entry}' in the catalog file.`);
    return { name: entry.slice(0, colon), type };
  });
}
