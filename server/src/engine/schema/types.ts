/** The two query environments a hunt can run in. */
export type Environment = 'sentinel' | 'defender';

export const ENVIRONMENTS: readonly Environment[] = ['sentinel', 'defender'];

/** Display names used in messages and hovers. */
export const ENVIRONMENT_LABELS: Record<Environment, string> = {
  sentinel: 'Microsoft Sentinel (Log Analytics)',
  defender: 'Defender XDR advanced hunting',
};

/** The time column each environment stamps on its rows. */
export const TIME_COLUMNS: Record<Environment, string> = {
  sentinel: 'TimeGenerated',
  defender: 'Timestamp',
};

/** Kusto scalar types, by their canonical Kusto names. */
export type ScalarType = 'string' | 'int' | 'long' | 'real' | 'decimal' | 'bool' | 'datetime' | 'timespan' | 'guid' | 'dynamic';

export interface Column {
  name: string;
  type: ScalarType;
}

const TYPE_ALIASES: Record<string, ScalarType> = {
  string: 'string',
  int: 'int',
  int32: 'int',
  long: 'long',
  int64: 'long',
  bigint: 'long',
  real: 'real',
  double: 'real',
  float: 'real',
  decimal: 'decimal',
  bool: 'bool',
  boolean: 'bool',
  datetime: 'datetime',
  date: 'datetime',
  timespan: 'timespan',
  time: 'timespan',
  guid: 'guid',
  uniqueid: 'guid',
  dynamic: 'dynamic',
  object: 'dynamic',
  // .NET type names, as `getschema` reports them in its DataType column.
  'system.string': 'string',
  'system.int32': 'int',
  'system.int64': 'long',
  'system.double': 'real',
  'system.single': 'real',
  'system.boolean': 'bool',
  'system.sbyte': 'bool',
  'system.datetime': 'datetime',
  'system.timespan': 'timespan',
  'system.guid': 'guid',
  'system.object': 'dynamic',
  'system.data.sqltypes.sqldecimal': 'decimal',
};

/** Maps a type name as schema files spell it (any case, .NET or SQL aliases) to its Kusto type. */
export function normalizeType(raw: string): ScalarType | undefined {
  return TYPE_ALIASES[raw.trim().toLowerCase()];
}

/** One-letter codes that keep the generated catalog small. */
export const TYPE_CODES: Record<string, ScalarType> = {
  s: 'string',
  i: 'int',
  l: 'long',
  r: 'real',
  m: 'decimal',
  b: 'bool',
  t: 'datetime',
  n: 'timespan',
  g: 'guid',
  d: 'dynamic',
};

export const CODE_OF_TYPE: Record<ScalarType, string> = Object.fromEntries(
  Object.entries(TYPE_CODES).map(([code, type]) => [type, code]),
) as Record<ScalarType, string>;
