import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentHighlight, DocumentHighlightKind, Location, Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { HuntEngine } from '../engine';
import { RelatedNames, RenamePlan } from '../kusto/editingTypes';
import { TextSpan } from '../kusto/types';
import { Settings } from '../settings';
import { analysableBlockAt } from './hunts';

// Go to definition, find references, highlights and rename inside one hunt. A hunt is its own
// query, so a `let` name never reaches into another hunt of the file.

/** A result, or the reason the request was rejected, for the server to send as an error. */
export type Rejectable<T> = T | { error: string };

interface Located {
  blockStart: number;
  related: RelatedNames;
}

async function relatedAt(engine: HuntEngine, document: TextDocument, position: Position, settings: Settings): Promise<Located | null> {
  const located = analysableBlockAt(engine, document, position, settings);
  if (!located) return null;
  const { plan, offset } = located;
  try {
    const related = await engine.worker.request<RelatedNames | null>({ method: 'related', text: plan.block.text, environment: plan.environmentRequest, offset }, { priority: 'interactive' });
    return related ? { blockStart: plan.block.start, related } : null;
  } catch (error) {
    engine.logger.warn(`Finding the names related to ${document.uri}:${position.line + 1}:${position.character + 1} failed: ${(error as Error).message}`);
    return null;
  }
}

function rangeOf(document: TextDocument, blockStart: number, span: TextSpan): Range {
  return { start: document.positionAt(blockStart + span.start), end: document.positionAt(blockStart + span.end) };
}

export async function definition(engine: HuntEngine, document: TextDocument, position: Position, settings: Settings): Promise<Location[] | null> {
  const located = await relatedAt(engine, document, position, settings);
  if (!located) return null;
  const declarations = located.related.elements.filter((element) => element.kind === 'declaration');
  if (declarations.length === 0) return null;
  return declarations.map((element) => ({ uri: document.uri, range: rangeOf(document, located.blockStart, element) }));
}

export async function references(engine: HuntEngine, document: TextDocument, position: Position, includeDeclaration: boolean, settings: Settings): Promise<Location[] | null> {
  const located = await relatedAt(engine, document, position, settings);
  if (!located) return null;
  return located.related.elements
    .filter((element) => includeDeclaration || element.kind === 'reference')
    .map((element) => ({ uri: document.uri, range: rangeOf(document, located.blockStart, element) }));
}

export async function documentHighlights(engine: HuntEngine, document: TextDocument, position: Position, settings: Settings): Promise<DocumentHighlight[] | null> {
  const located = await relatedAt(engine, document, position, settings);
  if (!located) return null;
  return located.related.elements.map((element) => ({
    range: rangeOf(document, located.blockStart, element),
    kind: element.kind === 'declaration' ? DocumentHighlightKind.Write : DocumentHighlightKind.Read,
  }));
}

export async function prepareRename(engine: HuntEngine, document: TextDocument, position: Position, settings: Settings): Promise<Rejectable<{ range: Range; placeholder: string } | null>> {
  const located = await relatedAt(engine, document, position, settings);
  if (!located) return { error: 'Place the cursor on a name declared in this hunt (a let name, a function parameter or a column made by extend, project or summarize) to rename it.' };
  const { related } = located;
  if (related.declaredOutside) return { error: `'${related.name}' is ${related.declaredOutside}, not declared in this hunt, so it cannot be renamed here.` };
  return { range: rangeOf(document, located.blockStart, related.span), placeholder: related.name };
}

export async function rename(engine: HuntEngine, document: TextDocument, position: Position, newName: string, settings: Settings): Promise<Rejectable<WorkspaceEdit>> {
  const located = analysableBlockAt(engine, document, position, settings);
  if (!located) return { error: 'Place the cursor on a name declared in a hunt to rename it; hunts over the kqlHunt.analysis limits cannot be renamed in.' };
  const { plan, offset } = located;
  let result: RenamePlan;
  try {
    result = await engine.worker.request<RenamePlan>({ method: 'rename', text: plan.block.text, environment: plan.environmentRequest, offset, newName }, { priority: 'interactive' });
  } catch (error) {
    engine.logger.warn(`Renaming at ${document.uri}:${position.line + 1}:${position.character + 1} failed: ${(error as Error).message}`);
    return { error: `Kusto.Language could not check the rename: ${(error as Error).message}` };
  }
  if (!result.ok) {
    if (result.conflictOffset === undefined) return { error: result.message };
    const line = document.positionAt(plan.block.start + result.conflictOffset).line + 1;
    return { error: `${result.message} The existing '${newName.trim()}' is on line ${line}.` };
  }
  const edits = result.edits.map((edit): TextEdit => ({ range: rangeOf(document, plan.block.start, edit), newText: edit.newText }));
  return { changes: { [document.uri]: edits } };
}
