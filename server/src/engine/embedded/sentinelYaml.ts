import { CST, isMap, isScalar, LineCounter, Node, parseDocument, Parser, Scalar, YAMLMap } from 'yaml';
import { findPlaceholders } from './placeholders';
import { blockIndent, scalarOffsetMap } from './yamlScalar';
import { DocumentEdit, EmbeddedSource, KqlEdit, KqlRegion, SentinelRule, SourceProblem } from './types';

// Microsoft Sentinel hunting queries and analytics rules in YAML, in the format of the
// Azure-Sentinel repository: a mapping with the KQL in `query` and metadata around it. A YAML
// file is treated as a rule only because of its keys, never because it is YAML.

/** Keys that, next to `query`, make a YAML mapping a Sentinel rule on their own. */
const RULE_KEYS = ['id', 'requiredDataConnectors'];

/** Keys that, next to `query` and `name`, make a YAML mapping a Sentinel rule. */
const METADATA_KEYS = ['description', 'tactics', 'relevantTechniques', 'severity', 'queryFrequency', 'entityMappings', 'kind'];

/** Keys that only analytics rules (scheduled or NRT) have. */
const ANALYTICS_KEYS = ['queryFrequency', 'queryPeriod', 'triggerOperator', 'triggerThreshold'];

const ANALYTICS_KINDS = new Set(['Scheduled', 'NRT']);

/**
 * Whether text that may not parse reads like a Sentinel rule: a top-level `query:` key and one
 * of the identifying keys. Used only to decide whether a broken YAML file is worth reporting.
 */
export function looksLikeSentinelRule(text: string): boolean {
  const has = (keys: string[]): boolean => new RegExp(`^(${keys.join('|')})\\s*:`, 'm').test(text);
  return has(['query']) && (has(RULE_KEYS) || (has(['name']) && has(METADATA_KEYS)));
}

/** A mapping with `query` and `id` or `requiredDataConnectors`, or `query`, `name` and rule metadata. */
function isRuleMap(node: unknown): node is YAMLMap {
  if (!isMap(node) || !node.has('query')) return false;
  return RULE_KEYS.some((key) => node.has(key)) || (node.has('name') && METADATA_KEYS.some((key) => node.has(key)));
}

function ruleKind(root: YAMLMap): SentinelRule['kind'] {
  const kind = root.get('kind');
  if (typeof kind === 'string' && ANALYTICS_KINDS.has(kind)) return 'analytics';
  return ANALYTICS_KEYS.some((key) => root.has(key)) ? 'analytics' : 'hunting';
}

function lineBreakOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Checks whether the rule is a flow mapping (`{query: ...}`), where block scalars cannot go. */
function inFlowCollection(root: YAMLMap): boolean {
  return root.flow === true;
}

/**
 * Lists candidate edits for a `query` scalar. For a literal block scalar, the first candidate is
 * the KQL edits themselves with each new line indented. For any scalar, the last candidate is
 * the whole scalar rewritten by `yaml` as a literal block, or in its own style inside a flow
 * collection.
 */
function scalarEditor(node: Scalar, token: CST.FlowScalar | CST.BlockScalar, region: () => KqlRegion, inFlow: boolean) {
  return (documentText: string, edits: readonly KqlEdit[]): DocumentEdit[][] => {
    const current = region();
    const candidates: DocumentEdit[][] = [];
    if (node.type === 'BLOCK_LITERAL' && current.map.exact && token.type === 'block-scalar') {
      const indent = ' '.repeat(blockIndent(token));
      const lineBreak = lineBreakOf(documentText);
      candidates.push(
        edits.map((edit) => ({ ...current.map.toDocumentRange(edit.start, edit.end), newText: edit.newText.replace(/\r\n|\n/g, `${lineBreak}${indent}`) })),
      );
    }

    let newValue = current.value;
    for (const edit of [...edits].sort((a, b) => b.start - a.start)) newValue = newValue.slice(0, edit.start) + edit.newText + newValue.slice(edit.end);
    const replacement = structuredClone(token);
    CST.setScalarValue(replacement, newValue, { afterKey: true, inFlow, type: inFlow ? undefined : 'BLOCK_LITERAL' });
    const original = CST.stringify(token);
    let text = CST.stringify(replacement);
    if (lineBreakOf(documentText) === '\r\n') text = text.replace(/\r?\n/g, '\r\n');
    candidates.push([{ start: token.offset, end: token.offset + original.length, newText: text }]);
    return candidates;
  };
}

