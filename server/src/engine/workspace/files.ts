import fg from 'fast-glob';
import ignore, { Ignore } from 'ignore';
import { existsSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

// Finds the files that may contain KQL under the paths a user names, filtered as git filters
// them: files ignored by a .gitignore (in the folder or any folder above it, up to the
// repository root) are skipped, and so are files matching an --exclude pattern.

export const KQL_EXTENSIONS = ['kql', 'csl', 'kusto'];
export const YAML_EXTENSIONS = ['yaml', 'yml'];
export const MARKDOWN_EXTENSIONS = ['md', 'markdown'];
const ALL_EXTENSIONS = [...KQL_EXTENSIONS, ...YAML_EXTENSIONS, ...MARKDOWN_EXTENSIONS];

const ALWAYS_SKIPPED = ['**/node_modules/**', '**/.git/**'];

export interface FileSearch {
  /** Absolute paths of the files found, sorted, without duplicates. */
  files: string[];
  /** Paths that do not exist or cannot be read, with the reason. */
  missing: { path: string; reason: string }[];
}

export interface FileSearchOptions {
  /** The repository root: .gitignore files above it are not read, and --exclude patterns are relative to it. */
  root: string;
  /** gitignore-style patterns of files to skip, relative to `root`. */
  exclude?: readonly string[];
  /** File extensions to find, without the dot; all KQL, YAML and Markdown extensions by default. */
  extensions?: readonly string[];
}

/** Finds the nearest folder at or above `start` that contains `.git`, or returns the folder of `start` itself. */
export function repositoryRoot(start: string): string {
  const absolute = resolve(start);
  const first = existsSync(absolute) && !statSync(absolute).isDirectory() ? dirname(absolute) : absolute;
  let folder = first;
  for (;;) {
    if (existsSync(join(folder, '.git'))) return folder;
    const parent = dirname(folder);
    if (parent === folder) return first;
    folder = parent;
  }
}

/** Makes the path of `file` relative to `root`, with forward slashes, as gitignore patterns and SARIF expect. */
export function relativePath(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

/** The .gitignore rules of a folder tree, loaded once per folder. */
class GitIgnores {
  private readonly byFolder = new Map<string, Promise<Ignore | undefined>>();

  constructor(private readonly root: string) {}

  private rulesOf(folder: string): Promise<Ignore | undefined> {
    let rules = this.byFolder.get(folder);
    if (!rules) {
      rules = readFile(join(folder, '.gitignore'), 'utf8').then(
        (text) => ignore().add(text),
        () => undefined,
      );
      this.byFolder.set(folder, rules);
    }
    return rules;
  }

  /** Checks whether a .gitignore in the file's folder or any folder above it, up to the root, ignores it. */
  async ignores(file: string): Promise<boolean> {
    let folder = dirname(file);
    const folders: string[] = [];
    while (folder.startsWith(this.root)) {
      folders.push(folder);
      if (folder === this.root) break;
      folder = dirname(folder);
    }
    for (const candidate of folders) {
      const rules = await this.rulesOf(candidate);
      if (rules?.ignores(relativePath(candidate, file))) return true;
    }
    return false;
  }
}

/**
 * Expands files and folders into the files under them that may hold KQL. A file named directly
 * is always included; files found in folders are filtered by .gitignore and `exclude`.
 */
export async function findFiles(paths: readonly string[], options: FileSearchOptions): Promise<FileSearch> {
  const root = resolve(options.root);
  const extensions = options.extensions ?? ALL_EXTENSIONS;
  const excluded = ignore().add([...(options.exclude ?? [])]);
  const gitIgnores = new GitIgnores(root);
  const files = new Set<string>();
  const missing: FileSearch['missing'] = [];

  for (const path of paths) {
    const absolute = isAbsolute(path) ? path : resolve(path);
    let info;
    try {
      info = await stat(absolute);
    } catch (error) {
      missing.push({ path, reason: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (error as Error).message });
      continue;
    }
    if (info.isFile()) {
      files.add(absolute);
      continue;
    }
    const found = await fg(`**/*.{${extensions.join(',')}}`, { cwd: absolute, ignore: ALWAYS_SKIPPED, dot: false, absolute: true, followSymbolicLinks: false, caseSensitiveMatch: false });
    for (const file of found) {
      const inRoot = file.startsWith(root + sep);
      if (inRoot && excluded.ignores(relativePath(root, file))) continue;
      if (await gitIgnores.ignores(file)) continue;
      files.add(resolve(file));
    }
  }
  return { files: [...files].sort(), missing };
}

/** True when `path` has an extension of a file that may hold KQL (a .kql file, YAML, Markdown). */
export function isHuntFile(path: string): boolean {
  const extension = /\.([^./\\]+)$/.exec(path)?.[1]?.toLowerCase();
  return extension !== undefined && ALL_EXTENSIONS.includes(extension);
}

/**
 * True when a file under the workspace folder `folder` is one the workspace scan skips: inside
 * node_modules or .git, or ignored by a .gitignore between it and the folder. The .gitignore
 * files are read again on each call, so a changed .gitignore counts.
 */
export async function isIgnoredFile(file: string, folder: string): Promise<boolean> {
  const inside = relativePath(folder, file);
  if (inside.startsWith('..') || isAbsolute(inside)) return true;
  if (inside.split('/').some((part) => part === 'node_modules' || part === '.git')) return true;
  return new GitIgnores(resolve(folder)).ignores(resolve(file));
}

/**
 * Lists every file that may hold KQL in the workspace folders, filtered by the .gitignore files
 * in each folder and below it. Unlike the CLI, it reads no .gitignore above a workspace folder: a
 * folder the user opened is scanned even when an enclosing repository ignores it.
 */
export async function findWorkspaceFiles(folders: readonly string[]): Promise<string[]> {
  const files = new Set<string>();
  for (const folder of folders) {
    const search = await findFiles([folder], { root: resolve(folder) });
    for (const file of search.files) files.add(file);
  }
  return [...files].sort();
}
