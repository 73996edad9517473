import { EditingRequest } from './editingTypes';
import { BlockFormatter } from './formatter';
import { KustoLanguage, KustoObject } from './loadKusto';
import { NameResolver } from './related';
import { selectionSpans } from './selection';
import { SignatureHelper } from './signatures';
import { blockStructure } from './structure';
import { SyntaxTree } from './syntax';
import { Environment } from '../schema/types';
import { EnvironmentRequest } from './types';

const EDITING_METHODS = new Set<string>(['structure', 'related', 'rename', 'signatureHelp', 'format', 'selectionRanges']);

export function isEditingRequest(request: { method: string }): request is EditingRequest {
  return EDITING_METHODS.has(request.method);
}

/** Parses and binds a block in its environment, as analysis does, and says which environment that was. */
export type BindBlock = (text: string, environment: EnvironmentRequest) => { code: KustoObject; environment: Environment };

/** Serves the editing requests inside the worker thread. */
export class KustoEditing {
  private readonly syntax: SyntaxTree;
  private readonly names: NameResolver;
  private readonly signatures: SignatureHelper;
  private readonly formatter: BlockFormatter;

  constructor(kusto: KustoLanguage, private readonly bind: BindBlock) {
    this.syntax = new SyntaxTree(kusto);
    this.names = new NameResolver(this.syntax);
    this.signatures = new SignatureHelper(this.syntax);
    this.formatter = new BlockFormatter(this.syntax);
  }

  handle(request: EditingRequest): unknown {
    switch (request.method) {
      case 'structure':
        return blockStructure(this.syntax, request.text);
      case 'related':
        return this.names.related(this.bind(request.text, request.environment).code, request.offset);
      case 'rename': {
        // The renamed text is checked in the environment the original was analysed in.
        const { code, environment } = this.bind(request.text, request.environment);
        return this.names.rename(code, request.text, request.offset, request.newName, (text) => this.bind(text, environment).code);
      }
      case 'signatureHelp':
        return this.signatures.signatureHelp(this.bind(request.text, request.environment).code, request.text, request.offset);
      case 'format':
        return this.formatter.format(request.text, request.options);
      case 'selectionRanges':
        return selectionSpans(this.syntax, request.text, request.offsets);
    }
  }
}
