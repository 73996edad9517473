import fg from 'fast-glob';
import { stat } from 'node:fs/promises';
import { relative } from 'node:path';

export const KQL_EXTENSIONS = ['kql', 'csl', 'kusto'];

export interface FileList {
  files: string[];
  /** Paths that do not exist or cannot be read, with the reason. */
  missing: { path: string; reason: string }[];
}

/** Expands files and folders into the query files under them, sorted, without duplicates. */
export async function findQueryFiles(paths: readonly string[]): Promise<FileList> {
  const files = new Set<string>();
  const missing: FileList['missing'] = [];
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      missing.push({ path, reason: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (error as Error).message });
      continue;
    }
    if (info.isFile()) {
      files.add(path);
      continue;
    }
    const found = await fg(`**/*.{${KQL_EXTENSIONS.join(',')}}`, { cwd: path, ignore: ['**/node_modules/**', '**/.git/**'], dot: false, absolute: true });
    for (const file of found) files.add(relative(process.cwd(), file) || file);
  }
  return { files: [...files].sort(), missing };
}
