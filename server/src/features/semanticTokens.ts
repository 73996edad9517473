import { SemanticTokens, SemanticTokensParams, SemanticTokensRangeParams, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { HuntEngine } from '../engine/engine';
import { semanticTokens } from '../engine/semanticTokens';
import { SettingsStore } from './settingsStore';

/** `textDocument/semanticTokens/full` and `/range`. */
export class SemanticTokensHandler {
  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly engine: HuntEngine,
    private readonly settings: SettingsStore,
  ) {}

  async full(params: SemanticTokensParams): Promise<SemanticTokens> {
    const document = this.documents.get(params.textDocument.uri);
    if (!document) return { data: [] };
    return semanticTokens(this.engine, document, await this.settings.get(document.uri));
  }

  async range(params: SemanticTokensRangeParams): Promise<SemanticTokens> {
    const document = this.documents.get(params.textDocument.uri);
    if (!document) return { data: [] };
    return semanticTokens(this.engine, document, await this.settings.get(document.uri), params.range);
  }
}
