import { TextDocument } from 'vscode-languageserver-textdocument';
import { Position, TextEdit } from 'vscode-languageserver-types';
import { planBlocks } from './documentAnalysis';
import { HuntEngine } from './engine';
import { huntProfile } from './hunts/huntProfiles';
import { scenarioApplicability } from './hunts/exclusions';
import { exclusionLines, generateHunt, huntableProfiles } from './hunts/templates';
import { freshnessPolicy } from './intel/freshness';
import { HuntingQuery, huntingQueryYaml, ruleFileName } from './sentinel/ruleYaml';
import { IndicatorSet, setName } from './intel/model';
import { IntelStore } from './intel/store';
import { Catalog } from './schema/catalog';
import { DEFAULT_SETTINGS, Settings } from './settings';

export interface HuntOption {
  /** The set's name, "ThreatFox - Mirai". */
  set: string;
  family: string;
  source: string;
  indicators: number;
  tables: string[];
  /** The same tables with the environment each is usually hunted in and the hunt's title. */
  tableDetails: { table: string; environment: string; title: string }[];
  /** The tables whose hunts get false-positive exclusions when asked for. */
  tablesWithExclusions: string[];
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

// Hunt options depend only on the loaded sets and the catalog; code actions ask for them often.
const optionsCache = new WeakMap<IntelStore, { catalog: Catalog; options: HuntOption[] }>();

/** Lists every loaded set that can be hunted, with the tables its hunts support. */
export function huntOptions(engine: HuntEngine): HuntOption[] {
  const cached = optionsCache.get(engine.intel);
  if (cached && cached.catalog === engine.catalog) return cached.options;
  const options = computeHuntOptions(engine);
  optionsCache.set(engine.intel, { catalog: engine.catalog, options });
  return options;
}

function computeHuntOptions(engine: HuntEngine): HuntOption[] {
  return engine.intel.sets
    .map((set) => {
      const profiles = huntableProfiles(set, engine.catalog);
      const tables = profiles.map((profile) => profile.table);
      const tablesWithExclusions = tables.filter((table) => exclusionLines(table, huntProfile(table)!.environment, engine.catalog, DEFAULT_SETTINGS).length > 0);
      return {
        set: setName(set),
        family: set.family,
        source: set.source,
        indicators: set.indicators.length,
        tables,
        tableDetails: profiles.map((profile) => ({ table: profile.table, environment: profile.environment, title: profile.title })),
        tablesWithExclusions,
      };
    })
    .filter((option) => option.tables.length > 0);
}

/**
 * Finds the set named `name` ("ThreatFox - Mirai"), or the set of the family `name` ("Mirai").
 * When several sources have that family, their sets are merged into one. Without a name, it
 * returns the first loaded set.
 */
export function findSet(engine: HuntEngine, name: string | undefined): IndicatorSet | undefined {
  if (!name) return engine.intel.sets[0];
  const named = engine.intel.setNamed(name);
  if (named) return named;
  const wanted = name.toLowerCase();
  let family = engine.intel.sets.filter((set) => set.family.toLowerCase() === wanted);
  // Then the family's aliases ("LummaC2" for "Lumma Stealer"), then a unique prefix ("Lumma").
  if (family.length === 0) family = engine.intel.sets.filter((set) => set.indicators.some((indicator) => indicator.aliases?.some((alias) => alias.toLowerCase() === wanted)));
  if (family.length === 0) {
    const prefixed = engine.intel.sets.filter((set) => set.family.toLowerCase().startsWith(wanted));
    if (new Set(prefixed.map((set) => set.family)).size === 1) family = prefixed;
  }
  if (family.length <= 1) return family[0];
  return {
    family: family[0].family,
    source: family.map((set) => set.source).join(' + '),
    origin: family[0].origin,
    indicators: family.flatMap((set) => set.indicators),
  };
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

/** Writes the hunt for a set over a table, or returns why there is none. */
export function huntText(engine: HuntEngine, settings: Settings, set: IndicatorSet, table: string, withExclusions: boolean): { hunt: string } | { error: string } {
  const profile = huntProfile(table);
  const policy = freshnessPolicy(settings, engine.now());
  const supported = huntableProfiles(set, engine.catalog, policy);
  if (!profile || !supported.includes(profile)) {
    // A table the set's indicators would support if none were stale: say that, not "unsupported".
    if (profile && huntableProfiles(set, engine.catalog).includes(profile)) {
      return { error: `The indicators of ${setName(set)} that a hunt over ${table} matches are all stale (below kqlHunt.intel.minConfidence or older than kqlHunt.intel.maxAgeDays; --min-confidence and --max-age-days on the command line).` };
    }
    const tables = supported.map((candidate) => candidate.table);
    return { error: `No hunt template for ${setName(set)} over '${table}'. Supported tables: ${tables.join(', ') || 'none'}.` };
  }

  const environment = settings.environment === 'auto' ? undefined : settings.environment;
  return { hunt: generateHunt({ set, profile, environment, withExclusions, settings, catalog: engine.catalog, policy }) };
}

export function insertHunt(engine: HuntEngine, document: TextDocument, settings: Settings, request: InsertHuntRequest): InsertHuntResult {
  const set = findSet(engine, request.set);
  if (!set) return { error: `No loaded indicator set is named '${request.set}'. Run "KQL Hunt: Show Indicator Sets" to see the loaded sets.` };
  const result = huntText(engine, settings, set, request.table, request.withExclusions);
  if ('error' in result) return result;
  return { edit: insertionEdit(document, result.hunt, request.position), hunt: result.hunt };
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
