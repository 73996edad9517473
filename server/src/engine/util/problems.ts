/**
 * A problem found while loading a user-provided file (intel feed, schema, settings value).
 * Loaders collect these instead of throwing, so one bad row or file never stops the rest.
 */
export interface LoadProblem {
  /** Path of the file, as the user configured it (or a setting name for setting values). */
  file: string;
  /** 1-based line, when the problem sits on one line. */
  line?: number;
  /** The offending value, quoted in the message. */
  value?: string;
  /** The user function the problem is in, so that hunts calling it can point at it. */
  functionName?: string;
  severity: 'error' | 'warning';
  message: string;
}

/** Formats a problem the way compilers do: `file:line: message`. */
export function formatProblem(problem: LoadProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  return `${where}: ${problem.severity}: ${problem.message}`;
}
