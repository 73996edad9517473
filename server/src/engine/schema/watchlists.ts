import { LoadProblem } from '../util/problems';
import { Column, normalizeType } from './types';

/** The columns `_GetWatchlist(alias)` returns for one Microsoft Sentinel watchlist. */
export interface WatchlistDefinition {
  alias: string;
  /** The watchlist's own columns; the standard ones (SearchKey, ...) come on top. */
  columns: Column[];
  /** The setting or file the watchlist was declared in. */
  source: string;
}

/** Columns every `_GetWatchlist()` result has, whatever the watchlist holds. */
export const WATCHLIST_STANDARD_COLUMNS: readonly Column[] = [
  { name: '_DTItemId', type: 'string' },
  { name: 'LastUpdatedTimeUTC', type: 'datetime' },
  { name: 'SearchKey', type: 'string' },
  { name: 'WatchlistItem', type: 'dynamic' },
];

function watchlistColumns(alias: string, value: unknown, source: string, problems: LoadProblem[]): Column[] | undefined {
  const columns: Column[] = [];
  const add = (name: string, rawType: string): void => {
    const type = normalizeType(rawType);
    if (!type) problems.push({ file: source, value: rawType, severity: 'warning', message: `Column '${name}' of watchlist '${alias}' has unknown type '${rawType}'; loaded as string.` });
    if (!columns.some((column) => column.name === name)) columns.push({ name, type: type ?? 'string' });
  };

  // Watchlist items are uploaded as CSV, so an untyped column is a string.
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    for (const name of value) add(name, 'string');
    return columns;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((item) => typeof item === 'string')) {
    for (const [name, type] of Object.entries(value as Record<string, string>)) add(name, type);
    return columns;
  }
  problems.push({
    file: source,
    value: alias,
    severity: 'error',
    message: `Watchlist '${alias}' must list its columns, as ["Hostname", "Owner"] or {"Hostname": "string"}; got ${JSON.stringify(value)}.`,
  });
  return undefined;
}

/**
 * Reads watchlist declarations, `{"alias": ["Column", ...]}` or `{"alias": {"Column": "type"}}`,
 * from a setting value or a parsed file. Invalid entries are reported and skipped.
 */
export function parseWatchlists(value: unknown, source: string, problems: LoadProblem[]): WatchlistDefinition[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ file: source, value: JSON.stringify(value), severity: 'error', message: 'Watchlists must be an object that maps each alias to its columns, as {"HighValueAssets": ["Hostname", "Owner"]}.' });
    return [];
  }
  const watchlists: WatchlistDefinition[] = [];
  for (const [alias, columnsValue] of Object.entries(value as Record<string, unknown>)) {
    const columns = watchlistColumns(alias, columnsValue, source, problems);
    if (columns) watchlists.push({ alias, columns, source });
  }
  return watchlists;
}
