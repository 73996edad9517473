import { HuntEngine } from '../engine/engine';
import { freshnessPolicy } from '../engine/intel/freshness';
import { IntelManager } from '../engine/intel/manager';
import { findTreeSet, intelTreeChildren, IntelTreeNode } from '../engine/intel/tree';
import { IntelIndicators, IntelIndicatorsParams, IntelTreeParams } from '../protocol';
import { SettingsStore } from './settingsStore';

/** Serves the client's Indicators view: the rows under a row, and the values of a set for copying. */
export class IndicatorsView {
  constructor(
    private readonly manager: IntelManager,
    private readonly engine: HuntEngine,
    private readonly settings: SettingsStore,
  ) {}

  async children(params: IntelTreeParams | undefined): Promise<IntelTreeNode[]> {
    const policy = freshnessPolicy(await this.settings.get(''), this.engine.now());
    return intelTreeChildren(this.manager.treeSources(), policy, params?.parent, params?.offset ?? 0);
  }

  indicators(params: IntelIndicatorsParams): IntelIndicators {
    const set = findTreeSet(this.manager.treeSources(), params.source, params.set);
    return { values: [...new Set(set?.indicators.map((indicator) => indicator.value) ?? [])] };
  }
}
