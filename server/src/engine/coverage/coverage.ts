import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalyzedBlock, DocumentAnalysis } from '../documentAnalysis';
import { huntLayout } from '../editing/hunts';
import { huntableProfiles } from '../hunts/templates';
import { freshnessPolicy } from '../intel/freshness';
import { IndicatorSet, setName } from '../intel/model';
import { IntelStore } from '../intel/store';
import { incompleteLists } from '../rules/incompleteList';
import { indicatorLiterals } from '../rules/indicatorLiterals';
import { Catalog } from '../schema/catalog';
import { Settings } from '../settings';
import { cellKey, CoverageCell, CoverageHunt, CoverageMatrix, CoverageState } from './types';

export * from './types';

// The hunt estate as a matrix: the loaded indicator sets (rows) against the tables (columns),
// built from the analyses of every hunt file. A cell lists the hunts that search that table for
// indicators of that set, and what they miss: indicators of the set left out of their lists, and
// false-positive exclusions they lack. A pure function, so the editor's view and
// `kql-hunt coverage` show the same matrix.

export interface CoverageInput {
  /** The file's display path, relative to the workspace folder or the working folder. */
  file: string;
  /** The file's URI, for editors that open the hunt; the CLI leaves it out. */
  uri?: string;
  document: TextDocument;
  analysis: DocumentAnalysis;
}

export interface CoverageOptions {
  catalog: Catalog;
  intel: IntelStore;
  settings: Settings;
  now: Date;
}

function blockLine(input: CoverageInput, block: AnalyzedBlock): { line: number; name: string } {
  const layout = huntLayout({ block: block.block, environmentRequest: block.environmentRequest, findings: [] });
  const offset = block.region.map.toDocumentStart(block.block.start + layout.start);
  // A Sentinel rule has a name of its own, which describes the hunt better than the first line of its query.
  const ruleName = input.analysis.source.rule?.root.get('name');
  const name = (typeof ruleName === 'string' && ruleName.trim() !== '' ? ruleName.trim() : undefined) ?? layout.comment?.name ?? layout.firstCode?.text ?? '';
  return { line: input.document.positionAt(offset).line + 1, name };
}

/** Lists the hunts of one analysed block: one per set whose indicators it contains, with what it misses of that set. */
function blockHunts(input: CoverageInput, block: AnalyzedBlock, options: CoverageOptions): { set: IndicatorSet; tables: string[]; hunt: CoverageHunt }[] {
  if (block.outcome.status !== 'analyzed') return [];
  const analysis = block.outcome.analysis;
  const sets = new Map<string, IndicatorSet>();
  for (const literal of indicatorLiterals(analysis, options.intel)) for (const { set } of literal.matches) sets.set(setName(set), set);
  if (sets.size === 0) return [];

  const context = { block: block.block, analysis, catalog: options.catalog, intel: options.intel, settings: options.settings, now: options.now };
  const missingBySet = new Map<string, number>();
  for (const incomplete of incompleteLists(context)) {
    const name = setName(incomplete.set);
    missingBySet.set(name, (missingBySet.get(name) ?? 0) + incomplete.missing.length);
  }
  const missingExclusions = [...new Set(block.findings.filter((finding) => finding.code.startsWith('missing-exclusion/')).map((finding) => finding.code.slice('missing-exclusion/'.length)))].sort();
  const errors = [...new Set(block.findings.filter((finding) => finding.severity === 'error').map((finding) => finding.code))].sort();
  const tables = [...new Set(analysis.summary.tables.map((table) => table.name))];
  const { line, name } = blockLine(input, block);
  return [...sets.values()].map((set) => ({ set, tables, hunt: { file: input.file, uri: input.uri, line, name, missingIndicators: missingBySet.get(setName(set)) ?? 0, missingExclusions, errors } }));
}

function cellState(hunts: readonly CoverageHunt[]): CoverageState {
  if (hunts.length === 0) return 'missing';
  return hunts.some((hunt) => hunt.errors.length === 0 && hunt.missingIndicators === 0 && hunt.missingExclusions.length === 0) ? 'complete' : 'gaps';
}

/** Orders the columns: tables with hunts by their number of hunts, then the rest by name. */
function orderTables(hunted: Map<string, number>, huntable: Set<string>): string[] {
  const withHunts = [...hunted.keys()].sort((a, b) => hunted.get(b)! - hunted.get(a)! || a.localeCompare(b));
  const without = [...huntable].filter((table) => !hunted.has(table)).sort((a, b) => a.localeCompare(b));
  return [...withHunts, ...without];
}

/** Builds the coverage matrix of the loaded sets over the tables, from analysed hunt files. */
export function computeCoverage(inputs: readonly CoverageInput[], options: CoverageOptions): CoverageMatrix {
  const huntsByCell = new Map<string, CoverageHunt[]>();
  const huntsByTable = new Map<string, number>();
  let hunts = 0;
  for (const input of inputs) {
    for (const block of input.analysis.blocks) {
      const found = blockHunts(input, block, options);
      if (found.length > 0) hunts++;
      for (const { set, tables, hunt } of found) {
        for (const table of tables) {
          const key = cellKey(setName(set), table);
          huntsByCell.set(key, [...(huntsByCell.get(key) ?? []), hunt]);
          huntsByTable.set(table, (huntsByTable.get(table) ?? 0) + 1);
        }
      }
    }
  }

  const policy = freshnessPolicy(options.settings, options.now);
  const huntableBySet = new Map(options.intel.sets.map((set) => [setName(set), new Set(huntableProfiles(set, options.catalog, policy).map((profile) => profile.table))]));
  const allHuntable = new Set([...huntableBySet.values()].flatMap((tables) => [...tables]));
  const tables = orderTables(huntsByTable, allHuntable);

  const cells: CoverageCell[] = [];
  for (const set of options.intel.sets) {
    const name = setName(set);
    for (const table of tables) {
      const cellHunts = huntsByCell.get(cellKey(name, table)) ?? [];
      const huntable = huntableBySet.get(name)?.has(table) ?? false;
      if (cellHunts.length === 0 && !huntable) continue;
      cells.push({ set: name, table, state: cellState(cellHunts), hunts: cellHunts, huntable });
    }
  }

  const families = options.intel.sets.map((set) => ({ set: setName(set), family: set.family, source: set.source, indicators: set.indicators.length }));
  return { families, tables, cells, files: inputs.length, hunts };
}

/** Finds the cell of a set and a table, if the matrix has one. */
export function coverageCell(matrix: CoverageMatrix, set: string, table: string): CoverageCell | undefined {
  return matrix.cells.find((cell) => cell.set === set && cell.table === table);
}
