import fg from 'fast-glob';
import { stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { Logger, silentLogger } from '../util/logger';
import { formatProblem, LoadProblem } from '../util/problems';
import { BUILT_IN_ORIGIN, builtInSets } from './intelFile';
import { IntelFormat, loadIntelFile } from './loaders/loadFile';
import { IndicatorSet, setName } from './model';
import { IntelStore } from './store';
import type { TreeSource } from './tree';

/** The manager's sources: `files` are paths or globs, and relative ones are resolved in each root. */
export interface IntelConfig {
  files: readonly string[];
  includeBuiltIn: boolean;
  /** Folders relative paths are resolved in: the workspace folders, or the CLI's working folder. */
  roots: readonly string[];
}

export type SourceState = 'loading' | 'loaded' | 'failed' | 'missing';

/** One loaded set as the status lists it. */
export interface SetSummary {
  name: string;
  family: string;
  source: string;
  indicators: number;
}

/** The state of one indicator file (or the built-in set), for the client and `intel list`. */
export interface SourceStatus {
  /** Absolute path, or "built-in". */
  path: string;
  /** The path as messages show it: relative to its root where it lies inside one. */
  name: string;
  state: SourceState;
  format?: IntelFormat;
  bytes?: number;
  indicators: number;
  sets: SetSummary[];
  families: string[];
  problems: LoadProblem[];
  durationMs?: number;
}

export interface PatternStatus {
  pattern: string;
  root: string;
  matches: number;
}

export interface IntelStatus {
  sources: SourceStatus[];
  patterns: PatternStatus[];
  /** The merged sets the engine uses. */
  sets: SetSummary[];
  indicators: number;
  loading: boolean;
}

interface Source {
  path: string;
  name: string;
  state: SourceState;
  format?: IntelFormat;
  bytes?: number;
  sets: IndicatorSet[];
  problems: LoadProblem[];
  durationMs?: number;
  /** Bumped by each load, so that a slower, older load never overwrites a newer one. */
  generation: number;
  /** True for a path the settings name literally, kept (as missing) when the file is absent. */
  literal: boolean;
}

function summarize(set: IndicatorSet): SetSummary {
  return { name: setName(set), family: set.family, source: set.source, indicators: set.indicators.length };
}

/**
 * Loads the indicator files the settings name, keeps each file's status, and reloads a single
 * file when it changes. It has no LSP connection. The server forwards file events to it and
 * listens to `onDidChange`, and the CLI calls `configure` once.
 */
export class IntelManager {
  store: IntelStore = new IntelStore([]);
  /** Called after every change of the loaded sets, with the new store. */
  onDidChange: (store: IntelStore) => void = () => undefined;
  private readonly logger: Logger;
  private readonly sources = new Map<string, Source>();
  private config: IntelConfig = { files: [], includeBuiltIn: true, roots: [] };
  private patterns: PatternStatus[] = [];
  private pending = new Set<Promise<void>>();
  private rebuilds = 0;
  private latestRebuild: Promise<void> = Promise.resolve();

  constructor(options: { logger?: Logger } = {}) {
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * Applies new settings: files no longer named are unloaded, new ones loaded, unchanged ones
   * kept as they are. Resolves when every load has finished.
   */
  async configure(config: IntelConfig): Promise<void> {
    this.config = { files: [...config.files], includeBuiltIn: config.includeBuiltIn, roots: [...config.roots] };
    const wanted = await this.expandPatterns();
    for (const path of [...this.sources.keys()]) {
      if (path !== BUILT_IN_ORIGIN && !wanted.has(path)) this.sources.delete(path);
    }
    this.configureBuiltIn();

    const loads: Promise<void>[] = [];
    for (const [path, literal] of wanted) {
      const existing = this.sources.get(path);
      if (existing && existing.state !== 'missing') continue;
      loads.push(this.load(path, literal));
    }
    await Promise.all([this.rebuild(), ...loads]);
  }

  /** Reads every indicator file again (the built-in set stays), as after a fresh start. */
  async reloadAll(): Promise<void> {
    for (const path of [...this.sources.keys()]) if (path !== BUILT_IN_ORIGIN) this.sources.delete(path);
    await this.configure(this.config);
  }

  /** Resolves when no load is running. */
  async whenIdle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Reloads a created, changed or deleted file if the settings name it. */
  async fileChanged(path: string): Promise<void> {
    const absolute = resolve(path);
    const known = this.sources.get(absolute);
    if (known) return this.load(absolute, known.literal);

    const wanted = await this.expandPatterns();
    if (wanted.has(absolute)) return this.load(absolute, wanted.get(absolute)!);
  }

  /** Absolute paths and globs to watch, with the folder each is relative to. */
  watchPatterns(): { root: string; pattern: string }[] {
    const patterns: { root: string; pattern: string }[] = [];
    for (const file of this.config.files) {
      if (isAbsolute(file)) patterns.push({ root: '', pattern: file });
      else for (const root of this.roots()) patterns.push({ root, pattern: file.replace(/^\.\//, '') });
    }
    return patterns;
  }

  /** Returns the files loaded or expected now, for watchers that watch single files. */
  watchedFiles(): string[] {
    return [...this.sources.keys()].filter((path) => path !== BUILT_IN_ORIGIN);
  }

  status(): IntelStatus {
    const duplicates = new Map<string, LoadProblem[]>();
    for (const duplicate of this.store.duplicates) {
      const problem: LoadProblem = {
        file: duplicate.file,
        line: duplicate.first.line,
        value: duplicate.first.value,
        severity: 'warning',
        message: `${duplicate.count} indicator${duplicate.count === 1 ? ' is' : 's are'} also in ${duplicate.earlierFile} (first: ${duplicate.first.value}); each is loaded once.`,
      };
      duplicates.set(duplicate.file, [...(duplicates.get(duplicate.file) ?? []), problem]);
    }
    const sources = [...this.sources.values()].map((source): SourceStatus => ({
      path: source.path,
      name: source.name,
      state: source.state,
      format: source.format,
      bytes: source.bytes,
      indicators: source.sets.reduce((total, set) => total + set.indicators.length, 0),
      sets: source.sets.map(summarize),
      families: [...new Set(source.sets.map((set) => set.family))],
      problems: [...source.problems, ...(duplicates.get(source.name) ?? [])],
      durationMs: source.durationMs,
    }));
    return { sources, patterns: [...this.patterns], sets: this.store.sets.map(summarize), indicators: this.store.size, loading: this.pending.size > 0 };
  }

  /** Each source with the sets it loaded itself (not merged with other files), for the Indicators view. */
  treeSources(): TreeSource[] {
    const problems = new Map(this.status().sources.map((source) => [source.path, source.problems]));
    return [...this.sources.values()].map((source) => ({
      path: source.path,
      name: source.name,
      state: source.state,
      format: source.format,
      problems: problems.get(source.path) ?? source.problems,
      sets: source.sets,
    }));
  }

  private roots(): readonly string[] {
    return this.config.roots.length > 0 ? this.config.roots : [process.cwd()];
  }

  private displayName(path: string): string {
    for (const root of this.roots()) {
      const inside = relative(root, path);
      if (inside && !inside.startsWith('..') && !isAbsolute(inside)) return inside.split('\\').join('/');
    }
    return path;
  }

  /** Expands the settings into their files: path -> true when a setting names it literally (not as a glob). */
  private async expandPatterns(): Promise<Map<string, boolean>> {
    const wanted = new Map<string, boolean>();
    const patterns: PatternStatus[] = [];
    for (const { root, pattern } of this.watchPatterns()) {
      const absolute = root ? resolve(root, pattern) : pattern;
      if (!fg.isDynamicPattern(pattern)) {
        wanted.set(absolute, true);
        patterns.push({ pattern, root, matches: 1 });
        continue;
      }
      const found = await fg(fg.convertPathToPattern(root ? `${root}/` : '') + pattern.replace(/\\/g, '/'), { absolute: true, onlyFiles: true, dot: true, ignore: ['**/node_modules/**', '**/.git/**'] });
      for (const file of found.sort()) if (!wanted.has(resolve(file))) wanted.set(resolve(file), false);
      patterns.push({ pattern, root, matches: found.length });
    }
    this.patterns = patterns;
    return wanted;
  }

  private configureBuiltIn(): void {
    if (!this.config.includeBuiltIn) {
      this.sources.delete(BUILT_IN_ORIGIN);
      return;
    }
    if (this.sources.has(BUILT_IN_ORIGIN)) return;
    this.sources.set(BUILT_IN_ORIGIN, { path: BUILT_IN_ORIGIN, name: BUILT_IN_ORIGIN, state: 'loaded', sets: builtInSets(), problems: [], generation: 0, literal: true });
  }

  private load(path: string, literal: boolean): Promise<void> {
    const previous = this.sources.get(path);
    const source: Source = { path, name: this.displayName(path), state: 'loading', sets: previous?.sets ?? [], problems: [], generation: (previous?.generation ?? 0) + 1, literal };
    this.sources.set(path, source);
    const task = this.runLoad(source);
    this.pending.add(task);
    return task.finally(() => this.pending.delete(task));
  }

  private async runLoad(source: Source): Promise<void> {
    const started = performance.now();
    // A folder passes here, so that the loader can name the problem.
    const exists = await stat(source.path).then(
      () => true,
      () => false,
    );
    if (!this.isCurrent(source)) return;
    if (!exists) return await this.markMissing(source);

    this.logger.info(`Loading ${source.name}`);
    const loaded = await loadIntelFile(source.path, source.name);
    if (!this.isCurrent(source)) return;

    source.durationMs = Math.round(performance.now() - started);
    source.format = loaded.format;
    source.bytes = loaded.bytes;
    source.sets = loaded.sets;
    source.problems = loaded.problems;
    const count = loaded.sets.reduce((total, set) => total + set.indicators.length, 0);
    source.state = count === 0 && loaded.problems.some((problem) => problem.severity === 'error') ? 'failed' : 'loaded';
    if (count === 0 && source.state === 'loaded') source.problems.push({ file: source.name, severity: 'warning', message: 'No indicators found in this file.' });

    for (const problem of source.problems) (problem.severity === 'error' ? this.logger.error : this.logger.warn)(formatProblem(problem));
    this.logger.info(`Loaded ${source.name}: ${count} indicators in ${loaded.sets.length} sets (${loaded.sets.map(setName).join(', ') || 'none'}) in ${source.durationMs} ms`);
    await this.rebuild();
  }

  private async markMissing(source: Source): Promise<void> {
    const hadIndicators = source.sets.length > 0;
    if (!source.literal && !hadIndicators) {
      this.sources.delete(source.path);
      return this.rebuild();
    }
    source.state = 'missing';
    source.sets = [];
    const message = hadIndicators ? 'The file was deleted or moved; its indicators are unloaded until it is back.' : 'The file does not exist; check the path in kqlHunt.intel.files (or --intel on the command line).';
    source.problems = [{ file: source.name, severity: 'error', message }];
    this.logger.error(formatProblem(source.problems[0]));
    await this.rebuild();
  }

  private isCurrent(source: Source): boolean {
    return this.sources.get(source.path) === source;
  }

  /**
   * Merges every source's sets (built-in first, then the files in settings order) into a new
   * store. Only the newest of overlapping rebuilds is kept.
   */
  private rebuild(): Promise<void> {
    const task = this.runRebuild(++this.rebuilds);
    this.latestRebuild = task;
    return task;
  }

  private async runRebuild(rebuild: number): Promise<void> {
    const builtIn = this.sources.get(BUILT_IN_ORIGIN);
    const sets: IndicatorSet[] = [...(builtIn?.sets ?? [])];
    for (const source of this.sources.values()) if (source !== builtIn) sets.push(...source.sets);
    const store = await IntelStore.build(sets);
    // A newer rebuild started meanwhile: its store is the one to wait for.
    if (rebuild !== this.rebuilds) return this.latestRebuild;
    this.store = store;
    this.onDidChange(store);
  }
}
