import { splitLines } from './blocks';

// Suppression comments, for any rule id or Kusto code:
//   // kql-hunt-disable-next-line missing-exclusion/tar-backup, KS142
//   // kql-hunt-disable missing-exclusion        (rest of the block; a prefix covers its family)
// Without ids, the comment suppresses every finding.

const KQL_COMMENT = /\/\/\s*kql-hunt-(disable-next-line|disable)\b(.*)$/;

/** The same comments in YAML (`# kql-hunt-disable ...`), for findings on a rule's metadata. */
const YAML_COMMENT = /^\s*#\s*kql-hunt-(disable-next-line|disable)\b(.*)$/;

export interface Suppressions {
  /** Whether a finding with `code` on the block's 0-based `line` is suppressed. */
  isSuppressed(code: string, line: number): boolean;
}

function matchesCode(ids: string[], code: string): boolean {
  return ids.length === 0 || ids.some((id) => code === id || code.startsWith(`${id}/`));
}

export function parseSuppressions(blockText: string, language: 'kql' | 'yaml' = 'kql'): Suppressions {
  const comment = language === 'kql' ? KQL_COMMENT : YAML_COMMENT;
  const nextLine = new Map<number, string[]>();
  const fromLine: { line: number; ids: string[] }[] = [];

  splitLines(blockText).forEach((line, index) => {
    const match = comment.exec(line.text);
    if (!match) return;
    const ids = match[2].split(/[\s,]+/).filter(Boolean);
    if (match[1] === 'disable-next-line') nextLine.set(index + 1, ids);
    else fromLine.push({ line: index, ids });
  });

  return {
    isSuppressed(code: string, line: number): boolean {
      const ids = nextLine.get(line);
      if (ids && matchesCode(ids, code)) return true;
      return fromLine.some((entry) => entry.line <= line && matchesCode(entry.ids, code));
    },
  };
}
