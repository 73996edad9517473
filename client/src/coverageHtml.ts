// The HTML of the coverage view. The matrix is a real table with ARIA grid roles and one
// focusable cell at a time (arrow keys, Home and End move). Colours come from the editor's CSS
// variables, and a strict Content-Security-Policy allows no remote resource and only script and
// style with the page's nonce. The module does not import vscode, so unit tests can run it.
import { cellKey, CoverageCell, CoverageMatrix } from '../../server/src/engine/coverage/types';
import { cellLabel, COVERAGE_LEGEND, huntGaps } from '../../server/src/engine/coverage/render';

const STATE_WORDS: Record<CoverageCell['state'], string> = {
  complete: 'hunted with every indicator and exclusion',
  gaps: 'hunted with gaps',
  missing: 'no hunt yet; press Enter to insert one',
};

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Returns the accessible name of a cell: the set, the table and what the cell means. */
export function cellDescription(set: string, table: string, cell: CoverageCell | undefined): string {
  if (!cell) return `${set} on ${table}: no hunt, and no template can write one`;
  const hunts = cell.hunts.length > 0 ? ` by ${cell.hunts.length} hunt${cell.hunts.length === 1 ? '' : 's'}` : '';
  return `${set} on ${table}: ${STATE_WORDS[cell.state]}${hunts}`;
}

function headerRow(matrix: CoverageMatrix): string {
  const columns = matrix.tables.map((table) => `<th scope="col" role="columnheader"><span class="table-name">${escapeHtml(table)}</span></th>`).join('');
  return `<tr role="row"><th scope="col" role="columnheader">Indicator set</th>${columns}</tr>`;
}

