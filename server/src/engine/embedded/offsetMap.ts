// Maps offsets in an embedded query's KQL text to offsets in the document that contains it. The
// KQL text is what a YAML or Markdown parser resolved (escapes decoded, indentation removed,
// lines folded); the map says which document characters produced each KQL character.

/**
 * A run of KQL characters and the document span that produced them. In an identity run each
 * KQL character is the document character at the same distance from the run's start; any other
 * run (an escape sequence, a folded line break) maps all its KQL characters to its whole span.
 */
interface Run {
  kqlStart: number;
  kqlLength: number;
  docStart: number;
  docLength: number;
  identity: boolean;
}

/** One piece of a scalar's or fence's source, as the parser read it. */
export type SourceUnit =
  /** A character that stands for itself; whitespace may have been dropped (trailing spaces of a folded line). */
  | { kind: 'char'; docOffset: number; char: string }
  /** Source text that resolves to exactly `output` (`\"`, `\x41`, `''`, an escaped line break). */
  | { kind: 'escape'; docStart: number; docEnd: number; output: string }
  /** A line break and the indentation after it: resolves to nothing, a space or a line feed. */
  | { kind: 'break'; docStart: number; docEnd: number };

export class OffsetMap {
  private constructor(
    private readonly runs: readonly Run[],
    /** Length of the KQL text. */
    readonly length: number,
    /** Document span of the whole region, for offsets outside every run. */
    readonly docStart: number,
    readonly docEnd: number,
    /** False when the positions are only approximate (the source could not be aligned). */
    readonly exact: boolean,
  ) {}

  /** The map of text copied unchanged from `docStart`. */
  static identity(docStart: number, length: number): OffsetMap {
    return new OffsetMap([{ kqlStart: 0, kqlLength: length, docStart, docLength: length, identity: true }], length, docStart, docStart + length, true);
  }

  /** A map that sends every KQL offset to the whole region, for sources that could not be aligned. */
  static coarse(docStart: number, docEnd: number, length: number): OffsetMap {
    return new OffsetMap([{ kqlStart: 0, kqlLength: length, docStart, docLength: docEnd - docStart, identity: false }], length, docStart, docEnd, false);
  }

  /**
   * Aligns the resolved `value` with the source units that produced it, or returns undefined
   * when they do not agree (the caller then falls back to a coarse map). A line break may
   * resolve to nothing, a space or a line feed, and whitespace may have been dropped, so the
   * alignment is a search: it prefers consuming value characters and backtracks on a mismatch.
   */
  static align(units: readonly SourceUnit[], value: string, docStart: number, docEnd: number): OffsetMap | undefined {
    const path = alignmentPath(units, value);
    if (!path) return undefined;

    const builder = new RunBuilder();
    let position = 0;
    path.forEach((consumed, index) => {
      if (consumed === 0) return;
      const unit = units[index];
      if (unit.kind === 'char') builder.identity(position, unit.docOffset);
      else builder.span(position, consumed, unit.docStart, unit.docEnd);
      position += consumed;
    });
    // A final line feed the source does not spell out (a block scalar that ends the file).
    for (; position < value.length; position++) builder.span(position, 1, docEnd, docEnd);
    return new OffsetMap(builder.runs, value.length, docStart, docEnd, true);
  }

  /** Index of the run that contains KQL offset `offset`, or -1. */
  private runAt(offset: number): number {
    let low = 0;
    let high = this.runs.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const run = this.runs[middle];
      if (offset < run.kqlStart) high = middle - 1;
      else if (offset >= run.kqlStart + run.kqlLength) low = middle + 1;
      else return middle;
    }
    return -1;
  }

  /** Maps the KQL character at `offset` to the document offset where it starts. */
  toDocumentStart(offset: number): number {
    if (offset >= this.length) return this.toDocumentEnd(this.length);
    const run = this.runs[this.runAt(Math.max(0, offset))];
    if (!run) return this.docStart;
    return run.identity ? run.docStart + (offset - run.kqlStart) : run.docStart;
  }

  /** Maps an exclusive end `offset` to the document offset just past the KQL character before it. */
  toDocumentEnd(offset: number): number {
    if (offset <= 0) return this.toDocumentStart(0);
    const run = this.runs[this.runAt(Math.min(offset, this.length) - 1)];
    if (!run) return this.docEnd;
    return run.identity ? run.docStart + (Math.min(offset, this.length) - run.kqlStart) : run.docStart + run.docLength;
  }

  /** Maps the KQL span [start, end) to a document span. An empty span maps to an empty span. */
  toDocumentRange(start: number, end: number): { start: number; end: number } {
    const documentStart = this.toDocumentStart(start);
    if (end <= start) return { start: documentStart, end: documentStart };
    return { start: documentStart, end: Math.max(documentStart, this.toDocumentEnd(end)) };
  }

  /**
   * Maps a document offset to a KQL offset, or to undefined outside the region. An offset in text
   * that produced no KQL (indentation, a quote) maps to the next KQL character.
   */
  toKql(documentOffset: number): number | undefined {
    if (documentOffset < this.docStart || documentOffset > this.docEnd) return undefined;
    for (const run of this.runs) {
      const runEnd = run.docStart + run.docLength;
      if (documentOffset < run.docStart) return run.kqlStart;
      if (documentOffset < runEnd || (documentOffset === runEnd && run.identity)) {
        return run.identity ? run.kqlStart + (documentOffset - run.docStart) : run.kqlStart;
      }
    }
    return this.length;
  }
}

