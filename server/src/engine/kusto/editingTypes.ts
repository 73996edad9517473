import { EnvironmentRequest, TextSpan } from './types';

// Plain data for the editing features (outline, folding, navigation, rename, signature help,
// formatting, selection ranges) that crosses the worker boundary. Offsets are relative to the
// block's text, like every other worker result.

/** One `let` statement, with the `let` statements of its function body as children. */
export interface LetDeclaration extends TextSpan {
  name: string;
  nameSpan: TextSpan;
  kind: 'function' | 'value';
  children: LetDeclaration[];
}

/** The syntax facts of one block that the outline, folding and workspace symbols need. */
export interface BlockStructure {
  lets: LetDeclaration[];
  /** The name the block's query starts from (usually its table), found from syntax alone. */
  source: (TextSpan & { name: string }) | null;
  /** Pipe stages, statements and bracketed bodies that span more than one line. */
  folds: TextSpan[];
}

export type RelatedKind = 'declaration' | 'reference';

export interface RelatedName extends TextSpan {
  kind: RelatedKind;
}

/** The declaration and references of the name at a position, as Kusto.Language binds them. */
export interface RelatedNames {
  name: string;
  /** Span of the name at the requested position. */
  span: TextSpan;
  elements: RelatedName[];
  /** What the name refers to when it is declared outside the block (a table column, a table, a function). */
  declaredOutside?: string;
}

export interface RenameEdit extends TextSpan {
  newText: string;
}

export type RenamePlan =
  | { ok: true; edits: RenameEdit[] }
  | { ok: false; message: string; /** Offset of the declaration the new name collides with. */ conflictOffset?: number };

export interface SignatureParameter {
  /** Start and end of the parameter's text inside the signature's label. */
  label: [number, number];
  documentation?: string;
}

export interface SignatureEntry {
  label: string;
  documentation?: string;
  parameters: SignatureParameter[];
}

export interface SignatureHelpResult {
  signatures: SignatureEntry[];
  activeSignature: number;
  activeParameter: number;
}

/** Where the formatter puts `|`: a new line per operator, Kusto's own choice, or where it is. */
export type PipePlacement = 'newLine' | 'smart' | 'asIs';

export interface FormatOptions {
  indentationSize: number;
  pipePlacement: PipePlacement;
}

export type FormatResult = { ok: true; text: string } | { ok: false; reason: string; offset?: number };

/** Requests the worker serves for the editing features. */
export type EditingRequest =
  | { method: 'structure'; text: string }
  | { method: 'related'; text: string; environment: EnvironmentRequest; offset: number }
  | { method: 'rename'; text: string; environment: EnvironmentRequest; offset: number; newName: string }
  | { method: 'signatureHelp'; text: string; environment: EnvironmentRequest; offset: number }
  | { method: 'format'; text: string; options: FormatOptions }
  | { method: 'selectionRanges'; text: string; offsets: number[] };
