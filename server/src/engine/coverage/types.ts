// The shapes of the coverage matrix, apart from its computation so that the client can use them
// without bundling the engine.

/** One hunt that searches a table for indicators of a set. */
export interface CoverageHunt {
  file: string;
  uri?: string;
  /** 1-based line of the hunt's first line in the file. */
  line: number;
  /** The hunt's header comment, or its first line of code. */
  name: string;
  /** Fresh indicator values of the set (of the kinds the hunt lists) that its lists lack. */
  missingIndicators: number;
  /** Exclusion scenarios the hunt lacks (`tar-backup`, ...), sorted. */
  missingExclusions: string[];
  /**
   * Codes of the errors in the hunt (`KS142`, `defanged-indicator`, ...), sorted: a hunt that does
   * not compile, or whose indicators can never match, covers nothing.
   */
  errors: string[];
}

/**
 * State of a cell. `complete`: a hunt without errors lists every indicator and has every
 * exclusion. `gaps`: hunts exist, but each has errors or misses indicators or exclusions. `missing`: no hunt, though a template
 * could write one.
 */
export type CoverageState = 'complete' | 'gaps' | 'missing';

export interface CoverageCell {
  set: string;
  table: string;
  state: CoverageState;
  hunts: CoverageHunt[];
  /** A hunt template exists for this set and table, so "insert hunt here" can write one. */
  huntable: boolean;
}

export interface CoverageFamily {
  set: string;
  family: string;
  source: string;
  indicators: number;
}

export interface CoverageMatrix {
  families: CoverageFamily[];
  /** Tables with a hunt first (most hunted first), then tables only a template could hunt, by name. */
  tables: string[];
  /** One cell per set and table that has a hunt or a template; absent pairs have neither. */
  cells: CoverageCell[];
  /** Files read, and hunts (blocks with at least one loaded indicator) found in them. */
  files: number;
  hunts: number;
}

/** Returns the key of a cell in lookups. */
export function cellKey(set: string, table: string): string {
  return `${set}\u0000${table}`;
}
