import { Catalog } from '../schema/catalog';
import { Environment } from '../schema/types';
import { functionSymbol } from './functionSymbols';
import { KustoLanguage, KustoObject, toArray } from './loadKusto';
import { tableSymbol } from './symbols';

/** Kusto.Language's GlobalState for one environment, with the database it holds. */
export interface EnvironmentGlobals {
  environment: Environment;
  globals: KustoObject;
  database: KustoObject;
  /** The database's members (tables and functions), for deriving a database with changed tables. */
  members: KustoObject[];
}

/** Builds the GlobalState of one environment: a database with its tables and functions. */
export function buildGlobals(kusto: KustoLanguage, catalog: Catalog, environment: Environment): EnvironmentGlobals {
  const members: KustoObject[] = [];
  for (const name of catalog.tableNames(environment)) {
    const table = catalog.table(name, environment);
    if (table) members.push(tableSymbol(kusto, name, table.columns));
  }

  let database: KustoObject | undefined;
  const context = { catalog, database: () => database };
  const tableNames = new Set(members.map((member) => member.Name as string));
  for (const definition of catalog.functions(environment)) {
    // A table and a function cannot share a name in one database; the table wins.
    if (!tableNames.has(definition.name)) members.push(functionSymbol(kusto, definition, context));
  }

  database = new kusto.Symbols.DatabaseSymbol.ctor(environment, members);
  return { environment, globals: kusto.GlobalState.Default.WithDatabase(database), database, members: toArray(database.Members) };
}

/** The same globals with some tables replaced or added. */
export function withTables(base: EnvironmentGlobals, tables: readonly KustoObject[]): KustoObject {
  const replaced = new Map(tables.map((table) => [table.Name as string, table]));
  const members = base.members.map((member) => replaced.get(member.Name) ?? member);
  const existing = new Set(base.members.map((member) => member.Name as string));
  for (const table of tables) if (!existing.has(table.Name)) members.push(table);
  return base.globals.WithDatabase(base.database.WithMembers(members));
}
