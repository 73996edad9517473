import { FunctionDefinition, FunctionParameter } from './functions';
import { Column, ENVIRONMENTS, ScalarType } from './types';

// Functions the two environments provide without any user declaration: Sentinel's watchlist
// function and ASIM parsers, Defender XDR's enrichment functions, and the cross-service
// functions of Log Analytics. Parameter lists follow the ASIM parser definitions in the
// Azure-Sentinel repository (Parsers/ASim*/Parsers/im*.yaml) and Microsoft's ASIM and Defender
// XDR advanced-hunting reference pages.

const BUILT_IN = 'built-in';

const PARAMETER_DOCS: Record<string, string> = {
  starttime: 'Keep events at or after this time; the parser filters TimeGenerated.',
  endtime: 'Keep events at or before this time; the parser filters TimeGenerated.',
  srcipaddr: 'Keep events from this source address.',
  srcipaddr_has_any_prefix: 'Keep events whose source address starts with one of these prefixes, such as "10.0.".',
  dstipaddr_has_any_prefix: 'Keep events whose destination address starts with one of these prefixes.',
  ipaddr_has_any_prefix: 'Keep events whose source or destination address starts with one of these prefixes.',
  dstportnumber: 'Keep sessions to this destination port.',
  hostname_has_any: 'Keep events whose source or destination host name contains one of these values.',
  dvcaction: 'Keep events whose device action is one of these values, such as "Deny".',
  eventresult: 'Keep events with this result: "Success", "Failure" or "*" for all.',
  domain_has_any: 'Keep lookups of domains that contain one of these values.',
  responsecodename: 'Keep lookups with this response code name, such as "NXDOMAIN".',
  response_has_ipv4: 'Keep lookups whose answer contains this IPv4 address.',
  response_has_any_prefix: 'Keep lookups whose answer contains an address with one of these prefixes.',
  eventtype: 'Keep events of this type.',
  eventtype_in: 'Keep events whose type is one of these values.',
  url_has_any: 'Keep sessions whose URL contains one of these values.',
  httpuseragent_has_any: 'Keep sessions whose user agent contains one of these values.',
  eventresultdetails_in: 'Keep events whose result details are one of these values.',
  eventresultdetails_has_any: 'Keep events whose result details contain one of these values.',
  commandline_has_any: 'Keep processes whose command line contains one of these values.',
  commandline_has_all: 'Keep processes whose command line contains all of these values.',
  commandline_has_any_ip_prefix: 'Keep processes whose command line holds an address with one of these prefixes.',
  actingprocess_has_any: 'Keep events whose acting process name contains one of these values.',
  targetprocess_has_any: 'Keep events whose target process name contains one of these values.',
  parentprocess_has_any: 'Keep events whose parent process name contains one of these values.',
  targetusername: 'Keep events for this target user name.',
  targetusername_has_any: 'Keep events whose target user name contains one of these values.',
  dvcipaddr_has_any_prefix: 'Keep events from devices whose address starts with one of these prefixes.',
  dvcname_has_any: 'Keep events from devices whose name contains one of these values.',
  dvchostname_has_any: 'Keep events from devices whose host name contains one of these values.',
  hashes_has_any: 'Keep events whose file hash is one of these values.',
  username_has_any: 'Keep events whose user name contains one of these values.',
  targetappname_has_any: 'Keep events whose target application name contains one of these values.',
  srchostname_has_any: 'Keep events whose source host name contains one of these values.',
  srcusername_has_any: 'Keep events whose source user name contains one of these values.',
  actorusername_has_any: 'Keep events whose actor user name contains one of these values.',
  targetfilepath_has_any: 'Keep events whose target file path contains one of these values.',
  srcfilepath_has_any: 'Keep events whose source file path contains one of these values.',
  registrykey_has_any: 'Keep events whose registry key contains one of these values.',
  registryvalue_has_any: 'Keep events whose registry value name contains one of these values.',
  registryvaluedata_has_any: 'Keep events whose registry value data contains one of these values.',
  operation_has_any: 'Keep events whose operation contains one of these values.',
  object_has_any: 'Keep events whose object contains one of these values.',
  newvalue_has_any: 'Keep events whose new value contains one of these values.',
  pack: 'Pack the source fields that ASIM does not normalise into AdditionalFields.',
};

