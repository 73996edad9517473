import { Block } from '../blocks';
import { HuntEngine } from '../engine';
import { BlockStructure } from '../kusto/editingTypes';
import { Settings } from '../settings';
import { LruCache } from '../util/lru';
import { withinLimits } from './hunts';

// Block structures from the worker, cached by block text: the outline, folding and workspace
// symbols ask for them after every edit, and only the edited block has new text.

const EMPTY: BlockStructure = { lets: [], source: null, folds: [] };
const CACHE_SIZE = 20000;

const caches = new WeakMap<HuntEngine, LruCache<string, Promise<BlockStructure>>>();

function cacheOf(engine: HuntEngine): LruCache<string, Promise<BlockStructure>> {
  let cache = caches.get(engine);
  if (!cache) {
    cache = new LruCache(CACHE_SIZE);
    caches.set(engine, cache);
  }
  return cache;
}

/** The syntax outline of a block; empty for a block over the analysis limits or one the worker failed on. */
export function blockStructure(engine: HuntEngine, block: Block, settings: Settings): Promise<BlockStructure> {
  if (block.commentOnly || !withinLimits(block, settings)) return Promise.resolve(EMPTY);

  const cache = cacheOf(engine);
  const cached = cache.get(block.text);
  if (cached) return cached;
  const structure = engine.worker.request<BlockStructure>({ method: 'structure', text: block.text }, { priority: 'interactive' }).catch((error: Error) => {
    engine.logger.warn(`Reading the outline of the block at line ${block.startLine + 1} failed: ${error.message}`);
    return EMPTY;
  });
  cache.set(block.text, structure);
  return structure;
}
