import { Block } from '../blocks';
import { IntelStore } from '../intel/store';
import { BlockAnalysis, Severity } from '../kusto/types';
import { Catalog } from '../schema/catalog';
import { Settings } from '../settings';

export interface RuleContext {
  block: Block;
  analysis: BlockAnalysis;
  catalog: Catalog;
  intel: IntelStore;
  settings: Settings;
  /** The time stale indicators are measured against. */
  now: Date;
}

/** A rule's finding; offsets are relative to the block's text. */
export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  start: number;
  end: number;
  /** Text that a quick fix puts in place of the finding's range. */
  replacement?: string;
  /** Codes of Kusto diagnostics on the same range that this finding explains better; those are dropped. */
  replaces?: string[];
}

export interface Rule {
  /** Stable id, or the prefix of a family of ids (`missing-exclusion` for `missing-exclusion/*`). */
  id: string;
  description: string;
  defaultSeverity: Severity;
  check(context: RuleContext): Finding[];
}
