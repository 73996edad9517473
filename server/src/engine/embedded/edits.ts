import { extractSource, ContainerKind } from './sources';
import { applyKqlEdits, DocumentEdit, EmbeddedSource, KqlEdit } from './types';

function applyDocumentEdits(text: string, edits: readonly DocumentEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

/**
 * Document edits that apply KQL `edits` to region `regionIndex` of a document, or undefined
 * when no candidate edit extracts back to the expected KQL (the container would be broken).
 * Every candidate is checked by parsing the edited document again.
 */
export function encodeRegionEdits(
  kind: ContainerKind,
  documentText: string,
  source: EmbeddedSource,
  regionIndex: number,
  edits: readonly KqlEdit[],
): DocumentEdit[] | undefined {
  const region = source.regions[regionIndex];
  if (!region) return undefined;
  if (kind === 'kql') return edits.map((edit) => ({ ...region.map.toDocumentRange(edit.start, edit.end), newText: edit.newText }));

  const expected = applyKqlEdits(region.value, edits);
  for (const candidate of region.encodeEdits(documentText, edits)) {
    const edited = extractSource(kind, applyDocumentEdits(documentText, candidate), Number.MAX_SAFE_INTEGER);
    const problems = edited.problems.length > source.problems.length;
    if (!problems && edited.regions.length === source.regions.length && edited.regions[regionIndex]?.value === expected) return candidate;
  }
  return undefined;
}
