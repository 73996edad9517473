import { Finding, Rule, RuleContext } from './types';

export const UNKNOWN_CUSTOM_TABLE = 'unknown-custom-table';

/** The message for a `_CL` table that no catalog has, saying how to add its schema. */
export function unknownCustomTableMessage(name: string): string {
  return (
    `Table '${name}' is not in the catalog, so its columns are not checked. ` +
    `Add its schema to kqlHunt.schema.customTables (a Sentinel table JSON, the output of \`${name} | getschema\` as CSV or JSON, ` +
    `or a map {"${name}": {"Column": "type"}}), or pass it to kql-hunt lint with --schema PATH.`
  );
}

/**
 * A custom `_CL` table that no catalog has. The block was analysed with an open stand-in for
 * the table, so its columns raise no errors; this one warning takes their place.
 */
export const unknownCustomTableRule: Rule = {
  id: UNKNOWN_CUSTOM_TABLE,
  description: 'A custom _CL table is not in any catalog, so its columns are not checked.',
  defaultSeverity: 'warning',
  check(context: RuleContext): Finding[] {
    const reported = new Set<string>();
    const findings: Finding[] = [];
    for (const table of context.analysis.summary.tables) {
      if (!table.unknownCustom || reported.has(table.name)) continue;
      reported.add(table.name);
      findings.push({ code: UNKNOWN_CUSTOM_TABLE, severity: 'warning', message: unknownCustomTableMessage(table.name), start: table.start, end: table.end });
    }
    return findings;
  },
};
