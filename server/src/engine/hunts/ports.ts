import { Catalog } from '../schema/catalog';
import { Environment } from '../schema/types';
import { huntProfile } from './huntProfiles';

/** Destination-port columns of the tables, in order of preference, for tables without a hunt profile. */
const PORT_COLUMNS = ['RemotePort', 'DestinationPort', 'DstPortNumber', 'DestinationPortNumber', 'DestPort'];

/** Returns the column with the remote (destination) port of a table's rows, if it has one. */
export function portColumnOf(table: string, environment: Environment, catalog: Catalog): string | undefined {
  const schema = catalog.table(table, environment);
  if (!schema) return undefined;
  const names = new Set(schema.columns.map((column) => column.name));
  const profiled = huntProfile(table)?.portColumn;
  if (profiled && names.has(profiled)) return profiled;
  return PORT_COLUMNS.find((column) => names.has(column));
}
