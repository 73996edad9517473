import { LoadProblem } from '../util/problems';
import { getKeyInsensitive, isMap, isScalar, isSeq, JsonSource, Node, parseJsonSource, scalarString } from '../util/jsonSource';
import { Column, Environment, ENVIRONMENTS, normalizeType } from './types';

export interface FunctionParameter {
  name: string;
  /** A Kusto scalar type name, or a tabular type such as `(*)` for an `invoke` input. */
  type: string;
  /** Default value as KQL text; a parameter with a default is optional. */
  default?: string;
  description?: string;
  /** The argument may name a column of the `invoke` input, as in `invoke FileProfile(SHA1)`. */
  columnArgument?: boolean;
}

/** What a function returns. */
export type FunctionOutput =
  /** A table of these columns; `open` accepts any other column name, typed dynamic. */
  | { kind: 'columns'; columns: Column[]; open?: boolean }
  /** The `invoke` input's columns plus these (Defender XDR enrichment functions). */
  | { kind: 'input-plus'; columns: Column[] }
  /** Whatever the KQL body returns. */
  | { kind: 'body'; body: string }
  /** `_GetWatchlist(alias)`: the watchlist's columns from the configured watchlists. */
  | { kind: 'watchlist' }
  /** `workspace(name)`: a database with the environment's own tables. */
  | { kind: 'workspace' }
  /** `app()`, `adx()`, `arg()`: a database whose tables and columns are not known. */
  | { kind: 'open-database' };

