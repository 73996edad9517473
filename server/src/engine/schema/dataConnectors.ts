import connectorData from '../../../data/connectors.json';

// Microsoft Sentinel data connectors that fill each table, as data with the source of each fact
// (server/data/connectors.json, gathered from the Azure-Sentinel repository's connector
// definitions and Microsoft Learn). Hover, the header comment of inserted hunts and the
// requiredDataConnectors of generated hunting queries all read it here.

export interface DataConnector {
  /** The connector's title in the Sentinel portal, such as "Common Event Format (CEF) via AMA". */
  name: string;
  /** The id rule templates write in `requiredDataConnectors[].connectorId`; absent where the data has none. */
  id?: string;
  /** Where the fact comes from (a URL). */
  source: string;
  /** Marked "[Deprecated]" by its publisher. */
  deprecated: boolean;
}

interface ConnectorEntry {
  connector: string;
  connectorId?: string;
  source: string;
}

const DEPRECATED = /^\[Deprecated\]\s*/i;

/** The connectors of each table, with the ones that have an id and are current first, in data order otherwise. */
const BY_TABLE: ReadonlyMap<string, readonly DataConnector[]> = new Map(
  Object.entries(connectorData.tables as Record<string, ConnectorEntry[]>).map(([table, entries]) => {
    const connectors = entries.map((entry) => ({ name: entry.connector, id: entry.connectorId, source: entry.source, deprecated: DEPRECATED.test(entry.connector) }));
    const rank = (connector: DataConnector): number => (connector.deprecated ? 2 : connector.id ? 0 : 1);
    return [table, [...connectors].sort((a, b) => rank(a) - rank(b))];
  }),
);

const BY_LOWER_NAME = new Map([...BY_TABLE.keys()].map((table) => [table.toLowerCase(), table]));

/** Connectors named in full before the rest are counted. */
export const CONNECTORS_SHOWN = 2;

/** The data connectors that fill `table` (case-insensitive), current ones with an id first; empty when none is known. */
export function tableConnectors(table: string): readonly DataConnector[] {
  return BY_TABLE.get(table) ?? BY_TABLE.get(BY_LOWER_NAME.get(table.toLowerCase()) ?? '') ?? [];
}

/** Every connector id known to fill `table`, in the order of `tableConnectors`. */
export function connectorIds(table: string): string[] {
  return tableConnectors(table).flatMap((connector) => (connector.id ? [connector.id] : []));
}

/**
 * The connector ids a generated rule lists for `table`: the current connectors that have an
 * id. Deprecated connectors and those without a known id are left out.
 */
export function requiredConnectorIds(table: string): string[] {
  return tableConnectors(table).flatMap((connector) => (connector.id && !connector.deprecated ? [connector.id] : []));
}

/** Names the first connectors of a table and counts the rest: "A, B and 97 more". Empty when none is known. */
export function connectorList(table: string, shown = CONNECTORS_SHOWN): string {
  const connectors = tableConnectors(table);
  if (connectors.length === 0) return '';
  const names = connectors.slice(0, shown).map((connector) => connector.name);
  const rest = connectors.length - names.length;
  if (rest > 0) return `${names.join(', ')} and ${rest} more`;
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** The sentence hover shows: "Ensure the Microsoft Defender XDR data connector is enabled." */
export function connectorAdvice(table: string): string | undefined {
  const connectors = tableConnectors(table);
  if (connectors.length === 0) return undefined;
  if (connectors.length === 1) return `Ensure the ${connectors[0].name} data connector is enabled.`;
  const list = connectorList(table);
  return `Ensure one of its ${connectors.length} data connectors is enabled: ${list}.`;
}
