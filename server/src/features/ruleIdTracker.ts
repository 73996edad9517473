import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FileChangeType, FileEvent } from 'vscode-languageserver/node';
import { isScalar } from 'yaml';
import { extractSentinelYaml, looksLikeSentinelRule } from '../engine/embedded/sentinelYaml';
import { EmbeddedSource } from '../engine/embedded/types';
import { RuleIdIndex } from '../engine/sentinel/ruleIds';
import { Logger } from '../engine/util/logger';
import { findFiles, YAML_EXTENSIONS } from '../engine/workspace/files';

/** Reads the `id` of a rule, when the source is a Sentinel rule that has one. */
export function ruleIdOf(source: EmbeddedSource): string | undefined {
  const node = source.rule?.root.get('id', true);
  return isScalar(node) && node.value !== null ? String(node.value) : undefined;
}

/**
 * Keeps the engine's rule id index in step with the workspace. It reads the YAML files on disk
 * when the server starts and when the client reports a change. The text of an open document
 * wins over its file on disk until the document is closed.
 */
export class RuleIdTracker {
  private readonly open = new Set<string>();

  constructor(
    private readonly index: RuleIdIndex,
    private readonly logger: Logger,
  ) {}

  /** Indexes every Sentinel rule under the workspace folders, respecting .gitignore. */
  async scanFolders(folderUris: readonly string[]): Promise<void> {
    for (const folderUri of folderUris) {
      if (!folderUri.startsWith('file:')) continue;
      const folder = fileURLToPath(folderUri);
      const started = performance.now();
      const { files } = await findFiles([folder], { root: folder, extensions: YAML_EXTENSIONS });
      for (const file of files) await this.readFromDisk(pathToFileURL(file).href);
      this.logger.info(`Indexed the rule ids of ${files.length} YAML files under ${folder} in ${Math.round(performance.now() - started)} ms`);
    }
  }

  /** Records the id of an open document; returns true when the index changed. */
  updateOpen(uri: string, source: EmbeddedSource): boolean {
    this.open.add(uri);
    return this.index.set(uri, ruleIdOf(source));
  }

  /** Forgets an open document and reads its file again; returns true when the index changed. */
  async close(uri: string): Promise<boolean> {
    this.open.delete(uri);
    return this.readFromDisk(uri);
  }

  /** Applies file events from the client's watcher; returns true when the index changed. */
  async applyFileEvents(events: readonly FileEvent[]): Promise<boolean> {
    let changed = false;
    for (const event of events) {
      if (this.open.has(event.uri)) continue;
      if (event.type === FileChangeType.Deleted) {
        changed = this.index.set(event.uri, undefined) || changed;
        continue;
      }
      changed = (await this.readFromDisk(event.uri)) || changed;
    }
    return changed;
  }

  /** Reads a YAML file and records its rule id; returns true when the index changed. */
  private async readFromDisk(uri: string): Promise<boolean> {
    if (this.open.has(uri)) return false;
    if (!uri.startsWith('file:')) return this.index.set(uri, undefined);
    let text: string;
    try {
      text = await readFile(fileURLToPath(uri), 'utf8');
    } catch (error) {
      this.logger.debug(`Reading ${uri} for its rule id failed: ${(error as Error).message}`);
      return this.index.set(uri, undefined);
    }
    const id = looksLikeSentinelRule(text) ? ruleIdOf(extractSentinelYaml(text)) : undefined;
    return this.index.set(uri, id);
  }
}
