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
  const { summary } = context.analysis;
  if (summary.tests.some((test) => test.column !== undefined && PORT_COLUMN.test(test.column))) return [];
  if (summary.outputColumns?.some((column) => PORT_COLUMN.test(column))) return [];
  return portsByAddress(context);
}

/** Operators that keep rows whose port is one of the listed numbers. */
const PORT_EQUALITY = new Set(['==', 'in', 'in~']);

/**
 * The ports a block keeps by testing a port column against numbers (`RemotePort in (8082,
 * 8083)`), or undefined when it tests none that way: a range or a variable cannot be read.
 */
function testedPorts(context: RuleContext): Set<number> | undefined {
  const tests = context.analysis.summary.tests.filter((test) => test.column !== undefined && PORT_COLUMN.test(test.column) && !test.negated && PORT_EQUALITY.has(test.operator));
  if (tests.length === 0 || tests.some((test) => !test.numbers?.length)) return undefined;
  return new Set(tests.flatMap((test) => test.numbers ?? []));
}

/** Sets whose ip:port indicators the block matches by address, with the ports of those indicators. */
function portsByAddress(context: RuleContext): UncheckedPorts[] {
  const { summary, environment } = context.analysis;
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

/**
 * Findings for a block that tests the port but not the indicators' ports: none of them means
 * the hunt can never find the indicators (a warning), some of them means it misses the rest.
 */
function mismatchedPorts(context: RuleContext): Finding[] {
  const tested = testedPorts(context);
  if (!tested) return [];
  const findings: Finding[] = [];
  for (const { set, ports, span, portColumn } of portsByAddress(context)) {
    const missing = ports.filter((port) => !tested.has(port));
    if (missing.length === 0) continue;
    const none = missing.length === ports.length;
    findings.push({
      code: PORT_UNCHECKED,
      severity: none ? 'warning' : 'hint',
      message: none
        ? `This hunt keeps only ${portColumn} ${listValues([...tested].map(String))}, but the ip:port indicators of ${setName(set)} use ${listValues(ports.map(String))}; it can never find them.`
        : `This hunt tests ${portColumn} but leaves out port ${listValues(missing.map(String))} of the ip:port indicators of ${setName(set)}.`,
      start: span.start,
      end: span.end,
    });
  }
  return findings;
}

export const portUncheckedRule: Rule = {
  id: PORT_UNCHECKED,
  description: 'A hunt matches the addresses of ip:port indicators but does not test their ports.',
  defaultSeverity: 'hint',
  check(context: RuleContext): Finding[] {
    const unchecked = uncheckedPorts(context).map(({ set, ports, span, portColumn }) => ({
      code: PORT_UNCHECKED,
      severity: 'hint' as const,
      message: `This hunt matches the addresses of ip:port indicators of ${setName(set)} but neither tests nor shows the port (${listValues(ports.map(String))}); add a condition on ${portColumn} to find only those connections.`,
      start: span.start,
      end: span.end,
    }));
    return [...unchecked, ...mismatchedPorts(context)];
  },
};
