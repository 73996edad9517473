import { indicatorFacts } from '../hover';
import { LoadProblem } from '../util/problems';
import { FreshnessPolicy } from './freshness';
import { BUILT_IN_ORIGIN } from './intelFile';
import { IntelFormat, FORMAT_LABELS } from './loaders/loadFile';
import { SourceState } from './manager';
import { Indicator, IndicatorSet, IndicatorType, setName } from './model';

// The rows of the Indicators view, built from the loaded sources: each source (the built-in set,
// each indicator file) with its state and problems, under it the families of its sets, and under
// each family its indicators, a page at a time. The client asks for the children of one row and
// shows them; it computes nothing itself.

/** One source as the tree needs it: its status and the sets it loaded (not merged with other files). */
export interface TreeSource {
  /** Absolute path, or "built-in". */
  path: string;
  name: string;
  state: SourceState;
  format?: IntelFormat;
  problems: readonly LoadProblem[];
  sets: readonly IndicatorSet[];
}

interface NodeBase {
  /** Stable across refreshes while the source and set exist; the parent id of the next request. */
  id: string;
  label: string;
  description?: string;
  /** Markdown shown on hover. */
  tooltip?: string;
  /** The file to open and its 1-based line; absent for the built-in set. */
  file?: string;
  line?: number;
}

export interface SourceNode extends NodeBase {
  kind: 'source';
  state: SourceState;
  indicators: number;
  problems: number;
}

export interface ProblemNode extends NodeBase {
  kind: 'problem';
  severity: LoadProblem['severity'];
}

export interface FamilyNode extends NodeBase {
  kind: 'family';
  /** The set's name ("ThreatFox - Mirai"), for Insert Hunt and copying. */
  set: string;
  family: string;
  /** The source's path, so that copying reads this source's indicators only. */
  source: string;
  indicators: number;
  types: IndicatorType[];
  /** ISO 8601 first-seen date of the newest indicator; absent when no indicator has one. */
  newestFirstSeen?: string;
}

export interface IndicatorNode extends NodeBase {
  kind: 'indicator';
  value: string;
  type: IndicatorType;
}

/** Stands for the children past a page; its id asks for the next page. */
export interface MoreNode extends NodeBase {
  kind: 'more';
  parent: string;
  offset: number;
  remaining: number;
}

export type IntelTreeNode = SourceNode | ProblemNode | FamilyNode | IndicatorNode | MoreNode;

/** Indicators listed under a family per request; a "N more" row asks for the next page. */
export const TREE_PAGE_SIZE = 200;

const STATE_LABELS: Record<SourceState, string> = { loading: 'loading', loaded: 'loaded', failed: 'failed', missing: 'missing' };

function sourceId(path: string): string {
  return `source:${path}`;
}

function familyId(path: string, set: IndicatorSet): string {
  return `family:${path}\u0000${setName(set)}`;
}

