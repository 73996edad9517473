import { SemanticTokens, SemanticTokensParams, SemanticTokensRangeParams, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { containerKind } from '../engine/embedded/sources';
import { HuntEngine } from '../engine/engine';
import { semanticTokens } from '../engine/semanticTokens';
import { SettingsStore } from './settingsStore';

/**
 * `textDocument/semanticTokens/full` and `/range`, for .kql files; YAML and Markdown keep their
 * own colouring.
 */
export class SemanticTokensHandler {
  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly engine: HuntEngine,
    private readonly settings: SettingsStore,
  ) {}

  async full(params: SemanticTokensParams): Promise<SemanticTokens> {
    const document = this.kqlDocument(params.textDocument.uri);
    if (!document) return { data: [] };
    return semanticTokens(this.engine, document, await this.settings.get(document.uri));
  }

  async range(params: SemanticTokensRangeParams): Promise<SemanticTokens> {
    const document = this.kqlDocument(params.textDocument.uri);
    if (!document) return { data: [] };
    return semanticTokens(this.engine, document, await this.settings.get(document.uri), params.range);
  }

  private kqlDocument(uri: string): TextDocument | undefined {
    const document = this.documents.get(uri);
    return document && containerKind(document.uri, document.languageId) === 'kql' ? document : undefined;
  }
}
