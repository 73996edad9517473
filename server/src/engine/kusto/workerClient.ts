import { Worker } from 'node:worker_threads';
import { Logger, silentLogger } from '../util/logger';
import { WorkerReply, WorkerRequest } from './types';

/** A request ran past the time limit; the worker was restarted. */
export class WorkerTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`Analysis did not finish within ${timeoutMs} ms.`);
  }
}

/** The worker could not be started or kept crashing. */
export class WorkerUnavailableError extends Error {}

/** A request that a newer one replaced before it reached the worker. */
export class RequestCancelledError extends Error {
  constructor() {
    super('Request cancelled.');
  }
}

export type Priority = 'interactive' | 'background';

export interface RequestOptions {
  priority?: Priority;
  /** Checked just before the request is sent; a cancelled request never runs. */
  isCancelled?: () => boolean;
}

interface Pending {
  id: number;
  request: WorkerRequest;
  priority: Priority;
  isCancelled?: () => boolean;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export interface KustoWorkerOptions {
  workerPath: string;
  timeoutMs: number;
  logger?: Logger;
  /** Consecutive failed starts before requests fail with WorkerUnavailableError. */
  maxFailedStarts?: number;
  /**
   * Serve interactive requests (completion, hover, signature help) on a second thread, so that
   * they do not queue behind background analysis. It starts at the first interactive request.
   */
  interactiveThread?: boolean;
}

/**
 * Runs Kusto.Language in worker threads: one for background analysis and, unless turned off,
 * one for interactive requests. A request that runs past the time limit stops only its own
 * thread. The schema goes to both threads.
 */
export class KustoWorker {
  private readonly background: WorkerThread;
  private interactive: WorkerThread | undefined;

  constructor(private readonly options: KustoWorkerOptions) {
    this.background = new WorkerThread(options, options.logger ?? silentLogger);
  }

  setTimeoutMs(timeoutMs: number): void {
    this.options.timeoutMs = timeoutMs;
  }

  request<T>(request: WorkerRequest, options: RequestOptions = {}): Promise<T> {
    if (request.method === 'setSchema') {
      // The interactive thread must resolve names against the same schema; its reply is the same.
      void this.interactive?.request(request, options).catch(() => undefined);
      return this.background.request<T>(request, options);
    }
    return this.laneFor(options.priority).request<T>(request, options);
  }

  /** Resolves once the analysis thread has loaded Kusto.Language and built its catalogs. */
  whenReady(): Promise<void> {
    return this.background.whenReady();
  }

  async dispose(): Promise<void> {
    await Promise.all([this.background.dispose(), this.interactive?.dispose()]);
  }

  private laneFor(priority: Priority | undefined): WorkerThread {
    if (priority !== 'interactive' || this.options.interactiveThread === false) return this.background;
    if (!this.interactive) {
      const logger = (this.options.logger ?? silentLogger).child('Interactive');
      this.interactive = new WorkerThread(this.options, logger, this.background.currentSchema());
    }
    return this.interactive;
  }
}

/**
 * One worker thread running Kusto.Language, one request at a time, so that a request that runs
 * past the time limit can be stopped by terminating the thread. Interactive requests go ahead
 * of queued background analysis.
 */
class WorkerThread {
  private worker: Worker | undefined;
  private ready = false;
  private queue: Pending[] = [];
  private inFlight: { pending: Pending; timer: NodeJS.Timeout } | undefined;
  private nextId = 1;
  private failedStarts = 0;
  private disposed = false;
  /** The last schema sent, sent again to every restarted worker. */
  private schemaRequest: WorkerRequest | undefined;
  private readyWaiters: (() => void)[] = [];

  constructor(
    private readonly options: KustoWorkerOptions,
    private readonly logger: Logger,
    schemaRequest?: WorkerRequest,
  ) {
    this.schemaRequest = schemaRequest;
  }

  /** Returns the last schema sent, for a thread started later. */
  currentSchema(): WorkerRequest | undefined {
    return this.schemaRequest;
  }

