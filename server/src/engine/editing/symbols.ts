import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentSymbol, Range, SymbolKind, WorkspaceSymbol } from 'vscode-languageserver-types';
import { HuntEngine } from '../engine';
import { BlockStructure, LetDeclaration } from '../kusto/editingTypes';
import { TextSpan } from '../kusto/types';
import { Settings } from '../settings';
import { HuntLayout, planHunts } from './hunts';
import { blockStructure } from './structure';

// The outline: one symbol per hunt, named by its header comment or else by the table its query
// starts from, with the hunt's `let` statements as children.

/** Longest name taken from a hunt's first line of code when it has no better name. */
const MAX_CODE_NAME = 60;

function rangeOf(document: TextDocument, blockStart: number, span: TextSpan): Range {
  return { start: document.positionAt(blockStart + span.start), end: document.positionAt(blockStart + span.end) };
}

function letSymbol(document: TextDocument, blockStart: number, declaration: LetDeclaration): DocumentSymbol {
  return {
    name: declaration.name || '(unnamed let)',
    detail: declaration.kind === 'function' ? 'function' : 'let',
    kind: declaration.kind === 'function' ? SymbolKind.Function : SymbolKind.Variable,
    range: rangeOf(document, blockStart, declaration),
    selectionRange: rangeOf(document, blockStart, declaration.nameSpan),
    children: declaration.children.map((child) => letSymbol(document, blockStart, child)),
  };
}

/** The hunt's name and the span that names it, in the block's text. */
export function huntName(layout: HuntLayout, structure: BlockStructure): { name: string; span: TextSpan } {
  if (layout.comment) return { name: layout.comment.name, span: layout.comment };
  if (structure.source) return { name: structure.source.name, span: structure.source };
  const firstLet = structure.lets[0];
  if (firstLet) return { name: firstLet.name, span: firstLet.nameSpan };
  const code = layout.firstCode ?? { text: 'hunt', start: layout.start, end: layout.start };
  const name = code.text.length > MAX_CODE_NAME ? `${code.text.slice(0, MAX_CODE_NAME - 3)}...` : code.text;
  return { name, span: code };
}

function huntSymbol(document: TextDocument, layout: HuntLayout, structure: BlockStructure): DocumentSymbol {
  const block = layout.plan.block;
  const { name, span } = huntName(layout, structure);
  const detail = layout.comment && structure.source ? structure.source.name : undefined;
  return {
    name,
    detail,
    kind: SymbolKind.Module,
    range: rangeOf(document, block.start, { start: layout.start, end: block.text.length }),
    selectionRange: rangeOf(document, block.start, span),
    children: structure.lets.map((declaration) => letSymbol(document, block.start, declaration)),
  };
}

export async function documentSymbols(engine: HuntEngine, document: TextDocument, settings: Settings): Promise<DocumentSymbol[]> {
  const hunts = planHunts(engine, document, settings);
  const structures = await Promise.all(hunts.map((hunt) => blockStructure(engine, hunt.plan.block, settings)));
  return hunts.map((hunt, index) => huntSymbol(document, hunt, structures[index]));
}

/** The hunts of one file as workspace symbols, with `container` shown beside each name. */
export async function huntWorkspaceSymbols(engine: HuntEngine, document: TextDocument, container: string, settings: Settings): Promise<WorkspaceSymbol[]> {
  const symbols = await documentSymbols(engine, document, settings);
  return symbols.map((symbol) => ({
    name: symbol.name,
    kind: symbol.kind,
    containerName: container,
    location: { uri: document.uri, range: symbol.selectionRange },
  }));
}

/** Case-insensitive match of a query whose characters appear in the name in order, as editors filter symbols. */
export function matchesQuery(name: string, query: string): boolean {
  const haystack = name.toLowerCase();
  let position = 0;
  for (const char of query.toLowerCase()) {
    if (char === ' ') continue;
    position = haystack.indexOf(char, position);
    if (position === -1) return false;
    position++;
  }
  return true;
}
