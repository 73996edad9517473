import { TextSpan } from '../kusto/types';

// Template placeholders such as `{{StartTimeISO}}`, which Sentinel's hunting queries and
// workbooks fill in before the query runs. Inside a string literal (`todatetime('{{StartTimeISO}}')`)
// they are ordinary text. Outside one they are not KQL, so the analysed text replaces each with a
// string literal of the same length (`'{StartTimeISO}'`): offsets stay the same, and findings on
// a placeholder are dropped because its value is only known at run time.

const PLACEHOLDER = /\{\{\s*[A-Za-z_][\w.]*\s*\}\}/g;

export interface Placeholders {
  spans: TextSpan[];
  /** The text with every placeholder outside a string literal replaced by a same-length literal. */
  text: string;
}

/** Spans of the string literals and comments of a query. */
function quotedRanges(text: string): TextSpan[] {
  const ranges: TextSpan[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === '/' && text[index + 1] === '/') {
      const end = text.indexOf('\n', index);
      ranges.push({ start: index, end: end === -1 ? text.length : end });
      index = end === -1 ? text.length : end;
    } else if (text.startsWith('```', index)) {
      const end = text.indexOf('```', index + 3);
      const stop = end === -1 ? text.length : end + 3;
      ranges.push({ start: index, end: stop });
      index = stop;
    } else if (char === '"' || char === "'") {
      const verbatim = text[index - 1] === '@';
      let end = index + 1;
      while (end < text.length && text[end] !== char && text[end] !== '\n') end += !verbatim && text[end] === '\\' ? 2 : 1;
      ranges.push({ start: index, end: Math.min(end + 1, text.length) });
      index = end + 1;
    } else {
      index++;
    }
  }
  return ranges;
}

export function findPlaceholders(value: string): Placeholders {
  if (!value.includes('{{')) return { spans: [], text: value };
  const spans: TextSpan[] = [];
  for (const match of value.matchAll(PLACEHOLDER)) spans.push({ start: match.index!, end: match.index! + match[0].length });
  if (spans.length === 0) return { spans, text: value };

  const quoted = quotedRanges(value);
  const inside = (span: TextSpan): boolean => quoted.some((range) => range.start < span.start && span.end <= range.end);
  let text = value;
  for (const span of spans) {
    if (inside(span)) continue;
    const name = value.slice(span.start + 1, span.end - 1);
    text = text.slice(0, span.start) + `'${name}'` + text.slice(span.end);
  }
  return { spans, text };
}

/** Whether a finding's span touches a placeholder. */
export function touchesPlaceholder(placeholders: readonly TextSpan[], start: number, end: number): boolean {
  return placeholders.some((span) => start < span.end && span.start < Math.max(end, start + 1));
}
