import fg from 'fast-glob';
import { readFile, stat } from 'node:fs/promises';
import { LoadProblem } from '../util/problems';
import { UserSchema } from './catalog';
import { parseCustomTableFile, TableDefinition } from './customTables';
import { FunctionDefinition, parseFunctionsFile } from './functions';
import { parseWatchlists, WatchlistDefinition } from './watchlists';

// Reads the user's schema files: custom tables and functions from files or folders, and
// watchlists from a JSON file. A path that cannot be read, a file that cannot be parsed or a
// bad value is one problem; everything else still loads.

export interface LoadedSchema extends UserSchema {
  tables: TableDefinition[];
  functions: FunctionDefinition[];
  watchlists: WatchlistDefinition[];
  problems: LoadProblem[];
  /** Every file that was read, so that a caller can watch them. */
  files: string[];
  /** Configured paths that do not exist or cannot be read at all. */
  unreadable: string[];
}

/** Expands files and folders into the files under them with the given extensions, sorted. */
async function expand(paths: readonly string[], extensions: readonly string[], problems: LoadProblem[], unreadable: string[]): Promise<string[]> {
  const files = new Set<string>();
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      unreadable.push(path);
      problems.push({ file: path, severity: 'error', message: code === 'ENOENT' ? 'No such file or folder; check the path (relative paths start at the workspace folder, or at the current folder on the command line).' : `Cannot read: ${(error as Error).message}` });
      continue;
    }
    if (info.isFile()) {
      files.add(path);
      continue;
    }
    const found = await fg(`**/*.{${extensions.join(',')}}`, { cwd: path, absolute: true, ignore: ['**/node_modules/**', '**/.git/**'] });
    for (const file of found.sort()) files.add(file);
  }
  return [...files];
}

async function readText(file: string, problems: LoadProblem[], unreadable: string[]): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    unreadable.push(file);
    problems.push({ file, severity: 'error', message: `Cannot read: ${(error as Error).message}` });
    return undefined;
  }
}

/** Keeps the first definition of each name and reports the later ones. */
function firstOfEach<T extends { source: string }>(items: T[], nameOf: (item: T) => string, kind: string, problems: LoadProblem[]): T[] {
  const seen = new Map<string, T>();
  for (const item of items) {
    const name = nameOf(item);
    const first = seen.get(name);
    if (!first) {
      seen.set(name, item);
      continue;
    }
    problems.push({ file: item.source, value: name, severity: 'warning', message: `${kind} '${name}' is also declared in ${first.source}; using that one.` });
  }
  return [...seen.values()];
}

interface LoadState {
  problems: LoadProblem[];
  files: string[];
  unreadable: string[];
}

async function loadTables(paths: readonly string[], state: LoadState): Promise<TableDefinition[]> {
  const { problems, files, unreadable } = state;
  const tables: TableDefinition[] = [];
  for (const file of await expand(paths, ['json', 'csv'], problems, unreadable)) {
    const text = await readText(file, problems, unreadable);
    files.push(file);
    if (text !== undefined) tables.push(...parseCustomTableFile(file, text, problems));
  }
  return firstOfEach(tables, (table) => table.name, 'Table', problems);
}

async function loadFunctions(paths: readonly string[], state: LoadState): Promise<FunctionDefinition[]> {
  const { problems, files, unreadable } = state;
  const functions: FunctionDefinition[] = [];
  for (const file of await expand(paths, ['json'], problems, unreadable)) {
    const text = await readText(file, problems, unreadable);
    files.push(file);
    if (text !== undefined) functions.push(...parseFunctionsFile(file, text, problems));
  }
  return firstOfEach(functions, (definition) => definition.name, 'Function', problems);
}

/** Reads watchlist declarations from a JSON file shaped like the kqlHunt.schema.watchlists setting. */
async function loadWatchlistsFile(file: string, state: LoadState): Promise<WatchlistDefinition[]> {
  const { problems } = state;
  state.files.push(file);
  const text = await readText(file, problems, state.unreadable);
  if (text === undefined) return [];
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    problems.push({ file, severity: 'error', message: `Invalid JSON: ${(error as Error).message}` });
    return [];
  }
  return parseWatchlists(value, file, problems);
}

export interface SchemaSources {
  tables: readonly string[];
  functions: readonly string[];
  /** Watchlists already parsed (from a setting), or a file to read them from. */
  watchlists: WatchlistDefinition[] | { file: string };
}

/** Loads everything a user declares, collecting every problem on the way. */
export async function loadUserSchema(sources: SchemaSources): Promise<LoadedSchema> {
  const state: LoadState = { problems: [], files: [], unreadable: [] };
  const tables = await loadTables(sources.tables, state);
  const functions = await loadFunctions(sources.functions, state);
  const watchlists = Array.isArray(sources.watchlists) ? sources.watchlists : await loadWatchlistsFile(sources.watchlists.file, state);
  return { tables, functions, watchlists, ...state };
}