  request<T>(request: WorkerRequest, options: RequestOptions = {}): Promise<T> {
    if (this.disposed) return Promise.reject(new WorkerUnavailableError('The analysis worker has been shut down.'));
    if (request.method === 'setSchema') this.schemaRequest = request;

    return new Promise<T>((resolve, reject) => {
      const pending: Pending = {
        id: this.nextId++,
        request,
        priority: options.priority ?? 'background',
        isCancelled: options.isCancelled,
        resolve: resolve as (value: unknown) => void,
        reject,
      };
      if (pending.priority === 'interactive') {
        const firstBackground = this.queue.findIndex((queued) => queued.priority === 'background');
        this.queue.splice(firstBackground === -1 ? this.queue.length : firstBackground, 0, pending);
      } else {
        this.queue.push(pending);
      }
      this.pump();
    });
  }

  /** Resolves once a worker has loaded Kusto.Language and built its catalogs. */
  whenReady(): Promise<void> {
    if (this.ready) return Promise.resolve();
    this.ensureStarted();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const pending of this.queue.splice(0)) pending.reject(new WorkerUnavailableError('The analysis worker has been shut down.'));
    if (this.inFlight) {
      clearTimeout(this.inFlight.timer);
      this.inFlight.pending.reject(new WorkerUnavailableError('The analysis worker has been shut down.'));
      this.inFlight = undefined;
    }
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private ensureStarted(): void {
    if (this.worker || this.disposed) return;
    this.ready = false;
    const worker = new Worker(this.options.workerPath);
    this.worker = worker;
    worker.on('message', (message: WorkerReply | { ready: true }) => this.onMessage(worker, message));
    worker.on('error', (error) => this.logger.error(`worker error: ${error.message}`));
    worker.on('exit', (code) => this.onExit(worker, code));
  }

  private pump(): void {
    if (this.disposed || this.inFlight) return;
    this.ensureStarted();
    if (!this.ready || !this.worker) return;

    let next = this.queue.shift();
    while (next?.isCancelled?.()) {
      next.reject(new RequestCancelledError());
      next = this.queue.shift();
    }
    if (!next) return;

    const timer = setTimeout(() => this.onTimeout(), this.options.timeoutMs);
    this.inFlight = { pending: next, timer };
    this.worker.postMessage({ id: next.id, ...next.request });
  }

  private onMessage(worker: Worker, message: WorkerReply | { ready: true }): void {
    if (worker !== this.worker) return;
    if ('ready' in message) {
      this.ready = true;
      this.failedStarts = 0;
      this.logger.info('Kusto.Language worker ready');
      if (this.schemaRequest) this.worker.postMessage({ id: 0, ...this.schemaRequest });
      for (const waiter of this.readyWaiters.splice(0)) waiter();
      this.pump();
      return;
    }
    if (message.id === 0) return;

    const current = this.inFlight;
    if (!current || current.pending.id !== message.id) return;
    clearTimeout(current.timer);
    this.inFlight = undefined;
    if (message.ok) current.pending.resolve(message.result);
    else current.pending.reject(new Error(message.error));
    this.pump();
  }

  private onTimeout(): void {
    const current = this.inFlight;
    if (!current) return;
    this.inFlight = undefined;
    this.logger.warn(`request '${current.pending.request.method}' ran past ${this.options.timeoutMs} ms; restarting the worker`);
    current.pending.reject(new WorkerTimeoutError(this.options.timeoutMs));
    this.restart();
  }

  private restart(): void {
    const old = this.worker;
    this.worker = undefined;
    this.ready = false;
    if (old) void old.terminate();
    this.pump();
  }

  private onExit(worker: Worker, code: number): void {
    if (worker !== this.worker || this.disposed) return;
    this.worker = undefined;
    const wasReady = this.ready;
    this.ready = false;
    this.logger.error(`worker exited with code ${code}`);

    if (this.inFlight) {
      clearTimeout(this.inFlight.timer);
      this.inFlight.pending.reject(new Error(`The analysis worker stopped unexpectedly (exit code ${code}).`));
      this.inFlight = undefined;
    }
    if (!wasReady) this.failedStarts++;
    if (this.failedStarts >= (this.options.maxFailedStarts ?? 3)) {
      const error = new WorkerUnavailableError(`The analysis worker failed to start ${this.failedStarts} times; see the log for its errors.`);
      for (const pending of this.queue.splice(0)) pending.reject(error);
      this.failedStarts = 0;
      return;
    }
    this.pump();
  }
}
