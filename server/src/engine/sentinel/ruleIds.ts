/**
 * The `id` of every Sentinel rule file in a workspace, so that a rule can be checked for an id
 * another file already uses. Keys are lower-case, because GUIDs compare without case.
 */
export class RuleIdIndex {
  private readonly idsByFile = new Map<string, string>();
  private readonly filesById = new Map<string, Set<string>>();

  /** Records the id of `file` (a URI or path), replacing what was recorded for it before. */
  set(file: string, id: string | undefined): boolean {
    const key = id?.trim().toLowerCase();
    const previous = this.idsByFile.get(file);
    if (previous === key) return false;
    this.delete(file);
    if (!key) return true;
    this.idsByFile.set(file, key);
    let files = this.filesById.get(key);
    if (!files) this.filesById.set(key, (files = new Set()));
    files.add(file);
    return true;
  }

  delete(file: string): void {
    const previous = this.idsByFile.get(file);
    if (previous === undefined) return;
    this.idsByFile.delete(file);
    const files = this.filesById.get(previous);
    files?.delete(file);
    if (files?.size === 0) this.filesById.delete(previous);
  }

  /** The other files that use `id`, sorted. */
  othersWith(id: string, file: string): string[] {
    const files = this.filesById.get(id.trim().toLowerCase());
    return files ? [...files].filter((other) => other !== file).sort() : [];
  }

  get size(): number {
    return this.idsByFile.size;
  }
}
