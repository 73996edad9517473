// A progress line for long CLI runs, on standard error and only when it is a terminal: redirected
// or piped output (CI logs, `--format json > file`) stays free of it.

/** Minimum time between two redraws of the line, so a fast run does not flood the terminal. */
const REDRAW_MS = 100;

export interface Progress {
  /** Shows `done` of `total` items, with the item being worked on. */
  update(done: number, total: number, item?: string): void;
  /** Clears the line. */
  finish(): void;
}

const SILENT: Progress = { update: () => undefined, finish: () => undefined };

/** A progress line labelled `label` ("Analysing"), or one that writes nothing when `stream` is not a terminal. */
export function createProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return SILENT;
  let last = 0;
  let shown = false;
  return {
    update(done, total, item) {
      const now = Date.now();
      if (now - last < REDRAW_MS && done < total) return;
      last = now;
      shown = true;
      const width = Math.max(20, (stream.columns ?? 80) - 1);
      const line = `kql-hunt: ${label} ${done}/${total}${item ? ` ${item}` : ''}`;
      stream.write(`\r${line.slice(0, width).padEnd(width)}`);
    },
    finish() {
      if (shown) stream.write(`\r${' '.repeat(Math.max(20, (stream.columns ?? 80) - 1))}\r`);
      shown = false;
    },
  };
}
