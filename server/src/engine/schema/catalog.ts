import builtInCatalog from '../../../data/catalog.json';
import { builtInFunctions } from './builtinFunctions';
import { CatalogFile, decodeColumns } from './catalogData';
import { TableDefinition } from './customTables';
import { FunctionDefinition } from './functions';
import { Column, Environment, ENVIRONMENTS } from './types';
import { WatchlistDefinition } from './watchlists';

/** One table as an environment sees it. */
export interface TableInfo {
  name: string;
  environment: Environment;
  columns: readonly Column[];
  /** Where the schema came from: 'built-in' or a custom-table file. */
  source: string;
}

/** The user's additions to the built-in catalog: custom tables, saved functions and watchlists. */
export interface UserSchema {
  tables?: readonly TableDefinition[];
  functions?: readonly FunctionDefinition[];
  watchlists?: readonly WatchlistDefinition[];
}

/**
 * The tables and functions of both environments: the built-in catalog plus the user's schema.
 * Column lists are decoded on first use, because a hunt touches a handful of the 900-odd tables.
 */
export class Catalog {
  private readonly encoded = new Map<string, Partial<Record<Environment, string>>>();
  private readonly decoded = new Map<string, Column[]>();
  private readonly custom = new Map<string, TableDefinition>();
  private readonly lowerCaseNames = new Map<string, string>();
  private readonly userFunctions: readonly FunctionDefinition[];
  private functionIndex: Map<string, FunctionDefinition> | undefined;
  private readonly watchlistIndex = new Map<string, WatchlistDefinition>();

  constructor(file: CatalogFile, schema: UserSchema = {}) {
    for (const [name, environments] of Object.entries(file.tables)) {
      this.encoded.set(name, environments);
      this.lowerCaseNames.set(name.toLowerCase(), name);
    }
    for (const table of schema.tables ?? []) {
      this.custom.set(table.name, table);
      this.lowerCaseNames.set(table.name.toLowerCase(), table.name);
    }
    this.userFunctions = schema.functions ?? [];
    for (const watchlist of schema.watchlists ?? []) this.watchlistIndex.set(watchlist.alias.toLowerCase(), watchlist);
  }

  static builtIn(schema: UserSchema = {}): Catalog {
    return new Catalog(builtInCatalog as CatalogFile, schema);
  }

  /** The table as `environment` knows it; custom tables exist in both environments. */
  table(name: string, environment: Environment): TableInfo | undefined {
    const custom = this.custom.get(name);
    if (custom) return { name, environment, columns: custom.columns, source: custom.source };
    return this.builtInTable(name, environment);
  }

  private builtInTable(name: string, environment: Environment): TableInfo | undefined {
    const encoded = this.encoded.get(name)?.[environment];
    if (encoded === undefined) return undefined;
    const key = `${environment}\u0000${name}`;
    let columns = this.decoded.get(key);
    if (!columns) {
      columns = decodeColumns(encoded);
      this.decoded.set(key, columns);
    }
    return { name, environment, columns, source: 'built-in' };
  }

  has(name: string): boolean {
    return this.encoded.has(name) || this.custom.has(name);
  }

  /**
   * Returns the environments that have the table. A custom table named like a built-in table
   * keeps the built-in table's environments, so declaring it does not move blocks to another
   * environment. Any other custom table exists in both.
   */
  environmentsOf(name: string): Environment[] {
    const entry = this.encoded.get(name);
    if (entry) return ENVIRONMENTS.filter((environment) => entry[environment] !== undefined);
    return this.custom.has(name) ? [...ENVIRONMENTS] : [];
  }

  tableNames(environment: Environment): string[] {
    const names: string[] = [];
    for (const [name, entry] of this.encoded) if (entry[environment] !== undefined) names.push(name);
    for (const name of this.custom.keys()) if (!this.encoded.get(name)?.[environment]) names.push(name);
    return names;
  }

  /** The catalog's spelling of a table name written in another case, if there is one. */
  canonicalName(name: string): string | undefined {
    return this.lowerCaseNames.get(name.toLowerCase());
  }

  customTables(): readonly TableDefinition[] {
    return [...this.custom.values()];
  }

  private functionsByName(): Map<string, FunctionDefinition> {
    if (!this.functionIndex) {
      this.functionIndex = new Map();
      const columns = (table: string): readonly Column[] => this.builtInTable(table, 'sentinel')?.columns ?? [];
      for (const definition of builtInFunctions(columns)) this.functionIndex.set(definition.name, definition);
      // A user's function of the same name replaces the built-in one, as a saved function would.
      for (const definition of this.userFunctions) this.functionIndex.set(definition.name, definition);
    }
    return this.functionIndex;
  }

  /** The function `name` if `environment` has it (any environment when omitted). */
  function(name: string, environment?: Environment): FunctionDefinition | undefined {
    const definition = this.functionsByName().get(name);
    if (!definition || (environment && !definition.environments.includes(environment))) return undefined;
    return definition;
  }

  functions(environment: Environment): FunctionDefinition[] {
    return [...this.functionsByName().values()].filter((definition) => definition.environments.includes(environment));
  }

  /** The environments that have a table or function of this name. */
  environmentsOfName(name: string): Environment[] {
    const tables = this.environmentsOf(name);
    if (tables.length > 0) return tables;
    return this.functionsByName().get(name)?.environments ?? [];
  }

  /** A declared watchlist; aliases match case-insensitively. */
  watchlist(alias: string): WatchlistDefinition | undefined {
    return this.watchlistIndex.get(alias.toLowerCase());
  }

  watchlists(): readonly WatchlistDefinition[] {
    return [...this.watchlistIndex.values()];
  }
}
