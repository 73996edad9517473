import { classifyIndicator, ClassifiedValue } from '../intel/classify';
import { IndicatorMatch, IntelStore } from '../intel/store';
import { BlockAnalysis, StringLiteral } from '../kusto/types';

/** A string literal of a block that holds an indicator, with the loaded indicators it matches. */
export interface IndicatorLiteral {
  literal: StringLiteral;
  classified: ClassifiedValue;
  matches: IndicatorMatch[];
}

// Several rules look at the same literals; classify each block's literals once per store.
const cache = new WeakMap<BlockAnalysis, { store: IntelStore; literals: IndicatorLiteral[] }>();

/** Returns the block's string literals that contain an indicator, loaded or not. */
export function indicatorLiterals(analysis: BlockAnalysis, store: IntelStore): IndicatorLiteral[] {
  const cached = cache.get(analysis);
  if (cached && cached.store === store) return cached.literals;

  const literals: IndicatorLiteral[] = [];
  for (const literal of analysis.summary.strings) {
    const classified = classifyIndicator(literal.value);
    if (classified) literals.push({ literal, classified, matches: store.lookupClassified(classified) });
  }
  cache.set(analysis, { store, literals });
  return literals;
}

/** Lists at most `limit` values, then how many more there are. */
export function listValues(values: readonly string[], limit = 10): string {
  const shown = values.slice(0, limit).join(', ');
  return values.length > limit ? `${shown} and ${values.length - limit} more` : shown;
}
