import { EnvironmentSetting } from './schema/environment';

/** Settings the engine reads, resolved for one document. */
export interface Settings {
  environment: EnvironmentSetting;
  exclusions: {
    internalNetworks: string[];
    logServers: string[];
    adminAccounts: string[];
  };
  schema: {
    customTables: string[];
    functions: string[];
    watchlists: Record<string, unknown>;
  };
  completion: {
    maxItems: number;
  };
  analysis: {
    timeoutMs: number;
    maxBlockLength: number;
    maxNestingDepth: number;
    maxBlocks: number;
    debounceMs: number;
  };
  logLevel: 'error' | 'warn' | 'info' | 'debug';
}

type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';

/** One setting as `package.json` declares it under `contributes.configuration`. */
export interface SettingSpec {
  type: JsonType;
  default: unknown;
  scope: 'application' | 'machine' | 'window' | 'resource';
  markdownDescription: string;
  enum?: string[];
  enumDescriptions?: string[];
  items?: { type: JsonType };
  minimum?: number;
  maximum?: number;
}

/**
 * Every setting of the extension, keyed by its full name. This is the one declaration:
 * `package.json` mirrors it, and a test keeps the two equal.
 */
export const SETTINGS_SCHEMA: Record<string, SettingSpec> = {
  'kqlHunt.environment': {
    type: 'string',
    default: 'auto',
    enum: ['auto', 'sentinel', 'defender'],
    enumDescriptions: [
      'Pick per block: Defender XDR when the block uses a Defender-only table or Timestamp on a Device* table, otherwise Sentinel.',
      'Microsoft Sentinel (Log Analytics tables, TimeGenerated).',
      'Defender XDR advanced hunting (Timestamp).',
    ],
    scope: 'resource',
    markdownDescription: 'Environment the queries run in, which decides the table catalog and the time column. A `// kql-hunt: environment=defender` comment overrides it for the rest of a file, or for one block when it sits inside the block.',
  },
  'kqlHunt.exclusions.internalNetworks': {
    type: 'array',
    items: { type: 'string' },
    default: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'],
    scope: 'resource',
    markdownDescription: 'Internal address ranges (CIDR, IPv4 or IPv6) used by the exclusions for internal `nmap` scans and `rsync` log collection.',
  },
  'kqlHunt.exclusions.logServers': {
    type: 'array',
    items: { type: 'string' },
    default: [],
    scope: 'resource',
    markdownDescription: 'Addresses or CIDR ranges of the log servers that `rsync` legitimately sends logs to; the `rsync-log-collection` exclusion also accepts these.',
  },
  'kqlHunt.exclusions.adminAccounts': {
    type: 'array',
    items: { type: 'string' },
    default: ['root', 'administrator'],
    scope: 'resource',
    markdownDescription: 'Account names of administrators, for the exclusions of admin `nc` use and cron package updates (compared case-insensitively).',
  },
  'kqlHunt.schema.customTables': {
    type: 'array',
    items: { type: 'string' },
    default: [],
    scope: 'window',
    markdownDescription:
      'Files or folders with the schemas of your own tables (relative paths start at the workspace folder; changes are picked up). Each file is a Sentinel table JSON (`{"Name": "MyTable_CL", "Properties": [{"Name": "Column", "Type": "string"}]}`), the output of `MyTable_CL | getschema` as CSV or JSON (name the file after the table, such as `MyTable_CL.csv`), or a map `{"MyTable_CL": {"Column": "string"}}`.',
  },
  'kqlHunt.schema.functions': {
    type: 'array',
    items: { type: 'string' },
    default: [],
    scope: 'window',
    markdownDescription:
      'Files or folders of JSON function declarations, for the saved functions your hunts call: `[{"name": "MyFunction", "parameters": [{"name": "lookback", "type": "timespan", "default": "1d"}], "columns": {"Column": "string"}}]`, with `"body": "KQL text"` in place of `"columns"` to declare a function by its query. Relative paths start at the workspace folder.',
  },
  'kqlHunt.schema.watchlists': {
    type: 'object',
    default: {},
    scope: 'window',
    markdownDescription:
      'The columns of your Microsoft Sentinel watchlists, by alias, for `_GetWatchlist()`: `{"HighValueAssets": ["Hostname", "Owner"]}` (string columns) or `{"HighValueAssets": {"Hostname": "string", "Tier": "int"}}`. An undeclared watchlist accepts any column.',
  },
  'kqlHunt.completion.maxItems': {
    type: 'integer',
    default: 200,
    minimum: 10,
    maximum: 5000,
    scope: 'window',
    markdownDescription: 'Maximum number of completion items returned for one request; the list is marked incomplete when more match.',
  },
  'kqlHunt.analysis.timeoutMs': {
    type: 'integer',
    default: 5000,
    minimum: 100,
    maximum: 120000,
    scope: 'window',
    markdownDescription: 'Time limit in milliseconds for analysing one block. A block that runs longer is reported as too complex and the analysis worker is restarted.',
  },
  'kqlHunt.analysis.maxBlockLength': {
    type: 'integer',
    default: 200000,
    minimum: 1000,
    scope: 'window',
    markdownDescription: 'Blocks longer than this many characters are not analysed; they get one information diagnostic instead.',
  },
  'kqlHunt.analysis.maxNestingDepth': {
    type: 'integer',
    default: 200,
    minimum: 10,
    scope: 'window',
    markdownDescription: 'Blocks whose brackets nest deeper than this are not analysed, because Kusto.Language takes seconds to minutes on very deep nesting.',
  },
  'kqlHunt.analysis.maxBlocks': {
    type: 'integer',
    default: 5000,
    minimum: 1,
    scope: 'window',
    markdownDescription: 'Only the first this many blocks of a document are analysed.',
  },
  'kqlHunt.analysis.debounceMs': {
    type: 'integer',
    default: 150,
    minimum: 0,
    maximum: 5000,
    scope: 'window',
    markdownDescription: 'Delay in milliseconds after the last edit before a document is analysed again.',
  },
  'kqlHunt.logLevel': {
    type: 'string',
    default: 'info',
    enum: ['error', 'warn', 'info', 'debug'],
    scope: 'window',
    markdownDescription: 'Level of detail the language server writes to the **KQL Hunt** output channel.',
  },
};

