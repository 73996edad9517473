import { HuntEngine } from '../engine/engine';
import { Logger } from '../engine/util/logger';

/**
 * The editor's workspace trust, as the client reports it. Until the workspace is trusted, the
 * engine keeps to its built-in intel and catalog. Loaders of workspace files register with
 * `onDidGrant` to load those files once trust is granted.
 */
export class WorkspaceTrust {
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly engine: HuntEngine,
    private readonly logger: Logger,
  ) {}

  get trusted(): boolean {
    return this.engine.workspaceTrusted;
  }

  /** Takes the state from `initializationOptions`; a client that sends none is trusted, like the CLI. */
  initialize(trusted: unknown): void {
    this.engine.workspaceTrusted = trusted !== false;
    if (!this.engine.workspaceTrusted) this.logger.info('The workspace is not trusted: intel, schema and function files from the workspace are not loaded until it is.');
  }

  grant(): void {
    if (this.engine.workspaceTrusted) return;
    this.engine.workspaceTrusted = true;
    this.logger.info('The workspace is now trusted.');
    for (const listener of this.listeners) listener();
  }

  onDidGrant(listener: () => void): void {
    this.listeners.push(listener);
  }
}
