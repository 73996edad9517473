import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { classifyIndicator, ClassifiedValue } from './classify';
import { BUILT_IN_ORIGIN } from './intelFile';
import { Indicator, IndicatorSet, setName } from './model';

/** Indicators indexed between two yields to the event loop. */
const INDEX_SLICE = 20000;

/** Returns the indicator's latest date as text that sorts in time order (ISO 8601), or '' without one. */
function lastSighting(indicator: Indicator): string {
  return indicator.lastSeen ?? indicator.firstSeen ?? '';
}

export interface IndicatorMatch {
  set: IndicatorSet;
  indicator: Indicator;
}

/**
 * Indicators a later file repeats from an earlier one; each is loaded once. Repeats of the
 * built-in set are not counted, because ThreatFox exports contain it.
 */
export interface CrossFileDuplicates {
  file: string;
  earlierFile: string;
  count: number;
  first: { value: string; line?: number };
}

/**
 * The loaded indicator sets, merged and indexed by value. Sets of the same family and source
 * from several files merge into one, each value kept once (the first file wins). An `ip:port`
 * indicator is also found by its bare address, because hunts list addresses and test ports
 * separately.
 */
export class IntelStore {
  readonly sets: readonly IndicatorSet[];
  readonly duplicates: CrossFileDuplicates[] = [];
  private readonly index = new Map<string, IndicatorMatch[]>();

  constructor(sets: readonly IndicatorSet[], options: { index?: boolean } = {}) {
    this.sets = this.merge(sets);
    if (options.index === false) return;
    for (const set of this.sets) for (const indicator of set.indicators) this.indexIndicator(set, indicator);
  }

  /**
   * Builds a store without blocking the event loop for long: the index of a large feed is
   * filled in slices, with a yield between them.
   */
  static async build(sets: readonly IndicatorSet[]): Promise<IntelStore> {
    const store = new IntelStore(sets, { index: false });
    let count = 0;
    for (const set of store.sets) {
      for (const indicator of set.indicators) {
        store.indexIndicator(set, indicator);
        if (++count % INDEX_SLICE === 0) await yieldToEventLoop();
      }
    }
    return store;
  }

  private indexIndicator(set: IndicatorSet, indicator: Indicator): void {
    this.add(indicator.value, { set, indicator });
    if (indicator.type === 'ip:port' && indicator.ip) this.add(indicator.ip, { set, indicator });
  }

  private merge(sets: readonly IndicatorSet[]): IndicatorSet[] {
    const groups = new Map<string, IndicatorSet[]>();
    for (const set of sets) {
      const key = setName(set).toLowerCase();
      groups.set(key, [...(groups.get(key) ?? []), set]);
    }
    this.findDuplicates(sets);
    return [...groups.values()].map((group) => (group.length === 1 ? group[0] : this.mergeGroup(group)));
  }

  /**
   * Merges several files' sets of the same family and source into one. A value in several
   * files is kept once: the copy seen most recently, or the first file's copy when the dates
   * are equal or missing.
   */
  private mergeGroup(group: IndicatorSet[]): IndicatorSet {
    const merged: IndicatorSet = { family: group[0].family, source: group[0].source, origin: group[0].origin, origins: [], indicators: [] };
    const positions = new Map<string, number>();
    for (const set of group) {
      if (!merged.origins!.includes(set.origin)) merged.origins!.push(set.origin);
      for (const indicator of set.indicators) {
        const key = `${indicator.type}\u0000${indicator.value}`;
        const position = positions.get(key);
        if (position === undefined) {
          positions.set(key, merged.indicators.length);
          merged.indicators.push(indicator);
        } else if (lastSighting(indicator) > lastSighting(merged.indicators[position])) {
          merged.indicators[position] = indicator;
        }
      }
    }
    return merged;
  }

  // Only worth the memory when at least two files are loaded.
  private findDuplicates(sets: readonly IndicatorSet[]): void {
    const files = new Set(sets.map((set) => set.origin).filter((origin) => origin !== BUILT_IN_ORIGIN));
    if (files.size < 2) return;
    const firstOrigin = new Map<string, string>();
    const duplicates = new Map<string, CrossFileDuplicates>();
    for (const set of sets) {
      if (set.origin === BUILT_IN_ORIGIN) continue;
      for (const indicator of set.indicators) {
        const key = `${indicator.type}\u0000${indicator.value}`;
        const earlier = firstOrigin.get(key);
        if (earlier === undefined) firstOrigin.set(key, set.origin);
        else if (earlier !== set.origin) this.countDuplicate(duplicates, set.origin, earlier, indicator);
      }
    }
    this.duplicates.push(...duplicates.values());
  }

  private countDuplicate(duplicates: Map<string, CrossFileDuplicates>, file: string, earlierFile: string, indicator: Indicator): void {
    const key = `${file}\u0000${earlierFile}`;
    const found = duplicates.get(key);
    if (found) found.count++;
    else duplicates.set(key, { file, earlierFile, count: 1, first: { value: indicator.value, line: indicator.line } });
  }

  private add(key: string, match: IndicatorMatch): void {
    const matches = this.index.get(key);
    if (matches) matches.push(match);
    else this.index.set(key, [match]);
  }

  /** Indicators a literal stands for, whether it is written defanged or not. */
  lookup(literal: string): IndicatorMatch[] {
    const classified = classifyIndicator(literal);
    return classified ? this.lookupClassified(classified) : [];
  }

  lookupClassified(classified: ClassifiedValue): IndicatorMatch[] {
    return this.index.get(classified.value) ?? [];
  }

  /** Finds a set by its name ("ThreatFox - Mirai"), ignoring case. */
  setNamed(name: string): IndicatorSet | undefined {
    const wanted = name.toLowerCase();
    return this.sets.find((set) => setName(set).toLowerCase() === wanted);
  }

  get size(): number {
    return this.sets.reduce((total, set) => total + set.indicators.length, 0);
  }
}
