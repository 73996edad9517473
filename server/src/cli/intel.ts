import { FORMAT_LABELS } from '../engine/intel/loaders/loadFile';
import { IntelManager, IntelStatus } from '../engine/intel/manager';
import { Logger } from '../engine/util/logger';
import { formatProblem } from '../engine/util/problems';

/** The intel options every command shares, as `util.parseArgs` declares them. */
export const INTEL_OPTIONS = {
  intel: { type: 'string', multiple: true },
  'no-builtin-intel': { type: 'boolean', default: false },
} as const;

export interface CliIntel {
  manager: IntelManager;
  /** True when a named file could not be read or loaded nothing. */
  failed: boolean;
}

/**
 * Loads the built-in set and the `--intel` files (paths or globs, relative to the working
 * folder), printing every problem to stderr as `file:line: severity: message` unless
 * `printProblems` is false (for `intel list`, whose listing shows them).
 */
export async function loadCliIntel(files: readonly string[] | undefined, noBuiltIn: boolean | undefined, logger: Logger, printProblems = true): Promise<CliIntel> {
  const manager = new IntelManager({ logger });
  await manager.configure({ files: files ?? [], includeBuiltIn: !noBuiltIn, roots: [process.cwd()] });
  const status = manager.status();
  if (printProblems) for (const source of status.sources) for (const problem of source.problems) process.stderr.write(`kql-hunt: ${formatProblem(problem)}\n`);
  for (const pattern of status.patterns) if (pattern.matches === 0) process.stderr.write(`kql-hunt: --intel ${pattern.pattern} matches no file.\n`);
  const failed = status.sources.some((source) => source.state === 'failed' || source.state === 'missing') || status.patterns.some((pattern) => pattern.matches === 0);
  return { manager, failed };
}

/** `intel list` as text: one paragraph per source with its sets and problems. */
export function formatIntelStatus(status: IntelStatus): string {
  const lines: string[] = [];
  for (const source of status.sources) {
    const format = source.format ? `, ${FORMAT_LABELS[source.format]}` : '';
    lines.push(`${source.name}: ${source.state}${format}, ${source.indicators} indicator${source.indicators === 1 ? '' : 's'}`);
    for (const set of source.sets) lines.push(`  ${set.name}: ${set.indicators}`);
    for (const problem of source.problems) lines.push(`  ${formatProblem(problem)}`);
  }
  lines.push(`${status.sets.length} set${status.sets.length === 1 ? '' : 's'}, ${status.indicators} indicator${status.indicators === 1 ? '' : 's'} loaded.`);
  return lines.join('\n');
}