function parameter(name: string, type: string, defaultValue: string): FunctionParameter {
  return { name, type, default: defaultValue, description: PARAMETER_DOCS[name] };
}

const dynamicList = (name: string): FunctionParameter => parameter(name, 'dynamic', 'dynamic([])');
const anyString = (name: string): FunctionParameter => parameter(name, 'string', "'*'");
const TIME_RANGE = [parameter('starttime', 'datetime', 'datetime(null)'), parameter('endtime', 'datetime', 'datetime(null)')];
const PACK = parameter('pack', 'bool', 'false');

interface AsimSchema {
  /** Schema name as in the parser names: _Im_<schema>, _ASim_<schema>. */
  schema: string;
  /** The normalised Log Analytics table whose columns the parsers return. */
  table: string;
  /** Further parser names of the schema (workspace-deployed copies and event-specific parsers). */
  filteringNames: string[];
  parameterlessNames: string[];
  parameters: FunctionParameter[];
  /** ASIM alias columns, which the parsers add but the table does not store. */
  aliases: string[];
}

const ASIM_SCHEMAS: AsimSchema[] = [
  {
    schema: 'NetworkSession',
    table: 'ASimNetworkSessionLogs',
    filteringNames: ['imNetworkSession'],
    parameterlessNames: ['ASimNetworkSession'],
    parameters: [...TIME_RANGE, ...['srcipaddr_has_any_prefix', 'dstipaddr_has_any_prefix', 'ipaddr_has_any_prefix'].map(dynamicList), parameter('dstportnumber', 'int', 'int(null)'), dynamicList('hostname_has_any'), dynamicList('dvcaction'), anyString('eventresult'), PACK],
    aliases: ['Src', 'Dst', 'IpAddr', 'Hostname', 'User', 'Duration', 'SessionId', 'Dvc', 'Rule'],
  },
  {
    schema: 'Dns',
    table: 'ASimDnsActivityLogs',
    filteringNames: ['imDns'],
    parameterlessNames: ['ASimDns'],
    parameters: [...TIME_RANGE, anyString('srcipaddr'), dynamicList('domain_has_any'), anyString('responsecodename'), anyString('response_has_ipv4'), dynamicList('response_has_any_prefix'), parameter('eventtype', 'string', "'lookup'"), PACK],
    aliases: ['IpAddr', 'Domain', 'Hostname', 'User', 'Duration', 'SessionId', 'Dvc', 'Rule'],
  },
  {
    schema: 'WebSession',
    table: 'ASimWebSessionLogs',
    filteringNames: ['imWebSession'],
    parameterlessNames: ['ASimWebSession'],
    parameters: [...TIME_RANGE, dynamicList('srcipaddr_has_any_prefix'), dynamicList('ipaddr_has_any_prefix'), dynamicList('url_has_any'), dynamicList('httpuseragent_has_any'), dynamicList('eventresultdetails_in'), anyString('eventresult'), dynamicList('eventresultdetails_has_any'), PACK],
    aliases: ['Src', 'Dst', 'IpAddr', 'Hostname', 'User', 'UserAgent', 'HttpStatusCode', 'Duration', 'SessionId', 'Dvc', 'Rule'],
  },
  {
    schema: 'ProcessEvent',
    table: 'ASimProcessEventLogs',
    filteringNames: ['_Im_ProcessCreate', '_Im_ProcessTerminate', 'imProcess', 'imProcessEvent', 'imProcessCreate', 'imProcessTerminate'],
    parameterlessNames: ['_ASim_ProcessCreate', '_ASim_ProcessTerminate', 'ASimProcess', 'ASimProcessEvent', 'ASimProcessCreate', 'ASimProcessTerminate'],
    parameters: [
      ...TIME_RANGE,
      ...['commandline_has_any', 'commandline_has_all', 'commandline_has_any_ip_prefix', 'actingprocess_has_any', 'targetprocess_has_any', 'parentprocess_has_any'].map(dynamicList),
      anyString('targetusername'),
      ...['dvcipaddr_has_any_prefix', 'dvcname_has_any', 'hashes_has_any'].map(dynamicList),
      anyString('eventtype'),
      PACK,
    ],
    aliases: ['User', 'Process', 'CommandLine', 'Hash', 'Dvc', 'Rule'],
  },
  {
    schema: 'Authentication',
    table: 'ASimAuthenticationEventLogs',
    filteringNames: ['imAuthentication'],
    parameterlessNames: ['ASimAuthentication'],
    parameters: [...TIME_RANGE, ...['username_has_any', 'targetappname_has_any', 'srcipaddr_has_any_prefix', 'srchostname_has_any', 'eventtype_in', 'eventresultdetails_in'].map(dynamicList), anyString('eventresult'), PACK],
    aliases: ['Src', 'Dst', 'IpAddr', 'Hostname', 'User', 'LogonTarget', 'Application', 'Dvc', 'Rule'],
  },
  {
    schema: 'FileEvent',
    table: 'ASimFileEventLogs',
    filteringNames: ['imFileEvent'],
    parameterlessNames: ['ASimFileEvent'],
    parameters: [...TIME_RANGE, ...['eventtype_in', 'srcipaddr_has_any_prefix', 'actorusername_has_any', 'targetfilepath_has_any', 'srcfilepath_has_any', 'hashes_has_any', 'dvchostname_has_any'].map(dynamicList), PACK],
    aliases: ['Src', 'IpAddr', 'User', 'Process', 'FilePath', 'Hash', 'Application', 'Dvc', 'Rule'],
  },
  {
    schema: 'RegistryEvent',
    table: 'ASimRegistryEventLogs',
    filteringNames: ['imRegistry', 'imRegistryEvent'],
    parameterlessNames: ['ASimRegistry', 'ASimRegistryEvent'],
    parameters: [...TIME_RANGE, ...['eventtype_in', 'actorusername_has_any', 'registrykey_has_any', 'registryvalue_has_any', 'registryvaluedata_has_any', 'dvchostname_has_any'].map(dynamicList), PACK],
    aliases: ['User', 'Process', 'Dvc', 'Rule'],
  },
  {
    schema: 'AuditEvent',
    table: 'ASimAuditEventLogs',
    filteringNames: ['imAuditEvent'],
    parameterlessNames: ['ASimAuditEvent'],
    parameters: [...TIME_RANGE, ...['srcipaddr_has_any_prefix', 'actorusername_has_any', 'operation_has_any', 'eventtype_in'].map(dynamicList), anyString('eventresult'), ...['object_has_any', 'newvalue_has_any'].map(dynamicList), PACK],
    aliases: ['Src', 'Dst', 'IpAddr', 'Hostname', 'User', 'Application', 'Dvc', 'Rule'],
  },
  {
    schema: 'UserManagement',
    table: 'ASimUserManagementActivityLogs',
    filteringNames: ['imUserManagement'],
    parameterlessNames: ['ASimUserManagement'],
    parameters: [...TIME_RANGE, ...['srcipaddr_has_any_prefix', 'actorusername_has_any', 'targetusername_has_any', 'eventtype_in'].map(dynamicList), PACK],
    aliases: ['Src', 'IpAddr', 'Hostname', 'User', 'Dvc', 'Rule'],
  },
  {
    schema: 'Dhcp',
    table: 'ASimDhcpEventLogs',
    filteringNames: ['imDhcp'],
    parameterlessNames: ['ASimDhcp'],
    parameters: [...TIME_RANGE, ...['srcipaddr_has_any_prefix', 'srchostname_has_any', 'srcusername_has_any'].map(dynamicList), anyString('eventresult'), PACK],
    aliases: ['Src', 'IpAddr', 'Hostname', 'User', 'Dvc', 'Rule'],
  },
];

