import { TextDocument } from 'vscode-languageserver-textdocument';
import { Position, TextEdit } from 'vscode-languageserver-types';
import { planBlocks } from './documentAnalysis';
import { HuntEngine } from './engine';
import { huntProfile } from './hunts/huntProfiles';
import { scenarioApplicability } from './hunts/exclusions';
import { generateHunt, huntableProfiles } from './hunts/templates';
import { HuntingQuery, huntingQueryYaml, ruleFileName } from './sentinel/ruleYaml';
import { IndicatorSet, setName } from './intel/model';
import { Settings } from './settings';

export interface HuntOption {
  /** The set's name, "ThreatFox - Mirai". */
  set: string;
  family: string;
  source: string;
  indicators: number;
  tables: string[];
  /** The same tables with the environment each is usually hunted in and the hunt's title. */
  tableDetails: { table: string; environment: string; title: string }[];
}

export interface InsertHuntRequest {
  /** Set name; the first loaded set when omitted. */
  set?: string;
  table: string;
  withExclusions: boolean;
  /** Cursor position; the hunt goes after the block there, or at the end of the document. */
  position?: Position;
}

export type InsertHuntResult = { edit: TextEdit; hunt: string } | { error: string };

/** Every loaded set that can be hunted, with the tables its hunts support. */
export function huntOptions(engine: HuntEngine): HuntOption[] {
  return engine.intel.sets
    .map((set) => {
      const profiles = huntableProfiles(set, engine.catalog);
      return {
        set: setName(set),
        family: set.family,
        source: set.source,
        indicators: set.indicators.length,
        tables: profiles.map((profile) => profile.table),
        tableDetails: profiles.map((profile) => ({ table: profile.table, environment: profile.environment, title: profile.title })),
      };
    })
    .filter((option) => option.tables.length > 0);
}

export function findSet(engine: HuntEngine, name: string | undefined): IndicatorSet | undefined {
  if (!name) return engine.intel.sets[0];
  return engine.intel.sets.find((set) => setName(set) === name || set.family.toLowerCase() === name.toLowerCase());
}

/**
 * Where a new hunt goes: after the block under the cursor, or at the cursor when it is between
 * blocks, so that an existing hunt is never split. Blank lines separate it from its neighbours.
 */
function insertionEdit(document: TextDocument, hunt: string, position: Position | undefined): TextEdit {
  const text = document.getText();
  const lineBreak = text.includes('\r\n') ? '\r\n' : '\n';
  const body = hunt.replace(/\n/g, lineBreak);
  if (text.trim() === '') return TextEdit.replace({ start: { line: 0, character: 0 }, end: document.positionAt(text.length) }, body + lineBreak);

  const offset = position ? document.offsetAt(position) : text.length;
  const containing = planBlocks(text, 'auto').find((plan) => plan.block.start <= offset && offset <= plan.block.end);
  if (containing || !position) {
    const end = containing ? containing.block.end : text.trimEnd().length;
    const atEnd = text.slice(end).trim() === '';
    return TextEdit.insert(document.positionAt(end), `${lineBreak}${lineBreak}${body}${atEnd && !text.endsWith('\n') ? lineBreak : ''}`);
  }

  // Between blocks: the cursor's line is blank; keep one blank line on each side.
  const lineStart = document.offsetAt({ line: position.line, character: 0 });
  const before = text.slice(0, lineStart);
  const prefix = before === '' || /(\r?\n)[ \t]*\r?\n$/.test(before) ? '' : lineBreak;
  const after = text.slice(lineStart);
  const suffix = /^[ \t]*(\r?\n|$)/.test(after) ? lineBreak : `${lineBreak}${lineBreak}`;
  return TextEdit.insert({ line: position.line, character: 0 }, `${prefix}${body}${suffix}`);
}

export function insertHunt(engine: HuntEngine, document: TextDocument, settings: Settings, request: InsertHuntRequest): InsertHuntResult {
  const set = findSet(engine, request.set);
  if (!set) return { error: `No loaded indicator set is named '${request.set}'. Run "KQL Hunt: Show Indicator Sets" to see the loaded sets.` };
  const profile = huntProfile(request.table);
  if (!profile || !huntableProfiles(set, engine.catalog).includes(profile)) {
    const tables = huntableProfiles(set, engine.catalog).map((candidate) => candidate.table);
    return { error: `No hunt template for ${setName(set)} over '${request.table}'. Supported tables: ${tables.join(', ') || 'none'}.` };
  }

  const environment = settings.environment === 'auto' ? undefined : settings.environment;
  const hunt = generateHunt({ set, profile, environment, withExclusions: request.withExclusions, settings, catalog: engine.catalog });
  return { edit: insertionEdit(document, hunt, request.position), hunt };
}

export interface HuntingQueryRequest {
  set?: string;
  table: string;
  withExclusions: boolean;
}

export type HuntingQueryResult = { text: string; fileName: string } | { error: string };

/**
 * A new Sentinel hunting query file for a set over a table. The query runs in Sentinel, so it
 * uses Sentinel's time column whatever environment the table is usually hunted in.
 */
export async function huntingQueryFile(engine: HuntEngine, settings: Settings, request: HuntingQueryRequest): Promise<HuntingQueryResult> {
  const set = findSet(engine, request.set);
  if (!set) return { error: `No loaded indicator set is named '${request.set}'. Loaded: ${engine.intel.sets.map(setName).join(', ')}.` };
  const profile = huntProfile(request.table);
  if (!profile || !huntableProfiles(set, engine.catalog).includes(profile)) {
    const tables = huntableProfiles(set, engine.catalog).map((candidate) => candidate.table);
    return { error: `No hunt template for ${setName(set)} over '${request.table}'. Supported tables: ${tables.join(', ') || 'none'}.` };
  }

  const hunt = generateHunt({ set, profile, environment: 'sentinel', withExclusions: request.withExclusions, settings, catalog: engine.catalog });
  const query = hunt
    .split('\n')
    .filter((line) => !line.startsWith('//'))
    .join('\n');
  const excluded = request.withExclusions
    ? scenarioApplicability(profile.table, 'sentinel', engine.catalog, settings).filter((applicability) => !applicability.reason)
    : [];
  const scenarios = excluded.map((applicability) => applicability.scenario.title.toLowerCase());
  const threatTypes = [...new Set(set.indicators.map((indicator) => indicator.threatType).filter(Boolean))].join(', ');
  const huntingQuery: HuntingQuery = {
    name: `${set.family} indicators from ${set.source} in ${profile.table}`,
    description: [
      `${profile.title}: finds ${profile.table} rows that involve the addresses of the ${set.indicators.length} ${set.family} indicators of ${setName(set)}${threatTypes ? ` (${threatTypes})` : ''}.`,
      excluded.length > 0 ? `Excludes ${excluded.length} known false-positive scenarios: ${scenarios.join('; ')}.` : 'Adds no false-positive exclusions.',
    ].join('\n'),
    query,
  };
  return { text: await huntingQueryYaml(engine, huntingQuery, settings), fileName: ruleFileName(huntingQuery.name) };
}
