import { Catalog } from '../schema/catalog';
import { FunctionDefinition, parameterListText } from '../schema/functions';
import { WATCHLIST_STANDARD_COLUMNS } from '../schema/watchlists';
import { KustoLanguage, KustoObject, toArray } from './loadKusto';
import { columnSymbols, resultTable } from './symbols';

/** The state a function symbol's return-type callback reads when a query calls the function. */
export interface FunctionContext {
  catalog: Catalog;
  /** The environment's database, for `workspace()`; available once the globals are built. */
  database: () => KustoObject;
}

type ReturnType = (info: KustoObject) => KustoObject;

function watchlistTable(kusto: KustoLanguage, catalog: Catalog, info: KustoObject): KustoObject {
  const alias = toArray(info.Arguments)[0]?.LiteralValue;
  const watchlist = typeof alias === 'string' ? catalog.watchlist(alias) : undefined;
  const columns = [...WATCHLIST_STANDARD_COLUMNS, ...(watchlist?.columns ?? []).filter((column) => !WATCHLIST_STANDARD_COLUMNS.some((standard) => standard.name === column.name))];
  // An undeclared watchlist still runs; its columns are unknown, so any name is accepted.
  return resultTable(kusto, columnSymbols(kusto, columns), watchlist === undefined);
}

/** The `invoke` input's columns, then the function's own columns that the input lacks. */
function inputPlusTable(kusto: KustoLanguage, definition: FunctionDefinition, info: KustoObject): KustoObject {
  if (definition.output.kind !== 'input-plus') throw new Error(`${definition.name} does not extend its input.`);
  const input = toArray(info.ArgumentTypes)[0];
  const Bridge = (globalThis as KustoObject).Bridge;
  const inputColumns: KustoObject[] = input && Bridge.is(input, kusto.Symbols.TableSymbol) ? toArray(input.Columns) : [];
  const names = new Set(inputColumns.map((column) => column.Name as string));
  const added = definition.output.columns.filter((column) => !names.has(column.name));
  return resultTable(kusto, [...inputColumns, ...columnSymbols(kusto, added)]);
}

function returnType(kusto: KustoLanguage, definition: FunctionDefinition, context: FunctionContext): { callback: ReturnType; tabularity: number } | undefined {
  const tabularity = kusto.Symbols.Tabularity;
  const output = definition.output;
  switch (output.kind) {
    case 'columns': {
      const table = resultTable(kusto, columnSymbols(kusto, output.columns), output.open === true);
      return { callback: () => table, tabularity: tabularity.Tabular };
    }
    case 'input-plus':
      return { callback: (info) => inputPlusTable(kusto, definition, info), tabularity: tabularity.Tabular };
    case 'watchlist':
      return { callback: (info) => watchlistTable(kusto, context.catalog, info), tabularity: tabularity.Tabular };
    case 'workspace':
      // The analysis's own database, so that a block's open-schema columns and stand-ins apply there too.
      return { callback: (info) => info.Globals?.Database ?? context.database(), tabularity: tabularity.Other };
    case 'open-database': {
      const database = new kusto.Symbols.DatabaseSymbol.$ctor1(definition.name, [], true);
      return { callback: () => database, tabularity: tabularity.Other };
    }
    case 'body':
      return undefined;
  }
}

/** The Kusto.Language parameters of a definition, parsed from its KQL parameter list. */
export function parseParameters(kusto: KustoLanguage, definition: FunctionDefinition): KustoObject[] {
  return toArray(kusto.Symbols.Parameter.ParseList(definition.parameterList ?? parameterListText(definition.parameters)));
}

/**
 * Builds the Kusto.Language symbol of one function: a body function for user functions with a KQL
 * body, otherwise a function whose return type a callback computes from the call's arguments.
 */
export function functionSymbol(kusto: KustoLanguage, definition: FunctionDefinition, context: FunctionContext): KustoObject {
  const symbols = kusto.Symbols;
  const parameters = parseParameters(kusto, definition);
  if (definition.output.kind === 'body') return new symbols.FunctionSymbol.$ctor11(definition.name, definition.output.body, parameters);

  const computed = returnType(kusto, definition, context)!;
  const signature = new symbols.Signature.ctor(computed.callback, computed.tabularity, parameters);
  return new symbols.FunctionSymbol.$ctor10(definition.name, [signature], definition.description);
}