const ALIAS_TYPES: Record<string, ScalarType> = { Duration: 'int' };

function asimColumns(schema: AsimSchema, tableColumns: (table: string) => readonly Column[]): Column[] {
  const columns = [...tableColumns(schema.table)];
  for (const alias of schema.aliases) {
    if (!columns.some((column) => column.name === alias)) columns.push({ name: alias, type: ALIAS_TYPES[alias] ?? 'string' });
  }
  return columns;
}

function asimFunctions(tableColumns: (table: string) => readonly Column[]): FunctionDefinition[] {
  const definitions: FunctionDefinition[] = [];
  for (const schema of ASIM_SCHEMAS) {
    const columns = asimColumns(schema, tableColumns);
    const output = { kind: 'columns' as const, columns };
    const filtering = [`_Im_${schema.schema}`, ...schema.filteringNames];
    const parameterless = [`_ASim_${schema.schema}`, ...schema.parameterlessNames];
    for (const name of filtering) {
      definitions.push({
        name,
        description: `ASIM ${schema.schema} parser with filtering parameters: events of every configured source in the ${schema.schema} schema (columns of ${schema.table} plus the ASIM aliases).`,
        parameters: schema.parameters,
        output,
        environments: ['sentinel'],
        source: BUILT_IN,
      });
    }
    for (const name of parameterless) {
      definitions.push({
        name,
        description: `ASIM ${schema.schema} parser without filtering parameters: events of every configured source in the ${schema.schema} schema (columns of ${schema.table} plus the ASIM aliases).`,
        parameters: [PACK],
        output,
        environments: ['sentinel'],
        source: BUILT_IN,
      });
    }
  }
  return definitions;
}

