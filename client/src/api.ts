// API the extension returns from `activate`, for other extensions and the end-to-end tests.
import type { Event, Position, Uri } from 'vscode';
import type { BlockInfo, CommandResult, CoverageMatrix, IntelTreeNode, ScanStatus, ServerStatus } from '../../server/src/protocol';

export interface StatusItemState {
  text: string;
  detail: string | undefined;
  /** `vscode.LanguageStatusSeverity` as a word. */
  severity: 'information' | 'warning' | 'error';
  /** Command run when the item's link is clicked. */
  command: string | undefined;
}

export interface KqlHuntApi {
  /** Resolves once the language server has started. */
  ready: Promise<void>;
  status(): Promise<ServerStatus>;
  blockInfo(uri: Uri, position: Position): Promise<BlockInfo>;
  /** The language status item as the user sees it now. */
  statusItem(): StatusItemState;
  /** Fires after each refresh of the status item. */
  onDidUpdateStatusItem: Event<StatusItemState>;
  /** The rows of the Indicators view under `node` (the sources without one), as the view gets them. */
  indicatorRows(node?: IntelTreeNode): Promise<IntelTreeNode[]>;
  /** Shows a row of the Indicators view, expanded `expand` levels deep. */
  revealIndicatorRow(node: IntelTreeNode, expand?: number): Promise<void>;
  /** Opens or refreshes the coverage view and returns the matrix it shows. */
  showCoverage(): Promise<CoverageMatrix>;
  /** The coverage view's matrix and HTML, once it has rendered. */
  coverageView(): { matrix: CoverageMatrix; html: string } | undefined;
  /** Fires when the coverage view's webview has loaded a matrix. */
  onDidRenderCoverage: Event<CoverageMatrix>;
  /** Inserts a hunt for an empty coverage cell into `uri`, as "insert hunt here" does after the file pick. */
  insertCoverageHunt(set: string, table: string, uri: Uri): Promise<CommandResult>;
  /** The last workspace scan status the server sent. */
  scanStatus(): ScanStatus | undefined;
  onDidChangeScanStatus: Event<ScanStatus>;
}
