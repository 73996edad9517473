import { HuntEngine } from './engine';
import { setName } from './intel/model';
import { LoadProblem } from './util/problems';

export interface IntelSummary {
  indicators: number;
  families: string[];
  sets: { name: string; family: string; source: string; origin: string; indicators: number }[];
  loadProblems: LoadProblem[];
  workspaceTrusted: boolean;
}

/** Summarizes what the engine has loaded, for the editor's status item. */
export function intelSummary(engine: HuntEngine): IntelSummary {
  const sets = engine.intel.sets.map((set) => ({ name: setName(set), family: set.family, source: set.source, origin: set.origin, indicators: set.indicators.length }));
  const families = [...new Set(sets.map((set) => set.family))].sort((a, b) => a.localeCompare(b));
  return { indicators: engine.intel.size, families, sets, loadProblems: [...engine.loadProblems], workspaceTrusted: engine.workspaceTrusted };
}