const column = (name: string, type: ScalarType): Column => ({ name, type });
const INVOKE_INPUT: FunctionParameter = { name: 'T', type: '(*)', description: 'The table piped into `invoke`.' };

const DEFENDER_FUNCTIONS: FunctionDefinition[] = [
  {
    name: 'FileProfile',
    description: 'Enriches the piped rows with the global file profile of each file: prevalence, first and last seen, signer and threat name. Use it as `| invoke FileProfile(SHA1, 1000)`.',
    parameters: [
      INVOKE_INPUT,
      { name: 'x', type: 'string', default: "'SHA1'", columnArgument: true, description: 'File ID column to profile: SHA1, SHA256, InitiatingProcessSHA1 or InitiatingProcessSHA256; SHA1 when omitted.' },
      { name: 'y', type: 'int', default: '100', description: 'Maximum number of rows to profile, 1 to 1000; 100 when omitted.' },
    ],
    output: {
      kind: 'input-plus',
      columns: [
        column('SHA1', 'string'),
        column('SHA256', 'string'),
        column('MD5', 'string'),
        column('FileSize', 'long'),
        column('GlobalPrevalence', 'long'),
        column('GlobalFirstSeen', 'datetime'),
        column('GlobalLastSeen', 'datetime'),
        column('Signer', 'string'),
        column('Issuer', 'string'),
        column('SignerHash', 'string'),
        column('IsCertificateValid', 'bool'),
        column('IsRootSignerMicrosoft', 'bool'),
        column('SignatureState', 'string'),
        column('IsExecutable', 'bool'),
        column('ThreatName', 'string'),
        column('Publisher', 'string'),
        column('SoftwareName', 'string'),
        column('ProfileAvailability', 'string'),
      ],
    },
    environments: ['defender'],
    source: BUILT_IN,
  },
  {
    name: 'DeviceFromIP',
    description: 'Adds the devices that held each IP address of the piped rows (a column named IP by default). Use it as `| invoke DeviceFromIP()`; it works for internal addresses only.',
    parameters: [
      INVOKE_INPUT,
      { name: 'x', type: 'string', default: "''", columnArgument: true, description: 'Column with the IP address to look up; the column named IP when omitted.' },
      { name: 'y', type: 'datetime', default: 'datetime(null)', description: 'Time at which to look up the assignment; the latest records when omitted.' },
    ],
    output: { kind: 'input-plus', columns: [column('IP', 'string'), column('DeviceId', 'string')] },
    environments: ['defender'],
    source: BUILT_IN,
  },
  {
    name: 'AssignedIPAddresses',
    description: 'The latest IP addresses assigned to a device, or those at a given time.',
    parameters: [
      { name: 'x', type: 'string', description: 'DeviceId or DeviceName of the device.' },
      { name: 'y', type: 'datetime', default: 'datetime(null)', description: 'Time at which to look up the addresses; the latest addresses when omitted.' },
    ],
    // NOTE: Microsoft's reference types NetworkAdapterType and ConnectedNetworks as int while
    // describing JSON arrays, so both are dynamic here to accept either use.
    output: { kind: 'columns', columns: [column('Timestamp', 'datetime'), column('IPAddress', 'string'), column('IPType', 'string'), column('NetworkAdapterType', 'dynamic'), column('ConnectedNetworks', 'dynamic')] },
    environments: ['defender'],
    source: BUILT_IN,
  },
  {
    name: 'SeenBy',
    description: 'Adds the onboarded devices that discovered each piped device through device discovery. Use it as `| invoke SeenBy()`, best on DeviceInfo.',
    parameters: [INVOKE_INPUT, { name: 'x', type: 'string', default: "''", columnArgument: true, description: 'Column with the device ID to look up; DeviceId when omitted.' }],
    output: { kind: 'input-plus', columns: [column('DeviceId', 'string')] },
    environments: ['defender'],
    source: BUILT_IN,
  },
];

