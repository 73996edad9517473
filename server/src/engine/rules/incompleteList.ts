import { freshnessPolicy } from '../intel/freshness';
import { kindLabel, kindValues, ValueKind, valueKindOf } from '../intel/huntValues';
import { IndicatorSet, setName } from '../intel/model';
import { ListLiteral } from '../kusto/types';
import { indicatorLiterals, listValues } from './indicatorLiterals';
import { Finding, Rule, RuleContext } from './types';

export const INCOMPLETE_INDICATOR_LIST = 'incomplete-indicator-list';

/** A list that contains some values of one kind of a loaded set, but not all of them. */
export interface IncompleteList {
  list: ListLiteral;
  set: IndicatorSet;
  kind: ValueKind;
  /** Fresh values of the set of that kind that the list lacks, in the set's order. */
  missing: string[];
  expected: number;
  /** Values of the set in the list that are stale, so neither expected nor counted. */
  stale: number;
}

/** Lists whose items mean "any of": `has_all` lists are left alone. */
const ANY_OF_KINDS = new Set<ListLiteral['kind']>(['dynamic', 'in', 'has_any']);

/**
 * Finds the lists of the block that contain indicators of a loaded set but lack some of its
 * fresh values of the same kind. A list of addresses is compared with the set's addresses (of
 * its `ip` and `ip:port` indicators), a list of domains with its domains, and so on.
 */
export function incompleteLists(context: RuleContext): IncompleteList[] {
  const policy = freshnessPolicy(context.settings, context.now);
  const byOffset = new Map(indicatorLiterals(context.analysis, context.intel).map((entry) => [entry.literal.start, entry]));
  const results: IncompleteList[] = [];

  for (const list of context.analysis.summary.lists) {
    if (!ANY_OF_KINDS.has(list.kind)) continue;
    const present = new Map<ValueKind, Set<string>>();
    const touched = new Map<string, { set: IndicatorSet; kind: ValueKind }>();
    for (const item of list.items) {
      const entry = byOffset.get(item.start);
      if (!entry) continue;
      const kind = valueKindOf(entry.classified);
      const values = present.get(kind) ?? new Set<string>();
      values.add(kind === 'address' ? entry.classified.ip! : entry.classified.value);
      present.set(kind, values);
      for (const { set } of entry.matches) touched.set(`${setName(set)}\u0000${kind}`, { set, kind });
    }

    for (const { set, kind } of touched.values()) {
      const expected = kindValues(set, kind, policy);
      const have = present.get(kind)!;
      const missing = expected.filter((value) => !have.has(value));
      const fresh = new Set(expected);
      const stale = [...have].filter((value) => !fresh.has(value) && kindValues(set, kind, { minConfidence: 0, maxAgeDays: 0, now: policy.now }).includes(value)).length;
      if (missing.length > 0) results.push({ list, set, kind, missing, expected: expected.length, stale });
    }
  }
  return results;
}

export const incompleteIndicatorListRule: Rule = {
  id: INCOMPLETE_INDICATOR_LIST,
  description: 'A list contains some indicators of a loaded set but not all of them.',
  defaultSeverity: 'warning',
  check(context: RuleContext): Finding[] {
    return incompleteLists(context).map(({ list, set, kind, missing, expected, stale }) => ({
      code: INCOMPLETE_INDICATOR_LIST,
      severity: 'warning',
      message:
        `This list contains ${expected - missing.length} of the ${expected} ${kindLabel(kind, expected)} of ${setName(set)}; missing: ${listValues(missing)}.` +
        (stale > 0 ? ` Its other ${stale} ${kindLabel(kind, stale)} of the set ${stale === 1 ? 'is' : 'are'} stale and not counted.` : ''),
      start: list.start,
      end: list.end,
    }));
  },
};