export interface FunctionDefinition {
  name: string;
  description: string;
  parameters: FunctionParameter[];
  /** A KQL parameter list from a user file, such as `(lookback:timespan = 1d)`; Kusto.Language resolves it into `parameters`. */
  parameterList?: string;
  output: FunctionOutput;
  environments: Environment[];
  /** 'built-in' or the file the function came from. */
  source: string;
  /** 1-based lines in that file of the definition and of its "body", for problems found later. */
  line?: number;
  bodyLine?: number;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TABULAR_TYPE = /^\(.*\)$/s;

/** Whether a parameter type is a Kusto scalar type name or a tabular type. */
export function isValidParameterType(type: string): boolean {
  return TABULAR_TYPE.test(type.trim()) || normalizeType(type) !== undefined;
}

/** Renders parameters as a KQL parameter list, `(name:type = default, ...)`. */
export function parameterListText(parameters: readonly FunctionParameter[]): string {
  const items = parameters.map((parameter) => {
    const type = TABULAR_TYPE.test(parameter.type.trim()) ? parameter.type.trim() : (normalizeType(parameter.type) ?? parameter.type);
    return parameter.default === undefined ? `${parameter.name}:${type}` : `${parameter.name}:${type} = ${parameter.default}`;
  });
  return `(${items.join(', ')})`;
}

interface ItemContext {
  file: string;
  source: JsonSource;
  problems: LoadProblem[];
}

function environmentsOf(node: Node | undefined, name: string, context: ItemContext): Environment[] {
  const raw = scalarString(node)?.trim().toLowerCase();
  if (raw === undefined || raw === 'both' || raw === 'all') return [...ENVIRONMENTS];
  if ((ENVIRONMENTS as readonly string[]).includes(raw)) return [raw as Environment];
  context.problems.push({ file: context.file, line: context.source.lineOf(node), value: raw, severity: 'warning', message: `Function '${name}' has unknown environment '${raw}'; use sentinel, defender or both. Using both.` });
  return [...ENVIRONMENTS];
}

function parametersOf(node: Node | undefined, name: string, context: ItemContext): { parameters: FunctionParameter[]; parameterList?: string } | undefined {
  if (node === undefined) return { parameters: [] };
  const list = scalarString(node);
  if (list !== undefined) {
    const trimmed = list.trim();
    return { parameters: [], parameterList: trimmed.startsWith('(') ? trimmed : `(${trimmed})` };
  }
  if (!isSeq(node)) {
    context.problems.push({ file: context.file, line: context.source.lineOf(node), severity: 'error', message: `Function '${name}' has invalid "parameters"; use a list of {"name", "type", "default", "description"} or a KQL list such as "(lookback:timespan = 1d)".` });
    return undefined;
  }
  const parameters: FunctionParameter[] = [];
  for (const item of node.items) {
    const line = context.source.lineOf(item as Node);
    const parameterName = scalarString(getKeyInsensitive(item as Node, 'name'))?.trim() ?? '';
    const type = scalarString(getKeyInsensitive(item as Node, 'type'))?.trim() ?? '';
    if (!IDENTIFIER.test(parameterName) || !isValidParameterType(type)) {
      context.problems.push({ file: context.file, line, value: `${parameterName}:${type}`, severity: 'error', message: `Function '${name}' has an invalid parameter '${parameterName}:${type}'; give a name and a Kusto type such as string, timespan or (*).` });
      return undefined;
    }
    const defaultValue = getKeyInsensitive(item as Node, 'default');
    parameters.push({
      name: parameterName,
      type,
      default: defaultValue === undefined ? undefined : String((defaultValue as { value?: unknown }).value ?? scalarString(defaultValue)),
      description: scalarString(getKeyInsensitive(item as Node, 'description')),
    });
  }
  return { parameters };
}

function columnsOf(node: Node, name: string, context: ItemContext): Column[] {
  const columns: Column[] = [];
  const add = (columnName: string | undefined, rawType: string | undefined, line: number | undefined): void => {
    const type = rawType === undefined ? undefined : normalizeType(rawType);
    if (!columnName) return;
    if (!type) context.problems.push({ file: context.file, line, value: rawType ?? '', severity: 'warning', message: `Column '${columnName}' of function '${name}' has unknown type '${rawType ?? ''}'; loaded as dynamic.` });
    if (!columns.some((column) => column.name === columnName)) columns.push({ name: columnName, type: type ?? 'dynamic' });
  };
  if (isMap(node)) for (const pair of node.items) add(isScalar(pair.key) ? String(pair.key.value) : undefined, scalarString(pair.value as Node), context.source.lineOf(pair.key as Node));
  if (isSeq(node)) for (const item of node.items) add(scalarString(getKeyInsensitive(item as Node, 'name')), scalarString(getKeyInsensitive(item as Node, 'type')), context.source.lineOf(item as Node));
  return columns;
}

function parseFunction(item: Node, context: ItemContext): FunctionDefinition | undefined {
  const line = context.source.lineOf(item);
  const name = scalarString(getKeyInsensitive(item, 'name'))?.trim() ?? '';
  if (!IDENTIFIER.test(name)) {
    context.problems.push({ file: context.file, line, value: name, severity: 'error', message: `A function has ${name ? `an invalid name '${name}'` : 'no "name"'}; use a KQL identifier such as "SuspiciousSignins".` });
    return undefined;
  }
  const columnsNode = getKeyInsensitive(item, 'columns');
  const bodyNode = getKeyInsensitive(item, 'body');
  const body = scalarString(bodyNode);
  if ((columnsNode === undefined) === (body === undefined)) {
    context.problems.push({ file: context.file, line, value: name, severity: 'error', message: `Function '${name}' needs exactly one of "columns" (its output columns) and "body" (its KQL text).` });
    return undefined;
  }
  const parameters = parametersOf(getKeyInsensitive(item, 'parameters'), name, context);
  if (!parameters) return undefined;

  const output: FunctionOutput = body !== undefined ? { kind: 'body', body } : { kind: 'columns', columns: columnsOf(columnsNode!, name, context) };
  return {
    name,
    description: scalarString(getKeyInsensitive(item, 'description')) ?? '',
    ...parameters,
    output,
    environments: environmentsOf(getKeyInsensitive(item, 'environment') ?? getKeyInsensitive(item, 'environments'), name, context),
    source: context.file,
    line,
    bodyLine: bodyNode === undefined ? undefined : context.source.lineOf(bodyNode),
  };
}

/**
 * Reads a file of user functions: a list of definitions, `{"functions": [...]}`, or one
 * definition. Each has a name, optional description and parameters, and either output
 * columns or a KQL body.
 */
export function parseFunctionsFile(file: string, text: string, problems: LoadProblem[]): FunctionDefinition[] {
  const source = parseJsonSource(file, text, problems);
  if (!source) return [];
  const root = source.root;
  const list = isSeq(root) ? root : getKeyInsensitive(root, 'functions');
  const items = isSeq(list) ? (list.items as Node[]) : isMap(root) && getKeyInsensitive(root, 'name') !== undefined ? [root] : undefined;
  if (!items) {
    problems.push({ file, line: source.lineOf(root), severity: 'error', message: 'Unrecognised functions file: expected a list of functions, {"functions": [...]}, or one {"name": ..., "columns" or "body": ...}.' });
    return [];
  }
  const context: ItemContext = { file, source, problems };
  return items.map((item) => parseFunction(item, context)).filter((definition): definition is FunctionDefinition => definition !== undefined);
}
