import { Connection } from 'vscode-languageserver/node';
import { Logger } from '../engine/util/logger';
import { resolveSettings, Settings } from '../engine/settings';

/**
 * Settings per document, read from the client with `workspace/configuration` (scoped to the
 * document, so multi-root folders can differ) and cached until the client reports a change.
 */
export class SettingsStore {
  private readonly cache = new Map<string, Promise<Settings>>();
  private readonly reported = new Set<string>();
  private fallback: Settings = resolveSettings(undefined);

  constructor(
    private readonly connection: Connection,
    private readonly supportsConfiguration: () => boolean,
    private readonly logger: Logger,
  ) {}

  /** Settings sent without a scope (initializationOptions or a push-style change). */
  setFallback(section: unknown): void {
    this.fallback = this.resolve(section);
  }

  get(uri: string): Promise<Settings> {
    if (!this.supportsConfiguration()) return Promise.resolve(this.fallback);
    const cached = this.cache.get(uri);
    if (cached) return cached;
    const settings = this.connection.workspace
      .getConfiguration({ scopeUri: uri, section: 'kqlHunt' })
      .then((section: unknown) => this.resolve(section))
      .catch((error: Error) => {
        this.logger.warn(`Reading settings for ${uri} failed (${error.message}); using defaults.`);
        return this.fallback;
      });
    this.cache.set(uri, settings);
    return settings;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  clear(): void {
    this.cache.clear();
  }

  private resolve(section: unknown): Settings {
    const problems: string[] = [];
    const settings = resolveSettings(section, problems);
    for (const problem of problems) {
      if (this.reported.has(problem)) continue;
      this.reported.add(problem);
      this.logger.warn(problem);
    }
    return settings;
  }
}
