import { Catalog } from '../schema/catalog';
import { Environment, ScalarType } from '../schema/types';
import { KustoLanguage, KustoObject } from './loadKusto';

/** Builds Kusto.Language's GlobalState for one environment: a database holding its tables. */
export function buildGlobals(kusto: KustoLanguage, catalog: Catalog, environment: Environment): KustoObject {
  const symbols = kusto.Symbols;
  const scalar: Record<ScalarType, KustoObject> = {
    string: symbols.ScalarTypes.String,
    int: symbols.ScalarTypes.Int,
    long: symbols.ScalarTypes.Long,
    real: symbols.ScalarTypes.Real,
    decimal: symbols.ScalarTypes.Decimal,
    bool: symbols.ScalarTypes.Bool,
    datetime: symbols.ScalarTypes.DateTime,
    timespan: symbols.ScalarTypes.TimeSpan,
    guid: symbols.ScalarTypes.Guid,
    dynamic: symbols.ScalarTypes.Dynamic,
  };

  const tables: KustoObject[] = [];
  for (const name of catalog.tableNames(environment)) {
    const table = catalog.table(name, environment);
    if (!table) continue;
    const columns = table.columns.map((column) => new symbols.ColumnSymbol(column.name, scalar[column.type]));
    tables.push(new symbols.TableSymbol.$ctor4(name, columns));
  }

  const database = new symbols.DatabaseSymbol.ctor(environment, tables);
  return kusto.GlobalState.Default.WithDatabase(database);
}