function inlineEncoder(node: Scalar): (text: string) => string {
  if (node.type === 'QUOTE_DOUBLE') return (text) => text.replace(/[\\"]/g, (char) => `\\${char}`);
  if (node.type === 'QUOTE_SINGLE') return (text) => text.replace(/'/g, "''");
  return (text) => text;
}

function queryRegion(node: Scalar, root: YAMLMap): KqlRegion | undefined {
  const token = node.srcToken;
  if (!token || (token.type !== 'block-scalar' && token.type !== 'scalar' && token.type !== 'single-quoted-scalar' && token.type !== 'double-quoted-scalar')) return undefined;
  const value = node.value as string;
  const placeholders = findPlaceholders(value);
  const region: KqlRegion = {
    value,
    text: placeholders.text,
    map: scalarOffsetMap(token, value),
    splitBlocks: false,
    // Sentinel runs a rule's query in Log Analytics, whatever tables it names.
    environment: 'sentinel',
    environmentReason: "a Sentinel rule's query runs in Log Analytics",
    placeholders: placeholders.spans,
    encodeEdits: () => [],
    encodeInline: inlineEncoder(node),
  };
  region.encodeEdits = scalarEditor(node, token, () => region, inFlowCollection(root));
  return region;
}

function nodeSpan(node: Node | null | undefined, fallback: number): { start: number; end: number } {
  return node?.range ? { start: node.range[0], end: node.range[1] } : { start: fallback, end: fallback };
}

function queryProblem(root: YAMLMap, text: string): SourceProblem | undefined {
  const pair = root.items.find((item) => isScalar(item.key) && item.key.value === 'query');
  const value = pair?.value as Node | null | undefined;
  if (isScalar(value) && typeof value.value === 'string') return undefined;
  const span = nodeSpan(value ?? (pair?.key as Node | undefined), 0);
  let shown = 'nothing';
  if (isScalar(value)) shown = value.value === null ? 'empty' : String(value.value);
  else if (isMap(value)) shown = 'a mapping';
  else if (value) shown = 'a list';
  const line = text.slice(0, span.start).split('\n').length;
  return {
    code: 'sentinel/query-not-string',
    severity: 'error',
    message: `The query on line ${line} is ${shown}, not a string; write the KQL as a block scalar (\`query: |\` followed by the indented query).`,
    ...span,
  };
}

function parseProblem(text: string, error: { code?: string; message: string; pos: [number, number]; linePos?: [{ line: number; col: number }, ...unknown[]] }): SourceProblem {
  const firstLine = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  const line = error.linePos?.[0].line;
  const where = line === undefined ? '' : ` on line ${line}`;
  const [start, end] = error.pos;
  // The parser notices a missing closing quote where the file ends, far from the cause, so the
  // problem points at the string that opened it.
  const opening = error.code === 'MISSING_CHAR' ? unclosedQuoteAt(text, start) : undefined;
  if (opening !== undefined) {
    const openingLine = text.slice(0, opening).split('\n').length;
    return {
      code: 'yaml-syntax',
      severity: 'error',
      message: `Invalid YAML: the string that starts with a quote on line ${openingLine} is never closed (the parser reached line ${line ?? openingLine}). Close the quote, or write the text without quotes or as a block scalar.`,
      start: opening,
      end: opening + 1,
    };
  }
  return {
    code: 'yaml-syntax',
    severity: 'error',
    message: `Invalid YAML${where}: ${firstLine}. Fix the YAML so that the rule and its query can be checked.`,
    start,
    end: Math.max(end, Math.min(start + 1, text.length)),
  };
}

/** Finds, in YAML's own token stream, the opening quote of the quoted scalar that runs to `offset`. */
function unclosedQuoteAt(text: string, offset: number): number | undefined {
  let found: number | undefined;
  for (const token of new Parser().parse(text)) {
    if (token.type !== 'document') continue;
    CST.visit(token, (item) => {
      for (const part of [item.key, item.value]) {
        if (part?.type !== 'single-quoted-scalar' && part?.type !== 'double-quoted-scalar') continue;
        if (part.offset <= offset && offset <= part.offset + part.source.length) found = part.offset;
      }
    });
  }
  return found;
}

/**
 * Reads a YAML document as a Sentinel rule. Returns kind 'other' for YAML that is not a rule,
 * and one `yaml-syntax` problem for a rule that does not parse (duplicate keys and tabs used
 * as indentation are parse errors too).
 */
export function extractSentinelYaml(text: string): EmbeddedSource {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { keepSourceTokens: true, lineCounter, prettyErrors: true, uniqueKeys: true });
  const root = document.contents;
  const isRule = isRuleMap(root);
  if (document.errors.length > 0) {
    if (!isRule && !looksLikeSentinelRule(text)) return { kind: 'other', regions: [], problems: [] };
    return { kind: 'sentinel-yaml', regions: [], problems: [parseProblem(text, document.errors[0])] };
  }
  if (!isRule) return { kind: 'other', regions: [], problems: [] };

  const rule: SentinelRule = { kind: ruleKind(root), document, root, lineCounter };
  const problem = queryProblem(root, text);
  if (problem) return { kind: 'sentinel-yaml', regions: [], problems: [problem], rule };

  const region = queryRegion(root.get('query', true) as Scalar, root);
  if (!region) return { kind: 'sentinel-yaml', regions: [], problems: [], rule };
  rule.queryRegion = 0;
  return { kind: 'sentinel-yaml', regions: [region], problems: [], rule };
}
