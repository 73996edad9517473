// The coverage view: a webview panel with the matrix the server computes (`kqlHunt/coverage`).
// It opens a hunt of a cell at its line, and inserts a hunt into a file the user picks for an
// empty cell.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CommandResult, COVERAGE_REQUEST, CoverageMatrix } from '../../server/src/protocol';
import { coverageHtml } from './coverageHtml';

type PanelMessage = { type: 'ready' } | { type: 'refresh' } | { type: 'open'; uri?: string; line: number } | { type: 'insert'; set: string; table: string };

const NEW_FILE = 'New untitled KQL file';

export class CoveragePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private matrix: CoverageMatrix | undefined;
  private html: string | undefined;
  private readonly rendered = new vscode.EventEmitter<CoverageMatrix>();

  /** Fires after the webview has loaded a new matrix. */
  readonly onDidRender = this.rendered.event;

  constructor(private readonly client: LanguageClient) {}

  /** Returns the matrix the panel shows and its HTML, or undefined before the first render. */
  current(): { matrix: CoverageMatrix; html: string } | undefined {
    return this.matrix && this.html ? { matrix: this.matrix, html: this.html } : undefined;
  }

  /** Opens the panel (or brings it forward) and fills it with a freshly computed matrix. */
  async show(): Promise<CoverageMatrix> {
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('kqlHunt.coverage', 'KQL Hunt: Coverage', vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [] });
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((message: PanelMessage) => void this.onMessage(message));
    } else {
      this.panel.reveal();
    }
    return this.refresh();
  }

  async refresh(): Promise<CoverageMatrix> {
    const matrix = await this.client.sendRequest<CoverageMatrix>(COVERAGE_REQUEST);
    this.matrix = matrix;
    this.html = coverageHtml(matrix, randomBytes(16).toString('base64'));
    if (this.panel) this.panel.webview.html = this.html;
    return matrix;
  }

  /**
   * Inserts a hunt for `set` over `table` at the end of a file: `uri` when given, else one the
   * user picks among the workspace's .kql files (or a new untitled one). Refreshes the matrix.
   */
  async insertHere(set: string, table: string, uri?: vscode.Uri): Promise<CommandResult> {
    const target = uri ?? (await this.pickFile(set, table));
    if (target === undefined) return { applied: false, message: 'Cancelled.' };
    const document = target === 'new' ? await vscode.workspace.openTextDocument({ language: 'kql', content: '' }) : await vscode.workspace.openTextDocument(target);
    const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.Beside);
    const end = document.lineAt(document.lineCount - 1).range.end;
    editor.selection = new vscode.Selection(end, end);
    // The language client sends the edit to the server from its own change listener, which was
    // registered before this one: once this one has seen the change, the server has it too.
    let subscription: vscode.Disposable | undefined;
    const changed = new Promise<void>((resolve) => {
      subscription = vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document === document) resolve();
      });
    });
    try {
      const result = await vscode.commands.executeCommand<CommandResult>('kqlHunt.insertHunt', { set, table, withExclusions: true });
      if (!result?.applied) return result ?? { applied: false, message: 'Insert Hunt did not run.' };
      await changed;
      await this.refresh();
      return result;
    } finally {
      subscription?.dispose();
    }
  }

  dispose(): void {
    this.panel?.dispose();
    this.rendered.dispose();
  }

  private async pickFile(set: string, table: string): Promise<vscode.Uri | 'new' | undefined> {
    const files = await vscode.workspace.findFiles('**/*.{kql,csl,kusto}', '**/node_modules/**', 500);
    const items = [
      { label: NEW_FILE, uri: undefined as vscode.Uri | undefined },
      ...files.sort((a, b) => a.fsPath.localeCompare(b.fsPath)).map((file) => ({ label: vscode.workspace.asRelativePath(file), uri: file as vscode.Uri | undefined })),
    ];
    const picked = await vscode.window.showQuickPick(items, { title: `KQL Hunt: Insert a ${set} hunt over ${table}`, placeHolder: 'File to add the hunt to' });
    if (!picked) return undefined;
    return picked.uri ?? 'new';
  }

  private async onMessage(message: PanelMessage): Promise<void> {
    if (message.type === 'ready') {
      if (this.matrix) this.rendered.fire(this.matrix);
      return;
    }
    if (message.type === 'refresh') {
      await this.refresh();
      return;
    }
    if (message.type === 'insert') {
      await this.insertHere(message.set, message.table);
      return;
    }
    if (!message.uri) return;
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(message.uri));
    const line = Math.max(0, Math.min(message.line - 1, document.lineCount - 1));
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, selection: document.lineAt(line).range });
  }
}
