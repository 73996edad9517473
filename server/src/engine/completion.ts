import { TextDocument } from 'vscode-languageserver-textdocument';
import { CompletionItem, CompletionItemKind, CompletionList, InsertTextFormat, Position, Range } from 'vscode-languageserver-types';
import { HuntEngine } from './engine';
import { CompletionResult } from './kusto/types';
import { locateBlock } from './locate';
import { Settings } from './settings';

const KINDS: Record<string, CompletionItemKind> = {
  Column: CompletionItemKind.Field,
  Table: CompletionItemKind.Class,
  MaterialiedView: CompletionItemKind.Class,
  BuiltInFunction: CompletionItemKind.Function,
  AggregateFunction: CompletionItemKind.Function,
  LocalFunction: CompletionItemKind.Function,
  DatabaseFunction: CompletionItemKind.Function,
  Variable: CompletionItemKind.Variable,
  Parameter: CompletionItemKind.Variable,
  ScalarType: CompletionItemKind.TypeParameter,
  Database: CompletionItemKind.Module,
  Cluster: CompletionItemKind.Module,
  Option: CompletionItemKind.Property,
  Example: CompletionItemKind.Snippet,
  Punctuation: CompletionItemKind.Operator,
  ScalarInfix: CompletionItemKind.Operator,
};

function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, (char) => `\\${char}`);
}

/**
 * Completion from Kusto.Language for the block under the cursor, filtered by the typed prefix.
 * Returns null outside KQL (a rule's metadata, Markdown prose), so other extensions can complete there.
 */
export async function complete(engine: HuntEngine, document: TextDocument, position: Position, settings: Settings): Promise<CompletionList | null> {
  const located = locateBlock(engine.sourceOf(document, settings), document, position, settings.environment);
  if (!located) return null;
  const { region, plan, offset } = located;
  const result = await engine.worker.request<CompletionResult>(
    { method: 'complete', text: plan.block.text, environment: plan.environmentRequest, offset, maxItems: settings.completion.maxItems },
    { priority: 'interactive' },
  );

  const span = region.map.toDocumentRange(plan.block.start + result.editStart, plan.block.start + result.editStart + result.editLength);
  let start = document.positionAt(span.start);
  let end = document.positionAt(span.end);
  // VS Code wants a one-line edit range that contains the cursor.
  if (start.line !== position.line || start.character > position.character) start = position;
  if (end.line !== start.line || end.character < position.character) end = position;
  const range = Range.create(start, end);

  const items = result.items.map((entry): CompletionItem => {
    const snippet = entry.afterText !== '';
    const insertText = region.encodeInline(entry.insertText);
    const afterText = region.encodeInline(entry.afterText);
    return {
      label: entry.label,
      kind: KINDS[entry.kind] ?? CompletionItemKind.Keyword,
      sortText: entry.sortText,
      filterText: insertText,
      insertTextFormat: snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      textEdit: { range, newText: snippet ? `${escapeSnippet(insertText)}$0${escapeSnippet(afterText)}` : insertText },
    };
  });
  return { isIncomplete: result.incomplete, items };
}
