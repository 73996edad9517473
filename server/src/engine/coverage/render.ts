import { cellKey, CoverageCell, CoverageHunt, CoverageMatrix } from './types';

// The coverage matrix as text and Markdown, with the cell labels the editor's coverage view
// shows too, so both read the same.

const SYMBOLS = { complete: '✓', gaps: '!', missing: '·' } as const;

export const COVERAGE_LEGEND = '✓ hunted with every indicator and exclusion, ! hunted with gaps, · no hunt yet (a template can write one), blank: no hunt and no template';

/** Returns the short label of a cell: its symbol and, when hunted, the number of hunts ("✓ 2", "! 1", "·"). */
export function cellLabel(cell: CoverageCell | undefined): string {
  if (!cell) return '';
  return cell.hunts.length > 0 ? `${SYMBOLS[cell.state]} ${cell.hunts.length}` : SYMBOLS[cell.state];
}

/** Describes what one hunt misses: "errors: KS142; 2 indicators missing; no exclusion for tar-backup". */
export function huntGaps(hunt: CoverageHunt): string {
  const gaps: string[] = [];
  if (hunt.errors.length > 0) gaps.push(`errors: ${hunt.errors.join(', ')}`);
  if (hunt.missingIndicators > 0) gaps.push(`${hunt.missingIndicators} indicator${hunt.missingIndicators === 1 ? '' : 's'} missing`);
  if (hunt.missingExclusions.length > 0) gaps.push(`no exclusion for ${hunt.missingExclusions.join(', ')}`);
  return gaps.join('; ');
}

function summaryLine(matrix: CoverageMatrix): string {
  const sets = `${matrix.families.length} indicator set${matrix.families.length === 1 ? '' : 's'}`;
  const tables = `${matrix.tables.length} table${matrix.tables.length === 1 ? '' : 's'}`;
  return `Coverage of ${sets} over ${tables}: ${matrix.hunts} hunt${matrix.hunts === 1 ? '' : 's'} in ${matrix.files} file${matrix.files === 1 ? '' : 's'}.`;
}

/** Lays the matrix out as rows of labels: a header row of tables, then one row per set. */
function grid(matrix: CoverageMatrix): string[][] {
  const cells = new Map(matrix.cells.map((cell) => [cellKey(cell.set, cell.table), cell]));
  const rows = [['Indicator set', ...matrix.tables]];
  for (const family of matrix.families) rows.push([family.set, ...matrix.tables.map((table) => cellLabel(cells.get(cellKey(family.set, table))))]);
  return rows;
}

/** Lines naming each hunt with gaps, grouped by cell. */
function gapLines(matrix: CoverageMatrix, bullet: string, code: (text: string) => string): string[] {
  const lines: string[] = [];
  for (const cell of matrix.cells) {
    const withGaps = cell.hunts.filter((hunt) => huntGaps(hunt) !== '');
    if (withGaps.length === 0) continue;
    lines.push(`${bullet}${cell.set} on ${cell.table}:`);
    for (const hunt of withGaps) lines.push(`  ${bullet}${code(`${hunt.file}:${hunt.line}`)} ${hunt.name}: ${huntGaps(hunt)}`);
  }
  return lines;
}

/** Renders the matrix as aligned plain text, followed by the hunts that have gaps. */
export function coverageText(matrix: CoverageMatrix): string {
  const rows = grid(matrix);
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => [...row[column]].length)));
  const lines = [summaryLine(matrix), ''];
  for (const row of rows) lines.push(row.map((label, column) => label + ' '.repeat(widths[column] - [...label].length)).join('  ').trimEnd());
  lines.push('', `Legend: ${COVERAGE_LEGEND}.`);
  const gaps = gapLines(matrix, '', (text) => text);
  if (gaps.length > 0) lines.push('', 'Hunts with gaps:', ...gaps.map((line) => `  ${line}`));
  return lines.join('\n');
}

function markdownCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** Renders the matrix as a Markdown table (for a pull-request comment), followed by the hunts that have gaps. */
export function coverageMarkdown(matrix: CoverageMatrix): string {
  const rows = grid(matrix);
  const lines = [`**${summaryLine(matrix)}**`, ''];
  lines.push(`| ${rows[0].map(markdownCell).join(' | ')} |`, `|${rows[0].map((_, column) => (column === 0 ? '---' : ':---:')).join('|')}|`);
  for (const row of rows.slice(1)) lines.push(`| ${row.map(markdownCell).join(' | ')} |`);
  lines.push('', `Legend: ${COVERAGE_LEGEND}.`);
  const gaps = gapLines(matrix, '- ', (text) => `\`${text}\``);
  if (gaps.length > 0) lines.push('', '**Hunts with gaps**', '', ...gaps);
  return lines.join('\n');
}
