import fg from 'fast-glob';
import ignore, { Ignore } from 'ignore';
import { readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { WorkspaceFolder, WorkspaceSymbol } from 'vscode-languageserver-types';
import { KQL_EXTENSIONS } from '../engine/workspace/files';
import { huntWorkspaceSymbols, matchesQuery } from '../engine/editing/symbols';
import { HuntEngine } from '../engine/engine';
import { Logger } from '../engine/util/logger';
import { SettingsStore } from './settingsStore';

// Workspace symbols: the hunts of every query file in the workspace folders, found by name.
// Files that are open use the editor's text; the others are read from disk and re-read only
// when their modification time or size changes.

/** Maximum number of symbols returned for one query; editors show a short list anyway. */
const MAX_RESULTS = 1000;

/** Maximum size in bytes of a file read for symbols; larger files are likely generated exports, not hand-written hunts. */
const MAX_FILE_BYTES = 10 * 1024 * 1024;

interface CachedFile {
  mtimeMs: number;
  size: number;
  symbols: WorkspaceSymbol[];
}

export class WorkspaceHunts {
  private folders: string[] = [];
  private readonly files = new Map<string, CachedFile>();
  private readonly reported = new Set<string>();

  constructor(
    private readonly engine: HuntEngine,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly settings: SettingsStore,
    private readonly logger: Logger,
  ) {}

  /** Takes the folders of `initialize`: `workspaceFolders`, or else the single `rootUri`. */
  setFolders(folders: WorkspaceFolder[] | null | undefined, rootUri: string | null | undefined): void {
    const uris = folders?.map((folder) => folder.uri) ?? (rootUri ? [rootUri] : []);
    this.folders = uris.filter((uri) => uri.startsWith('file:')).map((uri) => fileURLToPath(uri));
    this.files.clear();
  }

  changeFolders(added: WorkspaceFolder[], removed: WorkspaceFolder[]): void {
    const removedPaths = new Set(removed.filter((folder) => folder.uri.startsWith('file:')).map((folder) => fileURLToPath(folder.uri)));
    this.folders = this.folders.filter((folder) => !removedPaths.has(folder));
    for (const folder of added) if (folder.uri.startsWith('file:')) this.folders.push(fileURLToPath(folder.uri));
    this.files.clear();
  }

  async symbols(query: string): Promise<WorkspaceSymbol[]> {
    const results: WorkspaceSymbol[] = [];
    const seen = new Set<string>();
    for (const folder of this.folders) {
      for (const path of await this.queryFiles(folder)) {
        const uri = pathToFileURL(path).toString();
        seen.add(uri);
        const symbols = await this.fileSymbols(uri, path, relative(folder, path), pathToFileURL(folder).toString());
        results.push(...symbols.filter((symbol) => matchesQuery(symbol.name, query)));
        if (results.length >= MAX_RESULTS) return results.slice(0, MAX_RESULTS);
      }
    }
    // Open documents outside the folders (or not yet saved) count too.
    for (const document of this.documents.all()) {
      if (seen.has(document.uri)) continue;
      const settings = await this.settings.get(document.uri);
      const symbols = await huntWorkspaceSymbols(this.engine, document, document.uri, settings);
      results.push(...symbols.filter((symbol) => matchesQuery(symbol.name, query)));
    }
    return results.slice(0, MAX_RESULTS);
  }

  private async queryFiles(folder: string): Promise<string[]> {
    let found: string[];
    try {
      found = await fg(`**/*.{${KQL_EXTENSIONS.join(',')}}`, { cwd: folder, ignore: ['**/node_modules/**', '**/.git/**'], dot: false });
    } catch (error) {
      this.reportOnce(folder, `Listing the query files of ${folder} for workspace symbols failed: ${(error as Error).message}`);
      return [];
    }
    const ignored = await this.gitignore(folder);
    return found.filter((path) => !ignored.ignores(path)).sort().map((path) => join(folder, path));
  }

  // NOTE: only the folder's top-level .gitignore is read; nested .gitignore files are not.
  private async gitignore(folder: string): Promise<Ignore> {
    const rules = ignore();
    try {
      rules.add(await readFile(join(folder, '.gitignore'), 'utf8'));
    } catch {
      // A folder without a .gitignore ignores nothing.
    }
    return rules;
  }

  /** Reads the symbols of one file; a closed file uses its folder's settings, to avoid a settings request per file. */
  private async fileSymbols(uri: string, path: string, container: string, folderUri: string): Promise<WorkspaceSymbol[]> {
    const open = this.documents.get(uri);
    if (open) return huntWorkspaceSymbols(this.engine, open, container, await this.settings.get(uri));
    const settings = await this.settings.get(folderUri);

    try {
      const info = await stat(path);
      const cached = this.files.get(path);
      if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached.symbols;
      if (info.size > MAX_FILE_BYTES) {
        this.reportOnce(path, `Skipped ${path} for workspace symbols: it has ${info.size} bytes, more than ${MAX_FILE_BYTES}.`);
        return [];
      }
      const document = TextDocument.create(uri, 'kql', 0, await readFile(path, 'utf8'));
      const symbols = await huntWorkspaceSymbols(this.engine, document, container, settings);
      this.files.set(path, { mtimeMs: info.mtimeMs, size: info.size, symbols });
      return symbols;
    } catch (error) {
      this.reportOnce(path, `Reading ${path} for workspace symbols failed: ${(error as Error).message}`);
      return [];
    }
  }

  private reportOnce(path: string, message: string): void {
    if (this.reported.has(path)) return;
    this.reported.add(path);
    this.logger.warn(message);
  }
}
