import type { CST } from 'yaml';
import { OffsetMap, SourceUnit } from './offsetMap';

// Offset maps for YAML scalars. The `yaml` package parses the document and resolves each
// scalar's value, and its CST token gives the scalar's source text, offset, style and
// indentation. It keeps no per-character positions, so this module splits the token's source
// into the units the YAML 1.2 scalar rules work on (characters, escapes, line breaks with their
// indentation) and aligns them with the resolved value. The value always comes from `yaml`; a
// source that does not align yields a coarse map instead of wrong positions.

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};

const HEX_ESCAPE_LENGTHS: Record<string, number> = { x: 2, u: 4, U: 8 };

/** Length of the line break at `index` (`\r\n` counts 2), or 0 when there is none. */
function lineBreakLength(text: string, index: number): number {
  if (text[index] === '\r') return text[index + 1] === '\n' ? 2 : 1;
  return text[index] === '\n' ? 1 : 0;
}

function skipBlanks(text: string, index: number, end: number): number {
  while (index < end && (text[index] === ' ' || text[index] === '\t')) index++;
  return index;
}

/** The escape sequence at `index` (which holds the backslash): its length and what it stands for. */
function readEscape(source: string, index: number, end: number): { length: number; output: string } | undefined {
  const kind = source[index + 1];
  const breakLength = lineBreakLength(source, index + 1);
  if (breakLength > 0) return { length: skipBlanks(source, index + 1 + breakLength, end) - index, output: '' };
  if (kind in SIMPLE_ESCAPES) return { length: 2, output: SIMPLE_ESCAPES[kind] };

  const digits = HEX_ESCAPE_LENGTHS[kind];
  if (!digits) return undefined;
  const hex = source.slice(index + 2, index + 2 + digits);
  if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) return undefined;
  const codePoint = parseInt(hex, 16);
  if (codePoint > 0x10ffff) return undefined;
  return { length: 2 + digits, output: String.fromCodePoint(codePoint) };
}

/** Units of a plain, single-quoted or double-quoted scalar. */
function flowScalarUnits(token: CST.FlowScalar): SourceUnit[] | undefined {
  const source = token.source;
  const quoted = token.type !== 'scalar';
  const start = quoted ? 1 : 0;
  const end = quoted ? source.length - 1 : source.length;
  const units: SourceUnit[] = [];

  let index = start;
  while (index < end) {
    const char = source[index];
    const breakLength = lineBreakLength(source, index);
    if (breakLength > 0) {
      // Leading blanks of a continuation line are never content in a flow scalar.
      const next = skipBlanks(source, index + breakLength, end);
      units.push({ kind: 'break', docStart: token.offset + index, docEnd: token.offset + next });
      index = next;
    } else if (token.type === 'double-quoted-scalar' && char === '\\') {
      const escape = readEscape(source, index, end);
      if (!escape) return undefined;
      units.push({ kind: 'escape', docStart: token.offset + index, docEnd: token.offset + index + escape.length, output: escape.output });
      index += escape.length;
    } else if (token.type === 'single-quoted-scalar' && char === "'" && source[index + 1] === "'") {
      units.push({ kind: 'escape', docStart: token.offset + index, docEnd: token.offset + index + 2, output: "'" });
      index += 2;
    } else {
      units.push({ kind: 'char', docOffset: token.offset + index, char });
      index++;
    }
  }
  return units;
}

/** Offset of the first character of a block scalar's body, after its header line. */
function blockBodyStart(token: CST.BlockScalar): number {
  const last = token.props[token.props.length - 1];
  return last && 'source' in last ? last.offset + last.source.length : token.offset;
}

/** The content indentation of a block scalar: explicit in its header, or that of its first non-empty line. */
export function blockIndent(token: CST.BlockScalar): number {
  const header = token.props.find((prop): prop is CST.SourceToken => prop.type === 'block-scalar-header');
  const explicit = header ? /[1-9]/.exec(header.source) : null;
  if (explicit) return token.indent + Number(explicit[0]);

  for (const line of token.source.split(/\r\n|\n|\r/)) {
    const leading = /^ */.exec(line)![0].length;
    if (leading < line.length) return leading;
  }
  return 0;
}

/** Units of a literal (`|`) or folded (`>`) block scalar; indentation produces no unit. */
function blockScalarUnits(token: CST.BlockScalar): SourceUnit[] {
  const source = token.source;
  const base = blockBodyStart(token);
  const indent = blockIndent(token);
  const units: SourceUnit[] = [];

  let lineStart = 0;
  while (lineStart < source.length) {
    let lineEnd = lineStart;
    while (lineEnd < source.length && lineBreakLength(source, lineEnd) === 0) lineEnd++;
    let index = lineStart;
    while (index < lineEnd && index - lineStart < indent && source[index] === ' ') index++;
    for (; index < lineEnd; index++) units.push({ kind: 'char', docOffset: base + index, char: source[index] });

    const breakLength = lineBreakLength(source, lineEnd);
    if (breakLength === 0) break;
    units.push({ kind: 'break', docStart: base + lineEnd, docEnd: base + lineEnd + breakLength });
    lineStart = lineEnd + breakLength;
  }
  return units;
}

/** The document span of a scalar's content: inside the quotes, or the body of a block scalar. */
export function scalarContentSpan(token: CST.FlowScalar | CST.BlockScalar): { start: number; end: number } {
  if (token.type === 'block-scalar') {
    const start = blockBodyStart(token);
    return { start, end: start + token.source.length };
  }
  const quoted = token.type !== 'scalar';
  return { start: token.offset + (quoted ? 1 : 0), end: token.offset + token.source.length - (quoted ? 1 : 0) };
}

/**
 * The offset map of a scalar whose resolved value is `value`. Exact when the token's source
 * aligns with the value; otherwise every KQL offset maps to the whole scalar.
 */
export function scalarOffsetMap(token: CST.FlowScalar | CST.BlockScalar, value: string): OffsetMap {
  const span = scalarContentSpan(token);
  const units = token.type === 'block-scalar' ? blockScalarUnits(token) : token.type === 'alias' ? undefined : flowScalarUnits(token);
  const aligned = units ? OffsetMap.align(units, value, span.start, span.end) : undefined;
  return aligned ?? OffsetMap.coarse(span.start, span.end, value.length);
}
