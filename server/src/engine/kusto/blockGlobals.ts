import { Catalog } from '../schema/catalog';
import { Column, ScalarType } from '../schema/types';
import { LruCache } from '../util/lru';
import { closestName, editDistance } from '../util/similarity';
import { EnvironmentGlobals, withTables } from './globals';
import { KustoLanguage, KustoObject } from './loadKusto';
import { tableSymbol } from './symbols';

// Log Analytics stores fields it has no schema for in columns named with a type suffix, on
// AzureDiagnostics and on custom `_CL` tables. Such a column resolves when the block names it.
// Kusto.Language resolves names against fixed table symbols, so for a block that names suffixed
// columns the affected tables are rebuilt with those columns added.

const SUFFIX_TYPES: Record<string, ScalarType> = { s: 'string', d: 'real', b: 'bool', g: 'guid', t: 'datetime' };
const SUFFIXED = /^[A-Za-z_][A-Za-z0-9_]*_([sdbgt])$/;
const CUSTOM_TABLE = /^[A-Za-z_][A-Za-z0-9_]*_CL$/;

/** Columns every Log Analytics table has, given to a stand-in for an unknown custom table. */
const STANDARD_COLUMNS: readonly Column[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'TenantId', type: 'string' },
  { name: 'Type', type: 'string' },
  { name: '_ResourceId', type: 'string' },
];

/** The names a block uses: identifiers, and string literals that may name a table (`table("X_CL")`). */
export interface BlockNames {
  identifiers: Set<string>;
  strings: Set<string>;
}

export interface BlockGlobals {
  globals: KustoObject;
  /** `_CL` tables in no catalog that the block uses, analysed as open stand-ins. */
  unknownCustomTables: Set<string>;
}

export function isOpenSchemaTable(name: string): boolean {
  return name === 'AzureDiagnostics' || CUSTOM_TABLE.test(name);
}

/** The type an open-schema column name's suffix gives it, if it has one. */
export function suffixType(name: string): ScalarType | undefined {
  const match = SUFFIXED.exec(name);
  return match ? SUFFIX_TYPES[match[1]] : undefined;
}

/**
 * The suffixed names of a block as columns, except those the table already has. With `declared`,
 * a name one edit away from a declared column (or the same in another case) is taken for a typo
 * of it and left unresolved, so that Kusto reports it with the name meant.
 */
function suffixColumns(names: Iterable<string>, except: ReadonlySet<string>, declared: readonly string[] = []): Column[] {
  const columns: Column[] = [];
  for (const name of names) {
    const type = suffixType(name);
    if (!type || except.has(name)) continue;
    if (declared.some((column) => editDistance(column, name) <= 1)) continue;
    columns.push({ name, type });
  }
  return columns.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Derives per-block globals: open-schema tables gain the suffixed columns the block names, and
 * unknown `_CL` tables get an open stand-in. Blocks that need neither share the base globals.
 */
export class BlockGlobalsFactory {
  private readonly cache = new LruCache<string, KustoObject>(64);

  constructor(
    private readonly kusto: KustoLanguage,
    private readonly catalog: Catalog,
  ) {}

  derive(base: EnvironmentGlobals, names: BlockNames): BlockGlobals {
    const environment = base.environment;
    const tables: { name: string; columns: Column[]; open: boolean }[] = [];
    const unknownCustomTables = new Set<string>();
    const candidates = new Set([...names.identifiers, ...[...names.strings].filter((value) => CUSTOM_TABLE.test(value))]);

    for (const name of candidates) {
      if (!isOpenSchemaTable(name)) continue;
      const table = this.catalog.table(name, environment);
      if (table) {
        // AzureDiagnostics gathers the fields of many resource types, with near-identical real
        // names (identity_claim_oid_g, identity_claim_tid_g), so only the declared schemas of
        // _CL tables are used to catch typos.
        const existing = table.columns.map((column) => column.name);
        const added = suffixColumns(names.identifiers, new Set(existing), CUSTOM_TABLE.test(name) ? existing : []);
        if (added.length > 0) tables.push({ name, columns: [...table.columns, ...added], open: false });
      } else if (CUSTOM_TABLE.test(name) && !this.isLikelyTypo(name, environment)) {
        unknownCustomTables.add(name);
        tables.push({ name, columns: [...STANDARD_COLUMNS, ...suffixColumns(names.identifiers, new Set(STANDARD_COLUMNS.map((column) => column.name)))], open: true });
      }
    }
    if (tables.length === 0) return { globals: base.globals, unknownCustomTables };

    const key = `${environment}\u0000${JSON.stringify(tables)}`;
    let globals = this.cache.get(key);
    if (!globals) {
      globals = withTables(base, tables.map((table) => tableSymbol(this.kusto, table.name, table.columns, table.open)));
      this.cache.set(key, globals);
    }
    return { globals, unknownCustomTables };
  }

  /** A `_CL` name one typo away from a known table is left to Kusto's unknown-table error. */
  private isLikelyTypo(name: string, environment: EnvironmentGlobals['environment']): boolean {
    return closestName(name, this.catalog.tableNames(environment)) !== undefined;
  }
}
