import { TextDocument } from 'vscode-languageserver-textdocument';
import { MarkupKind, Position, SignatureHelp } from 'vscode-languageserver-types';
import { HuntEngine } from '../engine';
import { SignatureHelpResult } from '../kusto/editingTypes';
import { locateBlock } from '../locate';
import { Settings } from '../settings';

/** Signature help for the function call under the cursor, with the parameter being typed. */
export async function signatureHelp(engine: HuntEngine, document: TextDocument, position: Position, settings: Settings): Promise<SignatureHelp | null> {
  const { plan, offset } = locateBlock(document, position, settings.environment);
  if (plan.block.text === '' || plan.block.text.length > settings.analysis.maxBlockLength || plan.block.maxDepth > settings.analysis.maxNestingDepth) return null;
  const result = await engine.worker.request<SignatureHelpResult | null>(
    { method: 'signatureHelp', text: plan.block.text, environment: plan.environmentRequest, offset },
    { priority: 'interactive' },
  );
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
