import { isMap, isScalar, isSeq, LineCounter, Node, parseDocument } from 'yaml';
import { LoadProblem } from './problems';

/**
 * A JSON document parsed with source positions, so loaders can name the line of a bad value.
 * JSON is a subset of YAML 1.2, and the `yaml` package keeps each node's range.
 */
export interface JsonSource {
  root: Node | null;
  lineOf(node: Node | null | undefined): number | undefined;
}

export function parseJsonSource(file: string, text: string, problems: LoadProblem[]): JsonSource | undefined {
  const lineCounter = new LineCounter();
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const document = parseDocument(source, { lineCounter, uniqueKeys: false, strict: false });
  if (document.errors.length > 0) {
    const first = document.errors[0];
    const line = first.linePos?.[0].line;
    problems.push({ file, line, severity: 'error', message: `Invalid JSON: ${first.message.split('\n')[0].replace(/:$/, '')}.` });
    return undefined;
  }

  return {
    root: (document.contents as Node | null) ?? null,
    lineOf: (node) => (node?.range ? lineCounter.linePos(node.range[0]).line : undefined),
  };
}

/** Reads a key of a JSON object case-insensitively, because real schema files mix `Name` and `name`. */
export function getKeyInsensitive(node: Node | null | undefined, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  const wanted = key.toLowerCase();
  for (const pair of node.items) {
    const pairKey = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (pairKey?.toLowerCase() === wanted) return (pair.value as Node | null) ?? undefined;
  }
  return undefined;
}

export function scalarString(node: Node | null | undefined): string | undefined {
  if (!isScalar(node)) return undefined;
  return typeof node.value === 'string' ? node.value : node.value === null ? undefined : String(node.value);
}

export { isMap, isScalar, isSeq };
export type { Node };
