import { PipePlacement } from './kusto/editingTypes';
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
    maxFileSize: number;
    debounceMs: number;
  };
  formatting: {
    pipePlacement: PipePlacement;
    indentationSize: number;
  };
  codeLens: {
    enabled: boolean;
  };
  lint: {
    scope: 'openFiles' | 'workspace';
    workspaceBudgetMs: number;
  };
  intel: {
    files: string[];
    includeBuiltIn: boolean;
    minConfidence: number;
    maxAgeDays: number;
  };
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  /** Read by the VS Code client only: it traces the protocol messages into the output channel. */
  trace: {
    server: 'off' | 'messages' | 'verbose';
  };
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
  'kqlHunt.analysis.maxFileSize': {
    type: 'integer',
    default: 2000000,
    minimum: 10000,
    scope: 'window',
    markdownDescription: 'YAML and Markdown files longer than this many characters are not parsed for KQL; a file that looks like a Sentinel rule or has KQL fences gets one error instead.',
  },
  'kqlHunt.analysis.debounceMs': {
    type: 'integer',
    default: 150,
    minimum: 0,
    maximum: 5000,
    scope: 'window',
    markdownDescription: 'Delay in milliseconds after the last edit before a document is analysed again.',
  },
  'kqlHunt.formatting.pipePlacement': {
    type: 'string',
    default: 'smart',
    enum: ['smart', 'newLine', 'asIs'],
    enumDescriptions: [
      'Kusto.Language decides: a query already written on several lines gets each `|` on a new line, a one-line query stays on one line.',
      'Every `|` starts a new line.',
      'Each `|` stays on the line where it is.',
    ],
    scope: 'resource',
    markdownDescription: 'Where the formatter places the pipe (`|`) before each query operator.',
  },
  'kqlHunt.formatting.indentationSize': {
    type: 'integer',
    default: 0,
    minimum: 0,
    maximum: 16,
    scope: 'resource',
    markdownDescription: 'Spaces per indentation level when formatting; `0` uses the editor\'s tab size.',
  },
  'kqlHunt.codeLens.enabled': {
    type: 'boolean',
    default: true,
    scope: 'resource',
    markdownDescription: 'Show **Copy hunt** and the hunt\'s environment and tables above each hunt.',
  },
  'kqlHunt.intel.files': {
    type: 'array',
    items: { type: 'string' },
    default: [],
    scope: 'window',
    markdownDescription: 'Indicator files to load: ThreatFox CSV or JSON exports, hunt reports or plain lists (one indicator a line). Paths and globs (`intel/**/*.csv`) are relative to each workspace folder; absolute paths work too. The files are watched and reloaded when they change.',
  },
  'kqlHunt.intel.includeBuiltIn': {
    type: 'boolean',
    default: true,
    scope: 'window',
    markdownDescription: 'Load the built-in indicator set (ThreatFox Mirai ip:port indicators) next to `kqlHunt.intel.files`.',
  },
  'kqlHunt.intel.minConfidence': {
    type: 'integer',
    default: 50,
    minimum: 0,
    maximum: 100,
    scope: 'resource',
    markdownDescription: 'Indicators whose confidence (0-100) is below this are stale: `stale-indicator` reports them in hunts, and generated hunts, completion and the `incomplete-indicator-list` fix leave them out. Indicators without a confidence are never stale by this test.',
  },
  'kqlHunt.intel.maxAgeDays': {
    type: 'integer',
    default: 0,
    minimum: 0,
    maximum: 36500,
    scope: 'resource',
    markdownDescription: 'Indicators last seen (or, without a last-seen date, first seen) more than this many days ago are stale, like those below `kqlHunt.intel.minConfidence`. 0 turns the age test off.',
  },
  'kqlHunt.lint.scope': {
    type: 'string',
    default: 'openFiles',
    enum: ['openFiles', 'workspace'],
    enumDescriptions: [
      'Check the documents open in the editor.',
      'Also check every .kql, .csl and .kusto file, Sentinel rule (YAML) and Markdown file with KQL fences in the workspace folders, in the background, skipping what .gitignore ignores; their findings appear in the Problems panel and follow changes on disk.',
    ],
    scope: 'window',
    markdownDescription: 'Which files are checked: the open documents, or every hunt file of the workspace. The workspace scan shows its progress in the status bar, pauses with **KQL Hunt: Pause Workspace Scan** and resumes with **KQL Hunt: Scan Workspace**.',
  },
  'kqlHunt.lint.workspaceBudgetMs': {
    type: 'integer',
    default: 250,
    minimum: 20,
    maximum: 1000,
    scope: 'window',
    markdownDescription: 'Milliseconds of each second the workspace scan may spend analysing files, so that typing and completion stay fast while it runs; the scan waits out the rest of the second.',
  },
  'kqlHunt.logLevel': {
    type: 'string',
    default: 'info',
    enum: ['error', 'warn', 'info', 'debug'],
    enumDescriptions: [
      'Only failures, such as a crashed rule or a stopped worker.',
      'Also problems worth a look, such as an invalid setting value or a request that ran past its time limit.',
      'Also starts of the server and the worker, and workspace trust changes.',
      'Also each analysis with its duration, and each block that could not be classified.',
    ],
    scope: 'window',
    markdownDescription: 'Level of detail the language server writes to the **KQL Hunt** output channel.',
  },
  'kqlHunt.trace.server': {
    type: 'string',
    default: 'off',
    enum: ['off', 'messages', 'verbose'],
    enumDescriptions: ['No protocol tracing.', 'The name of each request, response and notification.', 'Each message with its parameters and result.'],
    scope: 'window',
    markdownDescription: 'Traces the messages between VS Code and the KQL Hunt language server into the **KQL Hunt** output channel, to diagnose the extension itself.',
  },
};

/** Removes Markdown emphasis, code spans and link targets, for the plain `description` field. */
function plainText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\*\*([^*]*)\*\*/g, '$1')
    .replace(/`([^`]*)`/g, '$1');
}

/**
 * Returns the settings as `package.json` declares them: each schema entry plus a plain-text
 * `description` for the places that do not render Markdown.
 */
export function manifestProperties(): Record<string, SettingSpec & { description: string }> {
  const properties: Record<string, SettingSpec & { description: string }> = {};
  for (const [name, spec] of Object.entries(SETTINGS_SCHEMA)) properties[name] = { ...structuredClone(spec), description: plainText(spec.markdownDescription) };
  return properties;
}

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
