import { CompletionItem, CompletionItemKind, Range } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { quoteLike } from './indicatorFixes';
import { classifyIndicator } from './intel/classify';
import { refang } from './intel/defang';
import { FreshnessPolicy } from './intel/freshness';
import { huntKinds, kindLabel, kindValues, ValueKind, valueKindOf } from './intel/huntValues';
import { IndicatorSet, setName } from './intel/model';
import { IntelStore } from './intel/store';

// Completion of indicators inside a `dynamic([...])` list or an `in (...)` / `has_any (...)`
// list. The cursor's list is found by scanning the block's text, because the query is often
// incomplete while it is typed (`dynamic(["1.2.3.4", |`) and the syntax tree may lack the list.

/** The cursor's place in an indicator list, as offsets in the block's text. */
export interface ListPosition {
  /** The text the completion replaces: the literal being typed, or the word before the cursor. */
  replaceStart: number;
  replaceEnd: number;
  /** The part of the value typed so far, refanged, for filtering. */
  prefix: string;
  /** The opening quote (with any `@`) of the literal being typed; empty outside a literal. */
  typedQuote: string;
  /** An item of the list as written, to quote new values the same way. */
  quoteExample: string;
  /** Values already in the list (classified), to leave out. */
  present: Set<string>;
  /** The kind of the list's existing values, offered first. */
  kind?: ValueKind;
  /** True when a comma must precede the inserted text. */
  needsComma: boolean;
}

interface Opener {
  char: string;
  offset: number;
  /** True for `dynamic([` and for `(` after `in`, `in~`, `!in`, `!in~` or `has_any`. */
  isList: boolean;
}

const LIST_OPERATOR_BEFORE = /(?:^|[^\w!])(!?in~?|has_any)\s*$/;

/** Scans the string literal that starts at `start` and returns its end and whether it is closed. */
function scanString(text: string, start: number): { end: number; closed: boolean } {
  const quote = text[start];
  const verbatim = text[start - 1] === '@';
  let index = start + 1;
  while (index < text.length && text[index] !== '\n') {
    if (text[index] === '\\' && !verbatim) index += 2;
    else if (text[index] === quote) return { end: index + 1, closed: true };
    else index++;
  }
  return { end: index, closed: false };
}

