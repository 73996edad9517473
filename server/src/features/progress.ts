import { Connection, WorkDoneProgressServerReporter } from 'vscode-languageserver/node';
import { Logger } from '../engine/util/logger';

// Work-done progress the client shows in the window (VS Code: the status bar, with a cancel
// button when the work is cancellable). Work that ends within `delayMs` shows nothing, so quick
// reloads do not flicker.

/** Minimum time between two progress reports sent to the client. */
const REPORT_INTERVAL_MS = 100;

export interface ProgressOptions {
  title: string;
  cancellable?: boolean;
  /** Called once when the user cancels from the client. */
  onCancel?: () => void;
  /** Shown only when the work is still running after this long; 0 shows it at once. */
  delayMs?: number;
}

export class WindowProgress {
  private reporter: WorkDoneProgressServerReporter | undefined;
  private timer: NodeJS.Timeout | undefined;
  private finished = false;
  private percentage = 0;
  private message = '';
  private lastReport = 0;

  constructor(
    private readonly connection: Connection,
    private readonly options: ProgressOptions,
    private readonly logger: Logger,
  ) {
    const delay = options.delayMs ?? 0;
    if (delay === 0) void this.start();
    else this.timer = setTimeout(() => void this.start(), delay);
  }

  /** Reports `done` of `total` steps with a message such as "12/300 files". */
  report(done: number, total: number, message: string): void {
    this.percentage = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 0;
    this.message = message;
    const now = performance.now();
    if (!this.reporter || now - this.lastReport < REPORT_INTERVAL_MS) return;
    this.lastReport = now;
    this.reporter.report(this.percentage, message);
  }

  done(): void {
    this.finished = true;
    clearTimeout(this.timer);
    this.reporter?.done();
    this.reporter = undefined;
  }

  private async start(): Promise<void> {
    let reporter: WorkDoneProgressServerReporter;
    try {
      reporter = await this.connection.window.createWorkDoneProgress();
    } catch (error) {
      this.logger.debug(`The client did not accept a progress indicator for '${this.options.title}': ${(error as Error).message}`);
      return;
    }
    if (this.finished) {
      reporter.done();
      return;
    }
    this.reporter = reporter;
    reporter.begin(this.options.title, this.percentage, this.message, this.options.cancellable === true);
    if (this.options.onCancel) {
      const onCancel = this.options.onCancel;
      reporter.token.onCancellationRequested(() => onCancel());
    }
  }
}
