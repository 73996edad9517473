import builtInIntel from '../../../data/intel/builtin.json';
import { IndicatorSet } from './model';

/** The product's own file of indicator sets; the built-in set ships in this format. */
export interface IntelFile {
  format: 'kql-hunt-intel/1';
  generatedBy: string;
  sets: Omit<IndicatorSet, 'origin'>[];
}

export const BUILT_IN_ORIGIN = 'built-in';

export function builtInSets(): IndicatorSet[] {
  return (builtInIntel as IntelFile).sets.map((set) => ({ ...set, origin: BUILT_IN_ORIGIN, indicators: set.indicators.map((indicator) => ({ ...indicator })) }));
}
