// The Indicators view in the explorer: every indicator source with its state and problems, its
// families, and their indicators a page at a time. The server builds the rows
// (`kqlHunt/intelTree`); this provider shows them and runs the row actions.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { defang } from '../../server/src/engine/intel/defang';
import { INTEL_INDICATORS_REQUEST, INTEL_TREE_REQUEST, IntelIndicators, IntelIndicatorsParams, IntelTreeNode, IntelTreeParams, MoreNode } from '../../server/src/protocol';

export const INDICATORS_VIEW = 'kqlHunt.indicators';

const STATE_ICONS: Record<string, [icon: string, color?: string]> = {
  loaded: ['database'],
  loading: ['loading~spin'],
  failed: ['error', 'errorForeground'],
  missing: ['warning', 'editorWarning.foreground'],
};

function iconOf(node: IntelTreeNode): vscode.ThemeIcon {
  switch (node.kind) {
    case 'source': {
      const [icon, color] = STATE_ICONS[node.state] ?? ['database'];
      return new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    }
    case 'problem':
      return new vscode.ThemeIcon(node.severity === 'error' ? 'error' : 'warning', new vscode.ThemeColor(node.severity === 'error' ? 'errorForeground' : 'editorWarning.foreground'));
    case 'family':
      return new vscode.ThemeIcon('bug');
    case 'indicator':
      if (node.type.endsWith('hash')) return new vscode.ThemeIcon('file-binary');
      if (node.type === 'domain' || node.type === 'url') return new vscode.ThemeIcon('globe');
      return new vscode.ThemeIcon('plug');
    case 'more':
      return new vscode.ThemeIcon('ellipsis');
  }
}

/** Returns the context value the menus match: the row's kind, and `.file` when the row can be revealed in a file. */
function contextOf(node: IntelTreeNode): string {
  return `${node.kind}${node.file ? '.file' : ''}`;
}

export class IndicatorsTree implements vscode.TreeDataProvider<IntelTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<IntelTreeNode | undefined>();
  /** Pages loaded through "N more" rows, per parent id, after the first page. */
  private readonly pages = new Map<string, IntelTreeNode[][]>();
  /** The parent of each row shown so far, for `reveal`. */
  private readonly parents = new Map<string, IntelTreeNode | undefined>();

  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly client: LanguageClient) {}

  refresh(): void {
    this.pages.clear();
    this.parents.clear();
    this.changed.fire(undefined);
  }

  getTreeItem(node: IntelTreeNode): vscode.TreeItem {
    const expandable = node.kind === 'source' || node.kind === 'family';
    const item = new vscode.TreeItem(node.label, expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip ? new vscode.MarkdownString(node.tooltip) : undefined;
    item.contextValue = contextOf(node);
    item.iconPath = iconOf(node);
    if (node.kind === 'more') item.command = { command: 'kqlHunt.indicators.loadMore', title: 'Show more', arguments: [node] };
    else if ((node.kind === 'indicator' || node.kind === 'problem') && node.file) item.command = { command: 'kqlHunt.indicators.reveal', title: 'Reveal in File', arguments: [node] };
    item.accessibilityInformation = { label: [node.label, node.description].filter(Boolean).join(', ') };
    return item;
  }

  async getChildren(node?: IntelTreeNode): Promise<IntelTreeNode[]> {
    if (!this.client.isRunning()) return [];
    const params: IntelTreeParams = { parent: node?.id };
    const first = await this.client.sendRequest<IntelTreeNode[]>(INTEL_TREE_REQUEST, params);
    const pages = [first, ...(node ? (this.pages.get(node.id) ?? []) : [])];
    // Only the last page keeps its "N more" row.
    const children = pages.flatMap((page, index) => (index < pages.length - 1 ? page.filter((child) => child.kind !== 'more') : page));
    for (const child of children) this.parents.set(child.id, node);
    return children;
  }

  getParent(node: IntelTreeNode): IntelTreeNode | undefined {
    return this.parents.get(node.id);
  }

  /** Loads the page a "N more" row stands for and shows it under the same family. */
  async loadMore(node: MoreNode): Promise<void> {
    const page = await this.client.sendRequest<IntelTreeNode[]>(INTEL_TREE_REQUEST, { parent: node.parent, offset: node.offset } satisfies IntelTreeParams);
    this.pages.set(node.parent, [...(this.pages.get(node.parent) ?? []), page]);
    this.changed.fire(undefined);
  }

  /** Returns the refanged values of a family row (from its source only) or of one indicator row. */
  async values(node: IntelTreeNode): Promise<string[]> {
    if (node.kind === 'indicator') return [node.value];
    if (node.kind !== 'family') return [];
    const params: IntelIndicatorsParams = { source: node.source, set: node.set };
    return (await this.client.sendRequest<IntelIndicators>(INTEL_INDICATORS_REQUEST, params)).values;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Copies the indicators of a row, one a line, refanged or defanged. */
export async function copyIndicators(tree: IndicatorsTree, node: IntelTreeNode | undefined, defanged: boolean): Promise<string[]> {
  if (!node) {
    void vscode.window.showInformationMessage('KQL Hunt: choose a family or an indicator in the Indicators view to copy.');
    return [];
  }
  const values = (await tree.values(node)).map((value) => (defanged ? defang(value) : value));
  await vscode.env.clipboard.writeText(values.join('\n'));
  vscode.window.setStatusBarMessage(`KQL Hunt: copied ${values.length} indicator${values.length === 1 ? '' : 's'}${defanged ? ' (defanged)' : ''}`, 3000);
  return values;
}

/** Opens the file a row came from at the row's line. */
export async function revealRow(node: IntelTreeNode | undefined): Promise<vscode.TextEditor | undefined> {
  if (!node?.file) {
    void vscode.window.showInformationMessage('KQL Hunt: this row comes from the built-in set, which has no file to open.');
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(node.file));
  const line = Math.max(0, Math.min((node.line ?? 1) - 1, document.lineCount - 1));
  const range = document.lineAt(line).range;
  return vscode.window.showTextDocument(document, { selection: range, preview: true });
}
