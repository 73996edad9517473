import { connectorIds } from '../schema/dataConnectors';

/**
 * Connector ids known to fill `table` (`requiredDataConnectors[].connectorId` of the
 * Azure-Sentinel repository's rule templates), from the connector data file.
 */
export function connectorsFor(table: string): readonly string[] {
  return connectorIds(table);
}

/**
 * The table a `dataTypes` entry names. Some templates qualify a shared table with its source,
 * as in `SecurityAlert (ASC)`; the qualifier is not part of the table name.
 */
export function dataTypeTable(dataType: string): string {
  return dataType.replace(/\s*\([^)]*\)\s*$/, '').trim();
}
