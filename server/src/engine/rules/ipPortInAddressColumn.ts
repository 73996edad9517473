import { classifyIndicator } from '../intel/classify';
import { StringLiteral } from '../kusto/types';
import { Finding, Rule, RuleContext } from './types';

export const IP_PORT_IN_ADDRESS_COLUMN = 'ip-port-in-address-column';

/** Columns that hold one bare IP address: RemoteIP, DestinationIP, SrcIpAddr, IPAddress, ... */
const ADDRESS_COLUMN = /(IP|Ip|IpAddr|IPAddress|IpAddress)$/;

/**
 * Operators whose value must equal the column's value or occur in it. A bare address never
 * contains a port, so "1.2.3.4:80" can never match it with any of them, and their negations are always true.
 */
const STRING_MATCH_OPERATORS = new Set([
  ...['==', '=~', 'in', 'in~', '!=', '!~', '!in', '!in~'],
  ...['has', 'has_cs', 'has_any', 'has_all', '!has', '!has_cs'],
  ...['contains', 'contains_cs', '!contains', '!contains_cs'],
  ...['startswith', 'startswith_cs', '!startswith', '!startswith_cs', 'endswith', 'endswith_cs', '!endswith', '!endswith_cs'],
  ...['hasprefix', 'hasprefix_cs', '!hasprefix', '!hasprefix_cs', 'hassuffix', 'hassuffix_cs', '!hassuffix', '!hassuffix_cs'],
]);

function isIpPort(value: string): boolean {
  return classifyIndicator(value)?.type === 'ip:port';
}

/** The ip:port literals a test compares: inside the comparison, or in the `let` list it names. */
function comparedLiterals(context: RuleContext, start: number, end: number, values: string[]): StringLiteral[] {
  const summary = context.analysis.summary;
  const inside = summary.strings.filter((literal) => literal.start >= start && literal.end <= end && isIpPort(literal.value));
  if (inside.length > 0) return inside;
  const wanted = new Set(values.filter(isIpPort));
  return summary.lists.filter((list) => list.letName && list.items.some((item) => wanted.has(item.value))).flatMap((list) => list.items.filter((item) => isIpPort(item.value)));
}

/**
 * An address column compared with `ip:port` values, as pasted from a ThreatFox ip:port export:
 * the column holds the bare address, so the comparison never matches. The fix keeps the
 * address; the port belongs in a test of the port column.
 */
export const ipPortInAddressColumnRule: Rule = {
  id: IP_PORT_IN_ADDRESS_COLUMN,
  description: 'An address column is compared with ip:port values, which it never holds.',
  defaultSeverity: 'error',
  check(context: RuleContext): Finding[] {
    const findings: Finding[] = [];
    const reported = new Set<number>();
    for (const test of context.analysis.summary.tests) {
      if (!test.column || !ADDRESS_COLUMN.test(test.column) || !STRING_MATCH_OPERATORS.has(test.operator) || !test.values.some(isIpPort)) continue;
      for (const literal of comparedLiterals(context, test.start, test.end, test.values)) {
        if (reported.has(literal.start)) continue;
        reported.add(literal.start);
        const address = classifyIndicator(literal.value)!.ip!;
        findings.push({
          code: IP_PORT_IN_ADDRESS_COLUMN,
          severity: 'error',
          message: `${test.column} holds a bare IP address, so '${literal.value}' can never match it; compare ${test.column} with '${address}' and test the port in the port column.`,
          start: literal.start,
          end: literal.end,
          // The literal keeps its quotes and prefix; an ip:port value holds nothing to escape.
          replacement: literal.raw.includes(literal.value) ? literal.raw.replace(literal.value, address) : undefined,
        });
      }
    }
    return findings;
  },
};
