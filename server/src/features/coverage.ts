import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Connection, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { computeCoverage, CoverageInput, CoverageMatrix } from '../engine/coverage/coverage';
import { containerKind } from '../engine/embedded/sources';
import { HuntEngine } from '../engine/engine';
import { Logger } from '../engine/util/logger';
import { findWorkspaceFiles, relativePath } from '../engine/workspace/files';
import { WindowProgress } from './progress';
import { SettingsStore } from './settingsStore';

// `kqlHunt/coverage`: reads every hunt file of the workspace folders (open documents as the
// editor holds them), analyses them and returns the coverage matrix the engine computes from
// them, the same matrix `kql-hunt coverage` prints.

/** Files larger than this are left out; they are generated exports, not hand-written hunts. */
const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Building the coverage shows progress only when it takes longer than this. */
const PROGRESS_DELAY_MS = 300;

function languageOf(path: string): string {
  const kind = containerKind(path);
  return kind === 'kql' ? 'kql' : kind;
}

export class CoverageService {
  private folders: string[] = [];

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly engine: HuntEngine,
    private readonly settings: SettingsStore,
    private readonly logger: Logger,
  ) {}

  setFolders(paths: readonly string[]): void {
    this.folders = [...paths];
  }

  async build(): Promise<CoverageMatrix> {
    const started = performance.now();
    const files = await findWorkspaceFiles(this.folders);
    let cancelled = false;
    const progress = new WindowProgress(this.connection, { title: 'KQL Hunt: building the coverage', cancellable: true, onCancel: () => (cancelled = true), delayMs: PROGRESS_DELAY_MS }, this.logger);
    const inputs: CoverageInput[] = [];
    try {
      for (const [index, path] of files.entries()) {
        if (cancelled) throw new Error(`Building the coverage was cancelled after ${index} of ${files.length} files.`);
        const input = await this.analyse(path);
        if (input) inputs.push(input);
        progress.report(index + 1, files.length, `${index + 1}/${files.length} files`);
      }
    } finally {
      progress.done();
    }
    const global = await this.settings.get('');
    const matrix = computeCoverage(inputs, { catalog: this.engine.catalog, intel: this.engine.intel, settings: global, now: this.engine.now() });
    this.logger.info(`Coverage built from ${files.length} files (${matrix.hunts} hunts) in ${Math.round(performance.now() - started)} ms`);
    return matrix;
  }

  private displayName(path: string): string {
    const folder = this.folders.find((candidate) => !relativePath(candidate, path).startsWith('..'));
    const name = folder ? relativePath(folder, path) : path;
    return this.folders.length > 1 && folder ? `${folder.split(/[\\/]/).pop()}/${name}` : name;
  }

  /** Analyses one file: the open document's text when it is open, the file on disk otherwise. */
  private async analyse(path: string): Promise<CoverageInput | undefined> {
    const uri = pathToFileURL(path).href;
    const folder = this.folders.find((candidate) => !relativePath(candidate, path).startsWith('..'));
    const settings = await this.settings.get(folder ? pathToFileURL(folder).href : uri);
    let document = this.documents.get(uri);
    if (!document) {
      try {
        if ((await stat(path)).size > MAX_FILE_BYTES) return undefined;
        document = TextDocument.create(uri, languageOf(path), 0, await readFile(path, 'utf8'));
      } catch (error) {
        this.logger.warn(`Coverage left out ${path}: ${(error as Error).message}`);
        return undefined;
      }
    }
    const analysis = await this.engine.analyzeDocument(document, settings);
    return { file: this.displayName(fileURLToPath(uri)), uri, document, analysis };
  }
}
