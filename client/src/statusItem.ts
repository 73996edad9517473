// The language status item of KQL documents: the environment of the block at the cursor, the
// loaded indicators, the time of the last analysis, and a warning when a file failed to load.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { BLOCK_INFO_REQUEST, BlockInfo, BlockInfoParams, ServerStatus, STATUS_REQUEST } from '../../server/src/protocol';
import { formatProblem } from '../../server/src/engine/util/problems';
import type { StatusItemState } from './api';
import { statusItemState } from './statusText';

/** Delay after the last cursor move before asking the server, so typing does not flood it. */
const CURSOR_DEBOUNCE_MS = 150;

const SEVERITY: Record<StatusItemState['severity'], vscode.LanguageStatusSeverity> = {
  information: vscode.LanguageStatusSeverity.Information,
  warning: vscode.LanguageStatusSeverity.Warning,
  error: vscode.LanguageStatusSeverity.Error,
};

/**
 * Keeps the item current: on each status the server pushes, on editor switches and (debounced)
 * on cursor moves. Load problems are written to the output channel once each, so the item's
 * link opens the channel at them.
 */
export class KqlStatusItem implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private readonly updated = new vscode.EventEmitter<StatusItemState>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly loggedProblems = new Set<string>();
  private status: ServerStatus | undefined;
  private block: BlockInfo | undefined;
  private state: StatusItemState = statusItemState(undefined, undefined);
  private cursorTimer: NodeJS.Timeout | undefined;
  private refreshes = 0;

  readonly onDidUpdate = this.updated.event;

  constructor(
    private readonly client: LanguageClient,
    selector: vscode.DocumentSelector,
    private readonly languageIds: readonly string[],
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.item = vscode.languages.createLanguageStatusItem('kqlHunt.status', selector);
    this.item.name = 'KQL Hunt';
    this.item.busy = true;
    this.render();
    this.disposables.push(
      this.item,
      this.updated,
      vscode.window.onDidChangeActiveTextEditor(() => void this.refreshBlock()),
      // The refresh reads the active editor when it runs, so a selection event that arrives before
      // the editor became the active one still counts.
      vscode.window.onDidChangeTextEditorSelection((event) => {
        if (this.languageIds.includes(event.textEditor.document.languageId)) this.scheduleRefresh();
      }),
    );
  }

  private scheduleRefresh(): void {
    clearTimeout(this.cursorTimer);
    this.cursorTimer = setTimeout(() => void this.refreshBlock(), CURSOR_DEBOUNCE_MS);
  }

  current(): StatusItemState {
    return this.state;
  }

  async requestStatus(): Promise<ServerStatus> {
    return this.client.sendRequest<ServerStatus>(STATUS_REQUEST);
  }

  requestBlockInfo(uri: vscode.Uri, position: vscode.Position): Promise<BlockInfo> {
    const params: BlockInfoParams = { uri: uri.toString(), position: { line: position.line, character: position.character } };
    return this.client.sendRequest<BlockInfo>(BLOCK_INFO_REQUEST, params);
  }

  /** Takes a status the server pushed or returned, then re-reads the block at the cursor. */
  async setStatus(status: ServerStatus): Promise<void> {
    this.status = status;
    this.item.busy = false;
    this.logProblems(status);
    await this.refreshBlock();
  }

  async refreshBlock(): Promise<void> {
    const refresh = ++this.refreshes;
    const editor = vscode.window.activeTextEditor;
    let block: BlockInfo | undefined;
    if (editor && this.languageIds.includes(editor.document.languageId) && this.client.isRunning()) {
      try {
        block = await this.requestBlockInfo(editor.document.uri, editor.selection.active);
      } catch (error) {
        this.output.debug(`Status: reading the block at the cursor failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    // A newer refresh started while this one waited, so the newer result wins.
    if (refresh !== this.refreshes) return;
    this.block = block;
    this.render();
  }

  dispose(): void {
    clearTimeout(this.cursorTimer);
    for (const disposable of this.disposables) disposable.dispose();
  }

  private render(): void {
    this.state = statusItemState(this.status, this.block);
    this.item.text = this.state.text;
    this.item.detail = this.state.detail;
    this.item.severity = SEVERITY[this.state.severity];
    this.item.command = { title: this.state.severity === 'warning' ? 'Show Problems' : 'Show Output', command: 'kqlHunt.showOutput' };
    this.item.accessibilityInformation = { label: `KQL Hunt: ${this.block?.label ?? 'no query at the cursor'}, ${this.state.detail ?? ''}` };
    this.updated.fire(this.state);
  }

  private logProblems(status: ServerStatus): void {
    for (const problem of status.loadProblems) {
      const line = formatProblem(problem);
      if (this.loggedProblems.has(line)) continue;
      this.loggedProblems.add(line);
      if (problem.severity === 'error') this.output.error(line);
      else this.output.warn(line);
    }
  }
}