// Shared choice lists, because the search asks for one per unit and documents can have millions.
const ONE: readonly number[] = [1];
const ONE_OR_NONE: readonly number[] = [1, 0];
const NONE: readonly number[] = [0];
const IMPOSSIBLE: readonly number[] = [];

/** Lists how many value characters `unit` can consume at `position`, most preferred first. */
function choices(unit: SourceUnit, value: string, position: number): readonly number[] {
  const next = value[position];
  if (unit.kind === 'char') {
    const blank = unit.char === ' ' || unit.char === '\t';
    if (next === unit.char) return blank ? ONE_OR_NONE : ONE;
    return blank ? NONE : IMPOSSIBLE;
  }
  if (unit.kind === 'escape') return value.startsWith(unit.output, position) ? [unit.output.length] : IMPOSSIBLE;
  return next === '\n' || next === ' ' ? ONE_OR_NONE : NONE;
}

/**
 * For each unit, how many value characters it produced; undefined when no assignment works.
 * A depth-first search over typed arrays (a document can have millions of units), remembering
 * the states that failed so that no state is searched twice.
 */
function alignmentPath(units: readonly SourceUnit[], value: string): Int32Array | undefined {
  const failed = new Set<number>();
  const stateKey = (unit: number, position: number): number => unit * (value.length + 1) + position;
  const finished = (position: number): boolean => /^\n*$/.test(value.slice(position));
  // For the unit at each depth: the value position it starts at and the index of the choice taken.
  const positions = new Int32Array(units.length + 1);
  const taken = new Int8Array(units.length);
  const consumed = new Int32Array(units.length);
  let depth = 0;

  for (;;) {
    const position = positions[depth];
    if (depth === units.length) {
      if (finished(position)) return consumed;
    } else if (failed.size === 0 || !failed.has(stateKey(depth, position))) {
      const options = choices(units[depth], value, position);
      if (options.length > 0) {
        taken[depth] = 0;
        consumed[depth] = options[0];
        positions[depth + 1] = position + options[0];
        depth++;
        continue;
      }
      failed.add(stateKey(depth, position));
    }

    // Backtrack to the nearest unit with an untried choice.
    for (;;) {
      depth--;
      if (depth < 0) return undefined;
      const options = choices(units[depth], value, positions[depth]);
      if (taken[depth] + 1 < options.length) {
        taken[depth]++;
        consumed[depth] = options[taken[depth]];
        positions[depth + 1] = positions[depth] + consumed[depth];
        depth++;
        break;
      }
      failed.add(stateKey(depth, positions[depth]));
    }
  }
}

/** Collects runs, merging adjacent identity characters into one run. */
class RunBuilder {
  readonly runs: Run[] = [];

  identity(kqlOffset: number, docOffset: number): void {
    const last = this.runs[this.runs.length - 1];
    if (last?.identity && last.kqlStart + last.kqlLength === kqlOffset && last.docStart + last.docLength === docOffset) {
      last.kqlLength++;
      last.docLength++;
      return;
    }
    this.runs.push({ kqlStart: kqlOffset, kqlLength: 1, docStart: docOffset, docLength: 1, identity: true });
  }

  span(kqlOffset: number, kqlLength: number, docStart: number, docEnd: number): void {
    this.runs.push({ kqlStart: kqlOffset, kqlLength, docStart, docLength: docEnd - docStart, identity: false });
  }
}