/** Finds the list the cursor is in, if any, by scanning brackets, strings and comments up to it. */
export function listPositionAt(text: string, offset: number): ListPosition | undefined {
  const stack: Opener[] = [];
  let index = 0;
  let inString: { start: number } | undefined;
  while (index < offset) {
    const char = text[index];
    if (char === '/' && text[index + 1] === '/') {
      const lineEnd = text.indexOf('\n', index);
      if (lineEnd === -1 || lineEnd >= offset) return undefined;
      index = lineEnd + 1;
      continue;
    }
    if (char === '"' || char === "'") {
      const string = scanString(text, index);
      if (string.end >= offset && (!string.closed || string.end > offset)) {
        inString = { start: text[index - 1] === '@' ? index - 1 : index };
        break;
      }
      index = string.end;
      continue;
    }
    if (char === '(' || char === '[') {
      const before = text.slice(Math.max(0, index - 40), index);
      const isList = char === '[' ? /dynamic\s*\(\s*$/.test(before) && stack[stack.length - 1]?.char === '(' : LIST_OPERATOR_BEFORE.test(before);
      stack.push({ char, offset: index, isList });
    } else if ((char === ')' || char === ']') && stack.length > 0) {
      stack.pop();
    }
    index++;
  }

  const opener = stack[stack.length - 1];
  if (!opener?.isList) return undefined;
  return buildPosition(text, offset, opener, inString);
}

function buildPosition(text: string, offset: number, opener: Opener, inString: { start: number } | undefined): ListPosition {
  let replaceStart = offset;
  let replaceEnd = offset;
  let prefix = '';
  let typedQuote = '';
  if (inString) {
    replaceStart = inString.start;
    const quoteAt = text[replaceStart] === '@' ? replaceStart + 1 : replaceStart;
    const string = scanString(text, quoteAt);
    replaceEnd = string.closed ? string.end : Math.max(offset, string.end);
    prefix = refang(text.slice(quoteAt + 1, offset));
    typedQuote = text.slice(replaceStart, quoteAt + 1);
  } else {
    const word = /[\w.:[\]/-]*$/.exec(text.slice(opener.offset + 1, offset))![0];
    replaceStart = offset - word.length;
    prefix = refang(word);
  }

  const listText = text.slice(opener.offset + 1, replaceStart);
  const quoted = [...listText.matchAll(/@?"(?:[^"\\\n]|\\.)*"|@?'(?:[^'\\\n]|\\.)*'/g)].map((match) => match[0]);
  const present = new Set<string>();
  let kind: ValueKind | undefined;
  for (const item of quoted) {
    const classified = classifyIndicator(item.replace(/^@?["']|["']$/g, ''));
    if (!classified) continue;
    present.add(classified.type === 'ip' ? classified.ip! : classified.value);
    kind ??= valueKindOf(classified);
  }
  const before = listText.trimEnd();
  return { replaceStart, replaceEnd, prefix, typedQuote, quoteExample: quoted[0] ?? '"', present, kind, needsComma: before !== '' && !before.endsWith(',') };
}

export interface IndicatorCompletionOptions {
  store: IntelStore;
  policy: FreshnessPolicy;
  maxItems: number;
  /** Encoder from KQL text to the document's text (a double-quoted YAML scalar escapes quotes); identity by default. */
  encode?: (text: string) => string;
}

function setItem(set: IndicatorSet, kind: ValueKind, values: string[], position: ListPosition, range: Range, encode: (text: string) => string): CompletionItem {
  const label = `${setName(set)}: all ${values.length} ${kindLabel(kind, values.length)}`;
  const text = `${position.needsComma ? ', ' : ''}${values.map((value) => quoteLike(position.quoteExample, value)).join(', ')}`;
  return {
    label,
    kind: CompletionItemKind.Module,
    detail: `Inserts every ${kindLabel(kind, 1)} of ${setName(set)} that the list lacks`,
    sortText: `!0${kind === position.kind ? 0 : 1}${setName(set).toLowerCase()}`,
    filterText: encode(`${position.typedQuote}${label}`),
    textEdit: { range, newText: encode(text) },
  };
}

/**
 * Completion items for an indicator list: one item per loaded set and kind of value that
 * inserts all of them, then each indicator, grouped by family. Values the list already holds
 * and stale indicators are left out.
 */
export function indicatorCompletionItems(
  document: TextDocument,
  toDocumentOffset: (blockOffset: number) => number,
  position: ListPosition,
  options: IndicatorCompletionOptions,
): { items: CompletionItem[]; incomplete: boolean } {
  const range = Range.create(document.positionAt(toDocumentOffset(position.replaceStart)), document.positionAt(toDocumentOffset(position.replaceEnd)));
  const encode = options.encode ?? ((text: string): string => text);
  const items: CompletionItem[] = [];
  const prefix = position.prefix.toLowerCase();
  let total = 0;
  let shown = 0;

  const sets = [...options.store.sets].sort((a, b) => a.family.localeCompare(b.family));
  for (const set of sets) {
    for (const kind of huntKinds(set)) {
      const values = kindValues(set, kind, options.policy).filter((value) => !position.present.has(value));
      if (values.length === 0) continue;
      if (prefix === '') items.push(setItem(set, kind, values, position, range, encode));
      for (const value of values) {
        if (prefix && !value.toLowerCase().startsWith(prefix)) continue;
        total++;
        if (shown >= options.maxItems) continue;
        shown++;
        const quoted = quoteLike(position.quoteExample, value);
        items.push({
          label: value,
          labelDetails: { description: set.family },
          kind: CompletionItemKind.Value,
          detail: `${kindLabel(kind, 1)} of ${setName(set)}`,
          sortText: `!1${kind === position.kind ? 0 : 1}${set.family.toLowerCase()}\u0000${value}`,
          filterText: encode(`${position.typedQuote}${value}`),
          textEdit: { range, newText: encode(`${position.needsComma ? ', ' : ''}${quoted}`) },
        });
      }
    }
  }
  return { items, incomplete: total > shown };
}
