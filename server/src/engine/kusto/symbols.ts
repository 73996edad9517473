import { Column, ScalarType } from '../schema/types';
import { KustoLanguage, KustoObject } from './loadKusto';

/** Kusto.Language's scalar type symbols by this project's type names. */
export function scalarTypes(kusto: KustoLanguage): Record<ScalarType, KustoObject> {
  const types = kusto.Symbols.ScalarTypes;
  return {
    string: types.String,
    int: types.Int,
    long: types.Long,
    real: types.Real,
    decimal: types.Decimal,
    bool: types.Bool,
    datetime: types.DateTime,
    timespan: types.TimeSpan,
    guid: types.Guid,
    dynamic: types.Dynamic,
  };
}

export function columnSymbols(kusto: KustoLanguage, columns: readonly Column[]): KustoObject[] {
  const scalar = scalarTypes(kusto);
  return columns.map((column) => new kusto.Symbols.ColumnSymbol(column.name, scalar[column.type]));
}

/** A named table; an open one accepts any column name, typed dynamic. */
export function tableSymbol(kusto: KustoLanguage, name: string, columns: readonly Column[], open = false): KustoObject {
  const table = new kusto.Symbols.TableSymbol.$ctor4(name, columnSymbols(kusto, columns));
  return open ? table.WithIsOpen(true) : table;
}

/** An unnamed result table, as a function returns. */
export function resultTable(kusto: KustoLanguage, columns: readonly KustoObject[], open = false): KustoObject {
  const table = new kusto.Symbols.TableSymbol.ctor(columns);
  return open ? table.WithIsOpen(true) : table;
}
