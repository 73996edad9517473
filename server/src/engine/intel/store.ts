import { classifyIndicator, ClassifiedValue } from './classify';
import { Indicator, IndicatorSet, setName } from './model';

export interface IndicatorMatch {
  set: IndicatorSet;
  indicator: Indicator;
}

/** Indicators a later file repeats from an earlier one; each is loaded once. */
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

  constructor(sets: readonly IndicatorSet[]) {
    this.sets = this.merge(sets);
    for (const set of this.sets) {
      for (const indicator of set.indicators) {
        this.add(indicator.value, { set, indicator });
        if (indicator.type === 'ip:port' && indicator.ip) this.add(indicator.ip, { set, indicator });
      }
    }
  }

  private merge(sets: readonly IndicatorSet[]): IndicatorSet[] {
    const merged = new Map<string, { set: IndicatorSet; values: Map<string, Indicator> }>();
    const firstOrigin = new Map<string, string>();
    const duplicates = new Map<string, CrossFileDuplicates>();

    for (const set of sets) {
      const key = setName(set).toLowerCase();
      let entry = merged.get(key);
      if (!entry) {
        entry = { set: { family: set.family, source: set.source, origin: set.origin, indicators: [] }, values: new Map() };
        merged.set(key, entry);
      } else if (!(entry.set.origins ?? [entry.set.origin]).includes(set.origin)) {
        entry.set.origins = [...(entry.set.origins ?? [entry.set.origin]), set.origin];
      }
      for (const indicator of set.indicators) {
        const valueKey = `${indicator.type}\u0000${indicator.value}`;
        const earlier = firstOrigin.get(valueKey);
        if (earlier === undefined) firstOrigin.set(valueKey, set.origin);
        else if (earlier !== set.origin) this.countDuplicate(duplicates, set.origin, earlier, indicator);
        if (entry.values.has(valueKey)) continue;
        entry.values.set(valueKey, indicator);
        entry.set.indicators.push(indicator);
      }
    }
    this.duplicates.push(...duplicates.values());
    return [...merged.values()].map((entry) => entry.set);
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

  /** A set by its name ("ThreatFox - Mirai"), ignoring case. */
  setNamed(name: string): IndicatorSet | undefined {
    const wanted = name.toLowerCase();
    return this.sets.find((set) => setName(set).toLowerCase() === wanted);
  }

  get size(): number {
    return this.sets.reduce((total, set) => total + set.indicators.length, 0);
  }
}
