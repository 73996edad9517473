import { TextDocument } from 'vscode-languageserver-textdocument';
import { CompletionItem, CompletionItemKind, CompletionList, InsertTextFormat, MarkupKind, Position, Range } from 'vscode-languageserver-types';
import { HuntEngine } from './engine';
import { describeFunction, functionSignature } from './functionDocs';
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

/** Completion from Kusto.Language for the block under the cursor, filtered by the typed prefix. */
export async function complete(engine: HuntEngine, document: TextDocument, position: Position, settings: Settings): Promise<CompletionList> {
  const { plan, offset } = locateBlock(document, position, settings.environment);
  const aliases = watchlistAliases(engine, position, plan.block.text.slice(0, offset));
  if (aliases) return aliases;
  const result = await engine.worker.request<CompletionResult>(
    { method: 'complete', text: plan.block.text, environment: plan.environmentRequest, offset, maxItems: settings.completion.maxItems },
    { priority: 'interactive' },
  );

  const start = document.positionAt(plan.block.start + result.editStart);
  let end = document.positionAt(plan.block.start + result.editStart + result.editLength);
  // VS Code wants a one-line edit range that contains the cursor.
  if (end.line !== start.line || end.character < position.character) end = position;
  const range = Range.create(start, end);

  const items = result.items.map((entry): CompletionItem => {
    const snippet = entry.afterText !== '';
    return documentFunction(engine, {
      label: entry.label,
      kind: KINDS[entry.kind] ?? CompletionItemKind.Keyword,
      sortText: entry.sortText,
      filterText: entry.insertText,
      insertTextFormat: snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      textEdit: { range, newText: snippet ? `${escapeSnippet(entry.insertText)}$0${escapeSnippet(entry.afterText)}` : entry.insertText },
    });
  });
  return { isIncomplete: result.incomplete, items };
}
