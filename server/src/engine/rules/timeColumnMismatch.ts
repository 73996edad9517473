import { Environment, ENVIRONMENT_LABELS, ENVIRONMENTS, TIME_COLUMNS } from '../schema/types';
import { Finding, Rule, RuleContext } from './types';

export const TIME_COLUMN_MISMATCH = 'time-column-mismatch';

/**
 * A block uses the other environment's time column: `Timestamp` in Sentinel or `TimeGenerated`
 * in Defender XDR, on tables that have this environment's own time column. Where the column
 * still exists (Sentinel's copies of the Defender XDR tables keep Timestamp) it is a warning;
 * where it does not, the query fails, so the finding is an error and takes the place of
 * Kusto's unknown-name error. Its quick fix switches to this environment's column.
 */
/**
 * Advice to switch environments with a directive, only when every table of the block exists in
 * the other environment; otherwise the directive would trade this error for unknown tables.
 */
function directiveAdvice(context: RuleContext, tables: readonly string[], other: Environment): string {
  const everywhere = tables.every((name) => context.catalog.table(name, other) !== undefined);
  return everywhere ? `, or set the environment with a \`// kql-hunt: environment=${other}\` comment` : '';
}

export const timeColumnMismatchRule: Rule = {
  id: TIME_COLUMN_MISMATCH,
  description: "A block uses the other environment's time column.",
  defaultSeverity: 'warning',
  check(context: RuleContext): Finding[] {
    const { environment, environmentReason, summary } = context.analysis;
    const other = ENVIRONMENTS.find((candidate) => candidate !== environment)!;
    const own = TIME_COLUMNS[environment];
    const foreign = TIME_COLUMNS[other];

    const tables = [...new Set(summary.tables.filter((table) => !table.unknownCustom).map((table) => table.name))];
    const withOwnColumn = tables.filter((name) => context.catalog.table(name, environment)?.columns.some((column) => column.name === own));
    if (withOwnColumn.length === 0) return [];

    return summary.timeColumns
      .filter((reference) => reference.name === foreign && !reference.declaredInBlock)
      .map((reference) => ({
        code: TIME_COLUMN_MISMATCH,
        severity: reference.resolved ? 'warning' : 'error',
        message:
          `${foreign} is the time column of ${ENVIRONMENT_LABELS[other]}; this block runs in ${ENVIRONMENT_LABELS[environment]} (${environmentReason}), ` +
          `where ${withOwnColumn.join(', ')} ${withOwnColumn.length === 1 ? 'has' : 'have'} ${own}` +
          (reference.resolved ? `, the column its time range and retention apply to. Use ${own}.` : ` and no ${foreign}. Use ${own}${directiveAdvice(context, tables, other)}.`),
        start: reference.start,
        end: reference.end,
        replacement: own,
        replaces: reference.resolved ? undefined : ['KS142'],
      }));
  },
};
