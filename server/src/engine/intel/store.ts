import { classifyIndicator } from './classify';
import { Indicator, IndicatorSet } from './model';

export interface IndicatorMatch {
  set: IndicatorSet;
  indicator: Indicator;
}

/**
 * The loaded indicator sets, indexed by value. An `ip:port` indicator is also found by its bare
 * address, because hunts list addresses and test ports separately.
 */
export class IntelStore {
  private readonly index = new Map<string, IndicatorMatch[]>();

  constructor(readonly sets: readonly IndicatorSet[]) {
    for (const set of sets) {
      for (const indicator of set.indicators) {
        this.add(indicator.value, { set, indicator });
        if (indicator.type === 'ip:port' && indicator.ip) this.add(indicator.ip, { set, indicator });
      }
    }
  }

  private add(key: string, match: IndicatorMatch): void {
    const matches = this.index.get(key);
    if (matches) matches.push(match);
    else this.index.set(key, [match]);
  }

  /** Indicators a literal stands for, whether it is written defanged or not. */
  lookup(literal: string): IndicatorMatch[] {
    const classified = classifyIndicator(literal);
    if (!classified) return [];
    return this.index.get(classified.value) ?? [];
  }

  get size(): number {
    return this.sets.reduce((total, set) => total + set.indicators.length, 0);
  }
}
