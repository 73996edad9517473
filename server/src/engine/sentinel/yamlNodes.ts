import { fileURLToPath } from 'node:url';
import { isMap, isScalar, isSeq, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { DocumentEdit } from '../embedded/types';

// Small readers over parsed YAML nodes, with their document spans, for the rule checks.

export interface Span {
  start: number;
  end: number;
}

export function pairOf(map: YAMLMap, key: string): Pair<unknown, unknown> | undefined {
  return map.items.find((item) => isScalar(item.key) && item.key.value === key) as Pair<unknown, unknown> | undefined;
}

export function valueOf(map: YAMLMap, key: string): Node | null | undefined {
  return pairOf(map, key)?.value as Node | null | undefined;
}

export function spanOf(node: Node | null | undefined, fallback: Span): Span {
  return node?.range ? { start: node.range[0], end: node.range[1] } : fallback;
}

/** The span of a key, for findings about a missing or empty value. */
export function keySpan(map: YAMLMap, key: string, fallback: Span): Span {
  return spanOf(pairOf(map, key)?.key as Node | undefined, fallback);
}

/** The span of the first key of the file, for findings about a key that is missing. */
export function firstKeySpan(map: YAMLMap): Span {
  const first = map.items[0]?.key as Node | undefined;
  return spanOf(first, { start: 0, end: 0 });
}

export function stringOf(node: Node | null | undefined): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

export function scalarText(node: Node | null | undefined): string | undefined {
  if (!isScalar(node) || node.value === null) return undefined;
  return String(node.value);
}

/** The span of a scalar's text without its quotes. */
export function contentSpan(scalar: Scalar): Span {
  const [start, end] = scalar.range ?? [0, 0];
  const quoted = scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE';
  return quoted ? { start: start + 1, end: end - 1 } : { start, end };
}

/** Replaces a scalar's text with `text`, which must need no escaping (an identifier, a GUID). */
export function replaceScalar(scalar: Scalar, text: string): DocumentEdit {
  return { ...contentSpan(scalar), newText: text };
}

export function seqItems(node: Node | null | undefined): Node[] {
  return isSeq(node) ? (node.items as Node[]) : [];
}

export function mapItems(node: Node | null | undefined): YAMLMap[] {
  return seqItems(node).filter((item): item is YAMLMap => isMap(item));
}

/** The column where a block sequence's items (their `-`) start. */
function itemColumn(text: string, seq: YAMLSeq): number {
  const start = seq.range?.[0] ?? 0;
  return start - (text.lastIndexOf('\n', start - 1) + 1);
}

/** An edit that appends a plain scalar item to a sequence, block (`- item`) or flow (`[a, b]`). */
export function appendToSeq(text: string, seq: YAMLSeq, item: string): DocumentEdit | undefined {
  if (!seq.range) return undefined;
  if (seq.flow) {
    const close = text.lastIndexOf(']', seq.range[1]);
    if (close < seq.range[0]) return undefined;
    return { start: close, end: close, newText: seq.items.length > 0 ? `, ${item}` : item };
  }
  const last = seq.items[seq.items.length - 1] as Node | undefined;
  if (!last?.range) return undefined;
  const lineBreak = text.includes('\r\n') ? '\r\n' : '\n';
  return { start: last.range[1], end: last.range[1], newText: `${lineBreak}${' '.repeat(itemColumn(text, seq))}- ${item}` };
}

/** A file name for messages: a path for `file:` URIs, the key itself otherwise. */
export function displayFile(file: string): string {
  if (!file.startsWith('file:')) return file;
  try {
    return fileURLToPath(file);
  } catch {
    return file;
  }
}
