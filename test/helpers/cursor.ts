/** The marker tests put in query text where the cursor or a position of interest is. */
export const CURSOR = '‸';

/** Removes the cursor marker and returns the text and the marker's offset. */
export function withCursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf(CURSOR);
  if (offset === -1) throw new Error(`Test text has no cursor marker ${CURSOR}: ${marked}`);
  return { text: marked.slice(0, offset) + marked.slice(offset + CURSOR.length), offset };
}

/** The 0-based line and character of an offset. */
export function positionOf(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** Removes every cursor marker and returns the text and the markers' offsets, in order. */
export function withCursors(marked: string): { text: string; offsets: number[] } {
  const parts = marked.split(CURSOR);
  if (parts.length < 2) throw new Error(`Test text has no cursor marker ${CURSOR}: ${marked}`);
  const offsets: number[] = [];
  let text = '';
  for (const part of parts.slice(0, -1)) {
    text += part;
    offsets.push(text.length);
  }
  return { text: text + parts[parts.length - 1], offsets };
}
