import { Diagnostic } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Block, resplitBlocks, SplitResult, splitWithStates } from './blocks';
import { BlockOutcome, BlockPlan, diagnosticAt, planBlocks, planSplitBlocks, toDiagnostic } from './documentAnalysis';
import { ContainerKind, containerKind, extractSource } from './embedded/sources';
import { EmbeddedSource, KqlRegion, regionEnvironment } from './embedded/types';
import { EnvironmentRequest } from './kusto/types';
import { Finding } from './rules/types';
import { EnvironmentSetting } from './schema/environment';
import { LruCache } from './util/lru';

// What the engine keeps per open document, so that an edit costs work in proportion to the edit
// and not to the document. It keeps the regions of the last text and each region's blocks with
// the scanner state at their starts, so the next text is split again only around the edit. It
// also keeps each block's findings and diagnostics, so unchanged blocks skip the rules and the
// position conversion.

/** The planned blocks of one KQL region of a document. */
export interface PlannedRegion {
  region: KqlRegion;
  regionIndex: number;
  plans: BlockPlan[];
}

export interface DocumentPlan {
  source: EmbeddedSource;
  regions: PlannedRegion[];
}

/** One block's analysis and findings, valid for its text, environment request and `validity`. */
export interface BlockResult {
  request: EnvironmentRequest;
  outcome: BlockOutcome;
  /** Kusto's diagnostics and the rules' findings after suppression comments, before placeholders. */
  findings: Finding[];
  /** The findings as diagnostics for a block whose first line is `startLine` (a .kql document). */
  diagnostics?: { startLine: number; list: Diagnostic[] };
}

interface DocumentState {
  text: string;
  kind: ContainerKind;
  maxFileSize: number;
  source: EmbeddedSource;
  splits: (SplitResult | undefined)[];
  plan?: { text: string; setting: EnvironmentSetting; source: EmbeddedSource; result: DocumentPlan };
  /** Block results by block text, from earlier analyses of the document. */
  results: Map<string, BlockResult>;
  /** The settings, data and clock the results were computed with. */
  validity: string;
}

export class DocumentCache {
  private readonly states: LruCache<string, DocumentState>;

  constructor(capacity = 100) {
    this.states = new LruCache(capacity);
  }

  forget(uri: string): void {
    this.states.delete(uri);
  }

  clear(): void {
    this.states.clear();
  }

  /** Returns the KQL regions of a document, extracted again only when its text changed. */
  source(document: TextDocument, maxFileSize: number): EmbeddedSource {
    const text = document.getText();
    const kind = containerKind(document.uri, document.languageId);
    const state = this.states.get(document.uri);
    if (state && state.text === text && state.kind === kind && state.maxFileSize === maxFileSize) return state.source;

    const source = extractSource(kind, text, maxFileSize);
    if (state) Object.assign(state, { text, kind, maxFileSize, source });
    else this.states.set(document.uri, { text, kind, maxFileSize, source, splits: [], results: new Map(), validity: '' });
    return source;
  }

  /** Plans the blocks of each region with their environment requests, splitting again only around edits. */
  plan(document: TextDocument, source: EmbeddedSource, setting: EnvironmentSetting): DocumentPlan {
    const text = document.getText();
    const state = this.stateFor(document, source);
    const last = state.plan;
    if (last && last.text === text && last.setting === setting && last.source === source) return last.result;

    const regions = source.regions.map((region, regionIndex): PlannedRegion => {
      const environment = regionEnvironment(region, setting);
      if (!region.splitBlocks) return { region, regionIndex, plans: planBlocks(region.text, environment, true) };
      const previous = state.splits[regionIndex];
      const split = previous ? resplitBlocks(previous, region.text) : splitWithStates(region.text);
      state.splits[regionIndex] = split;
      return { region, regionIndex, plans: planSplitBlocks(split.blocks, environment) };
    });
    state.splits.length = source.regions.length;
    const result = { source, regions };
    state.plan = { text, setting, source, result };
    return result;
  }

  /**
   * Returns the document's block results by block text for `validity`, emptied when it changed.
   * Results of blocks no longer in the document are dropped once they outnumber the current blocks.
   */
  results(uri: string, validity: string): Map<string, BlockResult> {
    const state = this.states.get(uri);
    if (!state) return new Map();
    if (state.validity !== validity) {
      state.results = new Map();
      state.validity = validity;
    }
    return state.results;
  }

  /** Drops the results of blocks that left the document, when they have piled up. */
  commit(uri: string, validity: string, results: Map<string, BlockResult>): void {
    const state = this.states.get(uri);
    if (!state || state.validity !== validity || state.results !== results) return;
    const blocks = state.plan?.result.regions.reduce((count, region) => count + region.plans.length, 0) ?? 0;
    if (results.size <= 2 * blocks + 64) return;
    const current = new Set(state.plan?.result.regions.flatMap((region) => region.plans.map((plan) => plan.block.text)));
    for (const text of results.keys()) if (!current.has(text)) results.delete(text);
  }

  private stateFor(document: TextDocument, source: EmbeddedSource): DocumentState {
    const existing = this.states.get(document.uri);
    if (existing) return existing;
    const state: DocumentState = {
      text: document.getText(),
      kind: containerKind(document.uri, document.languageId),
      maxFileSize: -1,
      source,
      splits: [],
      results: new Map(),
      validity: '',
    };
    this.states.set(document.uri, state);
    return state;
  }
}

/** Offsets of the line starts of a text, as TextDocument counts lines (`\r\n`, `\n`, `\r`). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (char === 13 && text.charCodeAt(index + 1) === 10) index++;
    if (char === 13 || char === 10) starts.push(index + 1);
  }
  return starts;
}

function positionIn(starts: readonly number[], offset: number): { line: number; character: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low, character: offset - starts[low] };
}

/**
 * The diagnostics of a block of a .kql document, whose region is the document itself. A block
 * starts at a line start, so a finding's position is its position in the block moved down by
 * the block's first line. The list is reused while the block stays on the same line, and it is
 * rebuilt without the document's line index when the block moves.
 */
export function blockDiagnostics(document: TextDocument, region: KqlRegion, block: Block, result: BlockResult): Diagnostic[] {
  if (result.diagnostics?.startLine === block.startLine) return result.diagnostics.list;
  const length = block.text.length;
  const inBlock = result.findings.every((finding) => finding.start >= 0 && finding.start <= finding.end && finding.end <= length);
  if (!inBlock) return result.findings.map((finding) => toDiagnostic(document, region, block, finding));

  const starts = lineStarts(block.text);
  const at = (offset: number): { line: number; character: number } => {
    const position = positionIn(starts, offset);
    return { line: position.line + block.startLine, character: position.character };
  };
  const list = result.findings.map((finding) => diagnosticAt({ start: at(finding.start), end: at(finding.end) }, finding));
  result.diagnostics = { startLine: block.startLine, list };
  return list;
}
