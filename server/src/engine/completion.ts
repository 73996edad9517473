import { TextDocument } from 'vscode-languageserver-textdocument';
import { CompletionItem, CompletionItemKind, CompletionList, InsertTextFormat, MarkupKind, Position, Range } from 'vscode-languageserver-types';
import { HuntEngine } from './engine';
import { indicatorCompletionItems, listPositionAt } from './indicatorCompletion';
import { freshnessPolicy } from './intel/freshness';
import { describeFunction, functionSignature } from './functionDocs';
import { CompletionResult } from './kusto/types';
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

/** Inside the alias string of `_GetWatchlist('...`: the declared watchlists. */
function watchlistAliases(engine: HuntEngine, position: Position, textBefore: string): CompletionList | undefined {
  const match = /_GetWatchlist\s*\(\s*['"]([A-Za-z0-9_-]*)$/.exec(textBefore);
  if (!match) return undefined;
  const start = { line: position.line, character: position.character - match[1].length };
  const items = engine.catalog.watchlists().map((watchlist): CompletionItem => ({
    label: watchlist.alias,
    kind: CompletionItemKind.Value,
    detail: `watchlist (${watchlist.columns.length} columns)`,
    documentation: { kind: MarkupKind.Markdown, value: `Columns: ${watchlist.columns.map((column) => `\`${column.name}\``).join(', ')}. Declared in ${watchlist.source}.` },
    textEdit: { range: Range.create(start, position), newText: watchlist.alias },
  }));
  return { isIncomplete: false, items };
}

/** Adds the signature and parameter docs of catalog functions to their completion items. */
function documentFunction(engine: HuntEngine, item: CompletionItem): CompletionItem {
  const name = item.label.split('(')[0];
  const definition = item.kind === CompletionItemKind.Function ? engine.catalog.function(name) : undefined;
  if (!definition) return item;
  return { ...item, detail: functionSignature(definition), documentation: { kind: MarkupKind.Markdown, value: describeFunction(definition, engine.catalog) } };
}

/**
 * Completion for the block under the cursor: inside an indicator list, the loaded indicators
 * first; then Kusto.Language's items, filtered by the typed prefix (none inside a string).
 * Returns null outside KQL (a rule's metadata, Markdown prose), so other extensions can complete there.
 * `isCancelled` is checked before the worker request: the editor cancels a completion typing made stale.
 */
export async function complete(engine: HuntEngine, document: TextDocument, position: Position, settings: Settings, isCancelled?: () => boolean): Promise<CompletionList | null> {
  const located = engine.locate(document, position, settings);
  if (!located) return null;
  const { region, plan, offset } = located;
  const aliases = watchlistAliases(engine, position, plan.block.text.slice(0, offset));
  if (aliases) return aliases;

  const list = listPositionAt(plan.block.text, offset);
  const toDocument = (blockOffset: number): number => region.map.toDocumentStart(plan.block.start + blockOffset);
  const intelOptions = { store: engine.intel, policy: freshnessPolicy(settings, engine.now()), maxItems: settings.completion.maxItems, encode: region.encodeInline };
  const indicators = list ? indicatorCompletionItems(document, toDocument, list, intelOptions) : { items: [], incomplete: false };
  if (list?.typedQuote) return { isIncomplete: indicators.incomplete, items: indicators.items };

  const result = await engine.worker.request<CompletionResult>(
    { method: 'complete', text: plan.block.text, environment: plan.environmentRequest, offset, maxItems: settings.completion.maxItems },
    { priority: 'interactive', isCancelled },
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
    return documentFunction(engine, {
      label: entry.label,
      kind: KINDS[entry.kind] ?? CompletionItemKind.Keyword,
      sortText: entry.sortText,
      filterText: insertText,
      insertTextFormat: snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      textEdit: { range, newText: snippet ? `${escapeSnippet(insertText)}$0${escapeSnippet(afterText)}` : insertText },
    });
  });
  return { isIncomplete: result.incomplete || indicators.incomplete, items: [...indicators.items, ...items] };
}
