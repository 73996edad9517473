// API the extension returns from `activate`, for other extensions and the end-to-end tests.
import type { Event, Position, Uri } from 'vscode';
import type { BlockInfo, ServerStatus } from '../../server/src/protocol';

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
}
