import { freshnessPolicy, isFresh } from '../intel/freshness';
import { IndicatorSet, setName } from '../intel/model';
import { portColumnOf } from '../hunts/ports';
import { TableReference, TextSpan } from '../kusto/types';
import { indicatorLiterals, listValues } from './indicatorLiterals';
import { Finding, Rule, RuleContext } from './types';

export const PORT_UNCHECKED = 'port-unchecked';

/** A hunt that lists the addresses of a set's ip:port indicators without testing any port. */
export interface UncheckedPorts {
  set: IndicatorSet;
  ports: number[];
  /** The span of the finding: the list (or literal) of the first matching address. */
  span: TextSpan;
  /** The first table of the block that has a port column, and that column. */
  table: TableReference;
  portColumn: string;
}

/** A port column: RemotePort, DestinationPort, DstPortNumber, ... */
const PORT_COLUMN = /port/i;

/**
 * Finds the sets whose ip:port indicators the block matches by address only. A hunt that tests
 * a port column anywhere is not reported, and neither is one that shows a port column in its
 * output: the report hunts do so and leave the port check to the analyst.
 */
export function uncheckedPorts(context: RuleContext): UncheckedPorts[] {
  const { summary, environment } = context.analysis;
  if (summary.tests.some((test) => test.column !== undefined && PORT_COLUMN.test(test.column))) return [];
  if (summary.outputColumns?.some((column) => PORT_COLUMN.test(column))) return [];

  const policy = freshnessPolicy(context.settings, context.now);
  const bySet = new Map<IndicatorSet, Omit<UncheckedPorts, 'table' | 'portColumn'>>();
  for (const { literal, classified, matches } of indicatorLiterals(context.analysis, context.intel)) {
    if (classified.type !== 'ip') continue;
    for (const { set, indicator } of matches) {
      if (indicator.type !== 'ip:port' || indicator.port === undefined || !isFresh(indicator, policy)) continue;
      let entry = bySet.get(set);
      if (!entry) {
        const list = summary.lists.find((candidate) => candidate.start <= literal.start && literal.end <= candidate.end);
        entry = { set, ports: [], span: list ?? literal };
        bySet.set(set, entry);
      }
      if (!entry.ports.includes(indicator.port)) entry.ports.push(indicator.port);
    }
  }

  // Only a table with a port column can test the port.
  const table = summary.tables.find((candidate) => portColumnOf(candidate.name, environment, context.catalog));
  if (!table) return [];
  const portColumn = portColumnOf(table.name, environment, context.catalog);
  return [...bySet.values()].map((entry) => ({ ...entry, table, portColumn: portColumn! }));
}

export const portUncheckedRule: Rule = {
  id: PORT_UNCHECKED,
  description: 'A hunt matches the addresses of ip:port indicators but neither tests nor shows the port.',
  defaultSeverity: 'hint',
  check(context: RuleContext): Finding[] {
    return uncheckedPorts(context).map(({ set, ports, span, portColumn }) => ({
      code: PORT_UNCHECKED,
      severity: 'hint',
      message: `This hunt matches the addresses of ip:port indicators of ${setName(set)} but neither tests nor shows the port (${listValues(ports.map(String))}); add a condition on ${portColumn} to find only those connections.`,
      start: span.start,
      end: span.end,
    }));
  },
};
