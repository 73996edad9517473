import { TextDocument } from 'vscode-languageserver-textdocument';
import { Position, Range, SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver-types';
import { HuntEngine } from './engine';
import { ClassificationKind } from './kusto/types';
import { Settings } from './settings';

// Semantic tokens from Kusto.Language's classifications, so that a theme colours a name by
// what it resolves to (table, column, function, `let` variable) rather than by its spelling.
// Only standard LSP token types are used, so every theme already has colours for them.

const TOKEN_TYPES = ['comment', 'string', 'number', 'keyword', 'operator', 'type', 'class', 'property', 'function', 'parameter', 'variable', 'namespace', 'macro', 'enumMember'] as const;
type TokenType = (typeof TOKEN_TYPES)[number];

export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [] };

/**
 * The token type of each classification. Punctuation, plain text and unresolved identifiers get
 * none, so the TextMate grammar's colouring stays for them.
 */
export const TOKEN_TYPE_OF: Record<ClassificationKind, TokenType | undefined> = {
  PlainText: undefined,
  Punctuation: undefined,
  Identifier: undefined,
  Comment: 'comment',
  Directive: 'macro',
  Literal: 'number',
  StringLiteral: 'string',
  Type: 'type',
  Column: 'property',
  SchemaMember: 'property',
  Table: 'class',
  MaterializedView: 'class',
  Database: 'namespace',
  Function: 'function',
  Parameter: 'parameter',
  ClientParameter: 'parameter',
  QueryParameter: 'parameter',
  SignatureParameter: 'parameter',
  Variable: 'variable',
  ScalarOperator: 'operator',
  MathOperator: 'operator',
  QueryOperator: 'keyword',
  Command: 'keyword',
  Keyword: 'keyword',
  Option: 'enumMember',
};

/** One token on one line, before the LSP's relative encoding. */
export interface LineToken {
  line: number;
  character: number;
  length: number;
  type: TokenType;
}

function lineEnd(document: TextDocument, line: number): number {
  const text = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  return text.replace(/\r?\n$|\r$/, '').length;
}

/** Splits a span into one token per line, because VS Code does not accept multi-line tokens. */
function lineTokens(document: TextDocument, start: Position, end: Position, type: TokenType): LineToken[] {
  const tokens: LineToken[] = [];
  for (let line = start.line; line <= end.line; line++) {
    const first = line === start.line ? start.character : 0;
    const last = line === end.line ? end.character : lineEnd(document, line);
    if (last > first) tokens.push({ line, character: first, length: last - first, type });
  }
  return tokens;
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** Encodes tokens, sorted by position, as the LSP's five-integers-per-token relative format. */
export function encodeTokens(tokens: readonly LineToken[]): SemanticTokens {
  const data: number[] = [];
  let previousLine = 0;
  let previousCharacter = 0;
  for (const token of tokens) {
    const deltaLine = token.line - previousLine;
    const deltaCharacter = deltaLine === 0 ? token.character - previousCharacter : token.character;
    data.push(deltaLine, deltaCharacter, token.length, TOKEN_TYPES.indexOf(token.type), 0);
    previousLine = token.line;
    previousCharacter = token.character;
  }
  return { data };
}

/**
 * Returns the classified tokens of a document, or of the blocks that overlap `range`, in
 * document order. Blocks are classified one by one in the worker, and each result is cached by text.
 */
export async function documentTokens(engine: HuntEngine, document: TextDocument, settings: Settings, range?: Range): Promise<LineToken[]> {
  const rangeStart = range ? document.offsetAt(range.start) : 0;
  const rangeEnd = range ? document.offsetAt(range.end) : Number.MAX_SAFE_INTEGER;
  // A .kql document is one region; the engine's plan follows edits without splitting the whole text.
  const plans = (engine.planDocument(document, settings).regions[0]?.plans ?? [])
    .slice(0, settings.analysis.maxBlocks)
    .filter((plan) => plan.block.end >= rangeStart && plan.block.start <= rangeEnd)
    .filter((plan) => plan.block.text.length <= settings.analysis.maxBlockLength && plan.block.maxDepth <= settings.analysis.maxNestingDepth);

  const tokens: LineToken[] = [];
  for (const plan of plans) {
    let spans;
    try {
      spans = await engine.classifyBlock(plan.block, plan.environmentRequest, { priority: 'interactive' });
    } catch (error) {
      // The block keeps its TextMate colours; its analysis reports the timeout or failure.
      engine.logger.debug(`Classifying the block at line ${plan.block.startLine + 1} failed: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    for (const span of spans) {
      const type = TOKEN_TYPE_OF[span.kind];
      if (!type) continue;
      const start = document.positionAt(plan.block.start + span.start);
      const end = document.positionAt(plan.block.start + span.end);
      if (range && (before(end, range.start) || before(range.end, start))) continue;
      tokens.push(...lineTokens(document, start, end, type));
    }
  }
  return tokens;
}

export async function semanticTokens(engine: HuntEngine, document: TextDocument, settings: Settings, range?: Range): Promise<SemanticTokens> {
  return encodeTokens(await documentTokens(engine, document, settings, range));
}
