import { OffsetMap } from './offsetMap';
import { findPlaceholders } from './placeholders';
import { DocumentEdit, KqlEdit, KqlRegion } from './types';

export interface LineRegionOptions {
  value: string;
  map: OffsetMap;
  splitBlocks: boolean;
  /**
   * What a new line inside the region starts with in the document (a Markdown list's
   * indentation, a block quote's `> `), for the line that holds document offset `offset`.
   * Undefined when text is copied as is.
   */
  linePrefix?: (documentText: string, offset: number) => string;
}

function lineBreakOf(documentText: string): string {
  return documentText.includes('\r\n') ? '\r\n' : '\n';
}

/** Maps each KQL edit to the document, writing every new line with the container's line prefix. */
function mapEdits(options: LineRegionOptions, documentText: string, edits: readonly KqlEdit[]): DocumentEdit[] {
  const { map, linePrefix } = options;
  const lineBreak = lineBreakOf(documentText);
  return edits.map((edit) => {
    const range = map.toDocumentRange(edit.start, edit.end);
    if (!linePrefix) return { ...range, newText: edit.newText };
    const prefix = linePrefix(documentText, range.start);
    return { ...range, newText: edit.newText.replace(/\r\n|\n/g, `${lineBreak}${prefix}`) };
  });
}

/**
 * A region whose lines are document lines with a fixed prefix removed: a whole .kql file
 * (no prefix) or the body of a Markdown fence.
 */
export function lineRegion(options: LineRegionOptions): KqlRegion {
  const placeholders = findPlaceholders(options.value);
  return {
    value: options.value,
    text: placeholders.text,
    map: options.map,
    splitBlocks: options.splitBlocks,
    placeholders: placeholders.spans,
    encodeEdits: (documentText, edits) => (options.map.exact ? [mapEdits(options, documentText, edits)] : []),
    encodeInline: (text) => text,
  };
}

/** The region of a whole .kql document. */
export function kqlDocumentRegion(text: string): KqlRegion {
  return lineRegion({ value: text, map: OffsetMap.identity(0, text.length), splitBlocks: true });
}
