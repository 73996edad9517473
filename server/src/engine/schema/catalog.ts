import builtInCatalog from '../../../data/catalog.json';
import { CatalogFile, decodeColumns } from './catalogData';
import { TableDefinition } from './customTables';
import { Column, Environment, ENVIRONMENTS } from './types';

/** One table as an environment sees it. */
export interface TableInfo {
  name: string;
  environment: Environment;
  columns: readonly Column[];
  /** Where the schema came from: 'built-in' or a custom-table file. */
  source: string;
}

/**
 * The tables of both environments: the built-in catalog plus any custom tables. Column lists are
 * decoded on first use, because a hunt touches a handful of the 900-odd tables.
 */
export class Catalog {
  private readonly encoded = new Map<string, Partial<Record<Environment, string>>>();
  private readonly decoded = new Map<string, Column[]>();
  private readonly custom = new Map<string, TableDefinition>();
  private readonly lowerCaseNames = new Map<string, string>();

  constructor(file: CatalogFile, customTables: readonly TableDefinition[] = []) {
    for (const [name, environments] of Object.entries(file.tables)) {
      this.encoded.set(name, environments);
      this.lowerCaseNames.set(name.toLowerCase(), name);
    }
    for (const table of customTables) {
      this.custom.set(table.name, table);
      this.lowerCaseNames.set(table.name.toLowerCase(), table.name);
    }
  }

  static builtIn(customTables: readonly TableDefinition[] = []): Catalog {
    return new Catalog(builtInCatalog as CatalogFile, customTables);
  }

  /** The table as `environment` knows it; custom tables exist in both environments. */
  table(name: string, environment: Environment): TableInfo | undefined {
    const custom = this.custom.get(name);
    if (custom) return { name, environment, columns: custom.columns, source: custom.source };

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

  environmentsOf(name: string): Environment[] {
    if (this.custom.has(name)) return [...ENVIRONMENTS];
    const entry = this.encoded.get(name);
    return entry ? ENVIRONMENTS.filter((environment) => entry[environment] !== undefined) : [];
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
}