const SENTINEL_FUNCTIONS: FunctionDefinition[] = [
  {
    name: '_GetWatchlist',
    description: 'The items of a Microsoft Sentinel watchlist: SearchKey, the standard columns and the watchlist\'s own columns. Declare those in kqlHunt.schema.watchlists; an undeclared watchlist accepts any column, typed dynamic.',
    parameters: [{ name: 'watchlistAlias', type: 'string', description: 'Alias of the watchlist, as set when it was created.' }],
    output: { kind: 'watchlist' },
    environments: ['sentinel'],
    source: BUILT_IN,
  },
];

const CROSS_SERVICE_FUNCTIONS: FunctionDefinition[] = [
  {
    name: 'workspace',
    description: 'Another Log Analytics workspace, by name, ID or resource ID: `workspace("name").SecurityEvent`. Its tables are taken to be the same as this environment\'s.',
    parameters: [{ name: 'name', type: 'string', description: 'Workspace name, workspace ID or Azure resource ID.' }],
    output: { kind: 'workspace' },
    environments: [...ENVIRONMENTS],
    source: BUILT_IN,
  },
  {
    name: 'app',
    description: 'An Application Insights resource: `app("name").requests`. Its tables and columns are not checked.',
    parameters: [{ name: 'name', type: 'string', description: 'Application Insights resource name, app ID or Azure resource ID.' }],
    output: { kind: 'open-database' },
    environments: [...ENVIRONMENTS],
    source: BUILT_IN,
  },
  {
    name: 'adx',
    description: 'A database of an Azure Data Explorer cluster: `adx("https://cluster.region.kusto.windows.net/Database").Table`. Its tables and columns are not checked.',
    parameters: [{ name: 'cluster', type: 'string', description: 'Cluster URL and database, such as "https://help.kusto.windows.net/Samples".' }],
    output: { kind: 'open-database' },
    environments: [...ENVIRONMENTS],
    source: BUILT_IN,
  },
  {
    name: 'arg',
    description: 'Azure Resource Graph: `arg("").Resources`. Its tables and columns are not checked.',
    parameters: [{ name: 'scope', type: 'string', description: 'Always the empty string "".' }],
    output: { kind: 'open-database' },
    environments: [...ENVIRONMENTS],
    source: BUILT_IN,
  },
];

/** The built-in functions of both environments; ASIM outputs take their columns from `tableColumns`. */
export function builtInFunctions(tableColumns: (table: string) => readonly Column[]): FunctionDefinition[] {
  return [...SENTINEL_FUNCTIONS, ...asimFunctions(tableColumns), ...DEFENDER_FUNCTIONS, ...CROSS_SERVICE_FUNCTIONS];
}
