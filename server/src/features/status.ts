import { Connection, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { blockEnvironment } from '../engine/blockInfo';
import { HuntEngine } from '../engine/engine';
import { intelSummary } from '../engine/status';
import { BlockInfo, BlockInfoParams, ServerStatus, STATUS_CHANGED_NOTIFICATION } from '../protocol';
import { SettingsStore } from './settingsStore';

/**
 * Serves the client's status item: the environment of the block at the cursor, and what is
 * loaded with the time of the last analysis. Pushes a new status whenever it changes, so the
 * client never polls.
 */
export class StatusService {
  private lastAnalysis: { at: Date; milliseconds: number } | undefined;
  private lastSent = '';

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly engine: HuntEngine,
    private readonly settings: SettingsStore,
  ) {}

  status(): ServerStatus {
    return {
      ...intelSummary(this.engine),
      lastAnalysis: this.lastAnalysis?.at.toISOString() ?? null,
      lastAnalysisMs: this.lastAnalysis ? Math.round(this.lastAnalysis.milliseconds) : null,
    };
  }

  async blockInfo(params: BlockInfoParams): Promise<BlockInfo> {
    const document = this.documents.get(params.uri);
    if (!document) return { environment: null, label: null, reason: `the document ${params.uri} is not open`, lines: null };
    return blockEnvironment(this.engine, document, params.position, await this.settings.get(document.uri));
  }

  /** Records a finished analysis; called by the diagnostics publisher. */
  analysed(milliseconds: number): void {
    this.lastAnalysis = { at: new Date(), milliseconds };
    this.publish();
  }

  /** Sends the status to the client unless it equals the last one sent. */
  publish(): void {
    const status = this.status();
    const key = JSON.stringify(status);
    if (key === this.lastSent) return;
    this.lastSent = key;
    void this.connection.sendNotification(STATUS_CHANGED_NOTIFICATION, status);
  }
}
