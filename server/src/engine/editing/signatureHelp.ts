import { TextDocument } from 'vscode-languageserver-textdocument';
import { MarkupKind, Position, SignatureHelp } from 'vscode-languageserver-types';
import { HuntEngine } from '../engine';
import { SignatureHelpResult } from '../kusto/editingTypes';
import { Settings } from '../settings';
import { analysableBlockAt } from './hunts';

/** Signature help for the function call under the cursor, with the parameter being typed. */
export async function signatureHelp(engine: HuntEngine, document: TextDocument, position: Position, settings: Settings): Promise<SignatureHelp | null> {
  const located = analysableBlockAt(engine, document, position, settings);
  if (!located) return null;
  const { plan, offset } = located;
  let result: SignatureHelpResult | null;
  try {
    result = await engine.worker.request<SignatureHelpResult | null>({ method: 'signatureHelp', text: plan.block.text, environment: plan.environmentRequest, offset }, { priority: 'interactive' });
  } catch (error) {
    engine.logger.warn(`Signature help at ${document.uri}:${position.line + 1}:${position.character + 1} failed: ${(error as Error).message}`);
    return null;
  }
  if (!result) return null;

  return {
    activeSignature: result.activeSignature,
    activeParameter: result.activeParameter,
    signatures: result.signatures.map((signature) => ({
      label: signature.label,
      documentation: signature.documentation ? { kind: MarkupKind.Markdown, value: signature.documentation } : undefined,
      parameters: signature.parameters.map((parameter) => ({
        label: parameter.label,
        documentation: parameter.documentation ? { kind: MarkupKind.Markdown, value: parameter.documentation } : undefined,
      })),
    })),
  };
}