function plural(count: number, word: string): string {
  return `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;
}

function sourceNode(source: TreeSource): SourceNode {
  const indicators = source.sets.reduce((total, set) => total + set.indicators.length, 0);
  const builtIn = source.path === BUILT_IN_ORIGIN;
  const parts = [STATE_LABELS[source.state], plural(indicators, 'indicator')];
  if (source.problems.length > 0) parts.push(plural(source.problems.length, 'problem'));
  const format = source.format ? FORMAT_LABELS[source.format] : builtIn ? 'built-in ThreatFox Mirai set' : undefined;
  const tooltip = [`**${source.name}**: ${parts.join(', ')}`, format ? `Format: ${format}` : '', builtIn ? '' : `File: ${source.path}`].filter(Boolean).join('\n\n');
  return {
    kind: 'source',
    id: sourceId(source.path),
    label: builtIn ? 'Built-in' : source.name,
    description: parts.join(' · '),
    tooltip,
    file: builtIn ? undefined : source.path,
    state: source.state,
    indicators,
    problems: source.problems.length,
  };
}

function problemNode(source: TreeSource, problem: LoadProblem, index: number): ProblemNode {
  const where = problem.line !== undefined ? `line ${problem.line}` : undefined;
  return {
    kind: 'problem',
    id: `problem:${source.path}\u0000${index}`,
    label: problem.message,
    description: [problem.severity, where].filter(Boolean).join(' · '),
    tooltip: `**${problem.severity}** in ${problem.file}${problem.line !== undefined ? `:${problem.line}` : ''}${problem.value ? ` (\`${problem.value}\`)` : ''}\n\n${problem.message}`,
    severity: problem.severity,
    file: source.path === BUILT_IN_ORIGIN ? undefined : source.path,
    line: problem.line,
  };
}

/** The newest first-seen date of a set's indicators, as ISO text; undefined when none has one. */
export function newestFirstSeen(indicators: readonly Indicator[]): string | undefined {
  let newest: string | undefined;
  for (const indicator of indicators) if (indicator.firstSeen && (!newest || indicator.firstSeen > newest)) newest = indicator.firstSeen;
  return newest;
}

export function familyNode(source: TreeSource, set: IndicatorSet): FamilyNode {
  const types = [...new Set(set.indicators.map((indicator) => indicator.type))];
  const newest = newestFirstSeen(set.indicators);
  const parts = [plural(set.indicators.length, 'indicator'), types.join(', ')];
  if (newest) parts.push(`newest ${newest.slice(0, 10)}`);
  return {
    kind: 'family',
    id: familyId(source.path, set),
    label: set.family,
    description: parts.join(' · '),
    tooltip: `**${setName(set)}** from ${source.name}\n\n${parts.join('\n\n')}`,
    set: setName(set),
    family: set.family,
    source: source.path,
    indicators: set.indicators.length,
    types,
    newestFirstSeen: newest,
    file: source.path === BUILT_IN_ORIGIN ? undefined : source.path,
    line: set.indicators.find((indicator) => indicator.line !== undefined)?.line,
  };
}

function indicatorNode(source: TreeSource, set: IndicatorSet, indicator: Indicator, index: number, policy: FreshnessPolicy): IndicatorNode {
  const facts = indicatorFacts({ set, indicator }, policy);
  return {
    kind: 'indicator',
    id: `${familyId(source.path, set)}\u0000${index}`,
    label: indicator.value,
    description: [indicator.type, indicator.firstSeen?.slice(0, 10)].filter(Boolean).join(' · '),
    tooltip: [`**${indicator.value}** (${indicator.type})`, '', ...facts].join('\n'),
    value: indicator.value,
    type: indicator.type,
    file: source.path === BUILT_IN_ORIGIN ? undefined : indicator.origin && indicator.origin !== BUILT_IN_ORIGIN ? source.path : undefined,
    line: indicator.line,
  };
}

function familyChildren(source: TreeSource, set: IndicatorSet, offset: number, pageSize: number, policy: FreshnessPolicy): IntelTreeNode[] {
  const page = set.indicators.slice(offset, offset + pageSize).map((indicator, index) => indicatorNode(source, set, indicator, offset + index, policy));
  const remaining = set.indicators.length - offset - page.length;
  if (remaining <= 0) return page;
  const id = familyId(source.path, set);
  const next = offset + page.length;
  return [...page, { kind: 'more', id: `more:${id}\u0000${next}`, label: `${remaining.toLocaleString('en-US')} more`, description: 'show the next page', parent: id, offset: next, remaining }];
}

/**
 * Returns the rows under `parent` (the sources when it is undefined), from `offset` on. Unknown
 * ids give no rows, so a client that asks about a source that was removed meanwhile gets an
 * empty list rather than an error.
 */
export function intelTreeChildren(sources: readonly TreeSource[], policy: FreshnessPolicy, parent?: string, offset = 0, pageSize = TREE_PAGE_SIZE): IntelTreeNode[] {
  if (parent === undefined) return sources.map(sourceNode);
  for (const source of sources) {
    if (parent === sourceId(source.path)) return [...source.problems.map((problem, index) => problemNode(source, problem, index)), ...source.sets.map((set) => familyNode(source, set))];
    for (const set of source.sets) if (parent === familyId(source.path, set)) return familyChildren(source, set, offset, pageSize, policy);
  }
  return [];
}

/** The set named `set` ("ThreatFox - Mirai") of the source at `path`, for copying its indicators. */
export function findTreeSet(sources: readonly TreeSource[], path: string, set: string): IndicatorSet | undefined {
  return sources.find((source) => source.path === path)?.sets.find((candidate) => setName(candidate) === set);
}
