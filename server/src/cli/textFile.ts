// Reads a query file the way an editor would: UTF-8 with or without a byte order mark, and
// UTF-16 (what Windows PowerShell 5.1 writes with `>`) by its byte order mark. A file that still
// holds NUL bytes or invalid UTF-8 after that is binary, and is reported once instead of being
// parsed into hundreds of errors.

export type TextFileResult = { text: string } | { problem: string };

/** Share of U+FFFD replacement characters above which a UTF-8 decode counts as binary. */
const REPLACEMENT_LIMIT = 0.01;

export function decodeTextFile(bytes: Buffer): TextFileResult {
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  else text = new TextDecoder('utf-8').decode(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes);

  if (text.includes('\u0000')) return { problem: 'This file holds NUL bytes, so it is binary or UTF-16 without a byte order mark; save it as UTF-8 text.' };
  const replacements = text.length === 0 ? 0 : (text.match(/\uFFFD/g)?.length ?? 0) / text.length;
  if (replacements > REPLACEMENT_LIMIT) return { problem: 'This file is not valid UTF-8 text (it looks binary); save it as UTF-8.' };
  return { text };
}