function valueMatches(spec: SettingSpec, value: unknown): boolean {
  switch (spec.type) {
    case 'string':
      return typeof value === 'string' && (!spec.enum || spec.enum.includes(value));
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return false;
      if (spec.type === 'integer' && !Number.isInteger(value)) return false;
      return (spec.minimum === undefined || value >= spec.minimum) && (spec.maximum === undefined || value <= spec.maximum);
    }
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value) && value.every((item) => spec.items?.type !== 'string' || typeof item === 'string');
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

function readPath(root: unknown, path: string[]): unknown {
  let node = root;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function writePath(root: Record<string, unknown>, path: string[], value: unknown): void {
  let node = root;
  for (const key of path.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

function defaultSettings(): Settings {
  const settings: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(SETTINGS_SCHEMA)) writePath(settings, name.split('.').slice(1), structuredClone(spec.default));
  return settings as unknown as Settings;
}

/** The defaults of SETTINGS_SCHEMA, shaped as Settings. */
export const DEFAULT_SETTINGS: Settings = defaultSettings();

/**
 * Resolves the `kqlHunt` section a client sent (or a CLI built) into complete settings. A value
 * of the wrong type or out of range falls back to its default and is named in `problems`.
 */
export function resolveSettings(section: unknown, problems: string[] = []): Settings {
  const settings = defaultSettings() as unknown as Record<string, unknown>;
  for (const [name, spec] of Object.entries(SETTINGS_SCHEMA)) {
    const path = name.split('.').slice(1);
    const value = readPath(section, path);
    if (value === undefined || value === null) continue;
    if (valueMatches(spec, value)) writePath(settings, path, structuredClone(value));
    else problems.push(`Setting ${name} has an invalid value ${JSON.stringify(value)}; using the default ${JSON.stringify(spec.default)}.`);
  }
  return settings as unknown as Settings;
}