function bodyRows(matrix: CoverageMatrix): string {
  const cells = new Map(matrix.cells.map((cell) => [cellKey(cell.set, cell.table), cell]));
  return matrix.families
    .map((family, row) => {
      const tds = matrix.tables.map((table, column) => {
        const cell = cells.get(cellKey(family.set, table));
        const state = cell?.state ?? 'none';
        const tabindex = row === 0 && column === 0 ? '0' : '-1';
        return `<td role="gridcell" class="cell ${state}" tabindex="${tabindex}" data-row="${row}" data-column="${column}" aria-label="${escapeHtml(cellDescription(family.set, table, cell))}">${escapeHtml(cellLabel(cell))}</td>`;
      });
      const heading = `<th scope="row" role="rowheader">${escapeHtml(family.set)}<span class="count">${family.indicators} indicators</span></th>`;
      return `<tr role="row">${heading}${tds.join('')}</tr>`;
    })
    .join('\n');
}

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 12px 12px; }
h1 { font-size: 1.2em; font-weight: 600; }
.summary, .legend { color: var(--vscode-descriptionForeground); }
.scroll { overflow: auto; max-width: 100%; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border)); padding: 4px 8px; text-align: center; white-space: nowrap; }
thead th { position: sticky; top: 0; background: var(--vscode-editor-background); font-weight: 600; }
th[scope="row"] { text-align: left; font-weight: 600; }
.count { display: block; font-weight: normal; color: var(--vscode-descriptionForeground); font-size: 0.9em; }
td.cell { cursor: default; min-width: 3em; }
td.complete { color: var(--vscode-testing-iconPassed, var(--vscode-charts-green)); }
td.gaps { color: var(--vscode-editorWarning-foreground); font-weight: 600; }
td.missing { color: var(--vscode-descriptionForeground); cursor: pointer; }
td.none { background: var(--vscode-editorWidget-background, transparent); }
td:focus { outline: 2px solid var(--vscode-focusBorder); outline-offset: -2px; background: var(--vscode-list-activeSelectionBackground); color: var(--vscode-list-activeSelectionForeground); }
#details { margin-top: 12px; min-height: 3em; }
#details ul { padding-left: 1.2em; }
button { font-family: inherit; color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 3px 10px; cursor: pointer; }
button:hover { background: var(--vscode-button-hoverBackground); }
button:focus { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
button.link { color: var(--vscode-textLink-foreground); background: none; padding: 0; text-decoration: underline; }
.gap { color: var(--vscode-editorWarning-foreground); }
`;

// Runs in the webview: keyboard navigation over the cells, the details of the focused cell, and
// messages to the extension (open a hunt, insert a hunt, refresh).
const SCRIPT = `
const vscode = acquireVsCodeApi();
const data = JSON.parse(document.getElementById('matrix').textContent);
const cells = new Map(data.cells.map((cell) => [cell.set + '\\u0000' + cell.table, cell]));
const grid = document.getElementById('grid');
const details = document.getElementById('details');
const rows = data.families.length;
const columns = data.tables.length;

function cellAt(row, column) {
  return grid.querySelector('td[data-row="' + row + '"][data-column="' + column + '"]');
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function showDetails(td) {
  const set = data.families[Number(td.dataset.row)].set;
  const table = data.tables[Number(td.dataset.column)];
  const cell = cells.get(set + '\\u0000' + table);
  details.replaceChildren(element('h2', set + ' on ' + table));
  if (!cell) {
    details.append(element('p', 'No hunt, and no hunt template for this set and table.'));
    return;
  }
  if (cell.hunts.length === 0) {
    details.append(element('p', 'No hunt searches ' + table + ' for these indicators yet.'));
    const insert = element('button', 'Insert hunt here');
    insert.addEventListener('click', () => vscode.postMessage({ type: 'insert', set, table }));
    details.append(insert);
    return;
  }
  const list = element('ul');
  for (const hunt of cell.hunts) {
    const item = element('li');
    const open = element('button', hunt.file + ':' + hunt.line, 'link');
    open.addEventListener('click', () => vscode.postMessage({ type: 'open', uri: hunt.uri, line: hunt.line }));
    item.append(open, ' ' + hunt.name);
    const gaps = [];
    if (hunt.errors.length > 0) gaps.push('errors: ' + hunt.errors.join(', '));
    if (hunt.missingIndicators > 0) gaps.push(hunt.missingIndicators + ' indicator' + (hunt.missingIndicators === 1 ? '' : 's') + ' missing');
    if (hunt.missingExclusions.length > 0) gaps.push('no exclusion for ' + hunt.missingExclusions.join(', '));
    if (gaps.length > 0) item.append(element('span', ' (' + gaps.join('; ') + ')', 'gap'));
    list.append(item);
  }
  details.append(list);
}

function focusCell(row, column) {
  const target = cellAt(Math.max(0, Math.min(rows - 1, row)), Math.max(0, Math.min(columns - 1, column)));
  if (!target) return;
  for (const td of grid.querySelectorAll('td[tabindex="0"]')) td.tabIndex = -1;
  target.tabIndex = 0;
  target.focus();
  showDetails(target);
}

function activate(td) {
  const set = data.families[Number(td.dataset.row)].set;
  const table = data.tables[Number(td.dataset.column)];
  const cell = cells.get(set + '\\u0000' + table);
  if (cell && cell.hunts.length === 0 && cell.huntable) vscode.postMessage({ type: 'insert', set, table });
  else if (cell && cell.hunts.length > 0) vscode.postMessage({ type: 'open', uri: cell.hunts[0].uri, line: cell.hunts[0].line });
}

grid.addEventListener('keydown', (event) => {
  const td = event.target.closest('td');
  if (!td) return;
  const row = Number(td.dataset.row);
  const column = Number(td.dataset.column);
  const moves = { ArrowUp: [row - 1, column], ArrowDown: [row + 1, column], ArrowLeft: [row, column - 1], ArrowRight: [row, column + 1], Home: [row, 0], End: [row, columns - 1] };
  if (event.ctrlKey && event.key === 'Home') moves.Home = [0, 0];
  if (event.ctrlKey && event.key === 'End') moves.End = [rows - 1, columns - 1];
  if (moves[event.key]) {
    event.preventDefault();
    focusCell(moves[event.key][0], moves[event.key][1]);
  } else if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    activate(td);
  }
});
grid.addEventListener('click', (event) => {
  const td = event.target.closest('td');
  if (td) focusCell(Number(td.dataset.row), Number(td.dataset.column));
});
grid.addEventListener('dblclick', (event) => {
  const td = event.target.closest('td');
  if (td) activate(td);
});
document.getElementById('refresh').addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));
if (rows > 0 && columns > 0) showDetails(cellAt(0, 0));
vscode.postMessage({ type: 'ready' });
`;

/** JSON that can sit inside a script element: `<` is escaped so no `</script>` can end it early. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** Lists the hunts with gaps below the grid, for screen readers and printing. */
function gapList(matrix: CoverageMatrix): string {
  const items = matrix.cells.flatMap((cell) => cell.hunts.filter((hunt) => huntGaps(hunt) !== '').map((hunt) => `<li>${escapeHtml(`${cell.set} on ${cell.table}: ${hunt.file}:${hunt.line} ${hunt.name}: ${huntGaps(hunt)}`)}</li>`));
  return items.length > 0 ? `<h2>Hunts with gaps</h2><ul class="gaps">${items.join('')}</ul>` : '';
}

/** The whole page for a matrix; `nonce` must be fresh for every render. */
export function coverageHtml(matrix: CoverageMatrix, nonce: string): string {
  const csp = `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';`;
  const summary = `${matrix.families.length} indicator sets over ${matrix.tables.length} tables: ${matrix.hunts} hunts in ${matrix.files} files.`;
  const empty = matrix.families.length === 0 ? '<p>No indicator set is loaded; add files to kqlHunt.intel.files.</p>' : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>KQL Hunt: Coverage</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<h1>Hunt coverage</h1>
<p class="summary">${escapeHtml(summary)} <button id="refresh" type="button">Refresh</button></p>
${empty}
<div class="scroll">
<table id="grid" role="grid" aria-label="Indicator sets (rows) against tables (columns)" aria-rowcount="${matrix.families.length + 1}" aria-colcount="${matrix.tables.length + 1}">
<thead>${headerRow(matrix)}</thead>
<tbody>
${bodyRows(matrix)}
</tbody>
</table>
</div>
<p class="legend">${escapeHtml(`Legend: ${COVERAGE_LEGEND}. Arrow keys move between cells; Enter opens the first hunt of a cell or inserts a hunt into an empty one.`)}</p>
<section id="details" aria-live="polite"></section>
${gapList(matrix)}
<script nonce="${nonce}" type="application/json" id="matrix">${scriptJson(matrix)}</script>
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>`;
}
