import { TableDefinition } from '../schema/customTables';
import { FunctionDefinition } from '../schema/functions';
import { Environment } from '../schema/types';
import { EditingRequest } from './editingTypes';
import { WatchlistDefinition } from '../schema/watchlists';
import { LoadProblem } from '../util/problems';

// Plain data that crosses the worker boundary. Offsets are UTF-16 code units relative to the
// start of the block's text, the unit Kusto.Language, JavaScript strings and LSP all use.

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface TextSpan {
  start: number;
  end: number;
}

export interface KustoDiagnostic extends TextSpan {
  code: string;
  message: string;
  severity: Severity;
  /** A close known name, for the "did you mean" quick fix. */
  suggestion?: string;
}

export interface TableReference extends TextSpan {
  name: string;
  /**
   * A `_CL` table in no catalog: the block was analysed with an open stand-in for it, so that
   * its columns raise no errors, and the `unknown-custom-table` rule reports it once.
   */
  unknownCustom?: boolean;
}

/** A reference to a time column name (TimeGenerated or Timestamp), resolved or not. */
export interface TimeColumnReference extends TextSpan {
  name: string;
  /** Whether the name resolved to a column in the block's environment. */
  resolved: boolean;
  /** Whether the block itself declares a column or variable of this name (`extend Timestamp = TimeGenerated`). */
  declaredInBlock: boolean;
}

/** A call of a catalog function (built-in or the user's), with the span of its name. */
export interface FunctionReference extends TextSpan {
  name: string;
  /** The first argument when it is a string literal, such as a watchlist alias. */
  firstStringArgument?: string;
}

export interface StringLiteral extends TextSpan {
  value: string;
  /** The literal as written, with its quotes and prefix (`@`, `h`). */
  raw: string;
}

export interface ListLiteral extends TextSpan {
  kind: 'dynamic' | 'in' | 'has_any' | 'has_all';
  items: StringLiteral[];
  /** Name of the `let` the list is bound to, when it is bound to one. */
  letName?: string;
  /** Span of the brackets' contents, where new items go. */
  inner: TextSpan;
}

/** One comparison inside a `where`, with whether it sits under an odd number of negations. */
export interface PredicateTest extends TextSpan {
  column?: string;
  operator: string;
  negated: boolean;
  values: string[];
  /** Whole-number operands (`RemotePort in (8082, 8083)`), for checks of port tests. */
  numbers?: number[];
}

/** One `| operator` of the block's query, with the columns that leave it. */
export interface PipeStage extends TextSpan {
  operator: string;
  columns: string[] | null;
}

export interface QueryShape {
  /** The expression the pipes start from, usually a table name. */
  source: TextSpan & { columns: string[] | null };
  stages: PipeStage[];
}

export interface LetBinding extends TextSpan {
  name: string;
}

export interface BlockSummary {
  tables: TableReference[];
  strings: StringLiteral[];
  lists: ListLiteral[];
  tests: PredicateTest[];
  lets: LetBinding[];
  query: QueryShape | null;
  outputColumns: string[] | null;
  columnsReferenced: string[];
  timeColumns: TimeColumnReference[];
  functions: FunctionReference[];
}

export interface BlockAnalysis {
  environment: Environment;
  /** Why the environment was chosen, for hovers ("setting", "uses Timestamp on DeviceNetworkEvents"). */
  environmentReason: string;
  diagnostics: KustoDiagnostic[];
  summary: BlockSummary;
}

export interface CompletionEntry {
  label: string;
  kind: string;
  insertText: string;
  /** Text placed after the cursor, such as a closing parenthesis. */
  afterText: string;
  sortText: string;
  detail?: string;
}

export interface CompletionResult {
  editStart: number;
  editLength: number;
  items: CompletionEntry[];
  /** True when more items matched than the cap allowed. */
  incomplete: boolean;
}

export interface QuickInfoResult {
  text: string;
}

export type EnvironmentRequest = Environment | 'auto';

/** Kusto.Language's `ClassificationKind` names, as the worker sends them. */
export type ClassificationKind =
  | 'PlainText'
  | 'Comment'
  | 'Punctuation'
  | 'Directive'
  | 'Literal'
  | 'StringLiteral'
  | 'Type'
  | 'Column'
  | 'Table'
  | 'Database'
  | 'Function'
  | 'Parameter'
  | 'Variable'
  | 'Identifier'
  | 'ClientParameter'
  | 'QueryParameter'
  | 'ScalarOperator'
  | 'MathOperator'
  | 'QueryOperator'
  | 'Command'
  | 'Keyword'
  | 'MaterializedView'
  | 'SchemaMember'
  | 'SignatureParameter'
  | 'Option';

/** One classified range of a block, such as a table name or a column reference. */
export interface ClassifiedSpan extends TextSpan {
  kind: ClassificationKind;
}

/** Requests the worker serves. */
export type WorkerRequest =
  | { method: 'analyze'; text: string; environment: EnvironmentRequest }
  | { method: 'complete'; text: string; environment: EnvironmentRequest; offset: number; maxItems: number }
  | { method: 'quickInfo'; text: string; environment: EnvironmentRequest; offset: number }
  | { method: 'classify'; text: string; environment: EnvironmentRequest }
  | { method: 'setSchema'; schema: SchemaPayload }
  | EditingRequest;

/** The user's schema as it crosses to the worker. */
export interface SchemaPayload {
  tables: TableDefinition[];
  functions: FunctionDefinition[];
  watchlists: WatchlistDefinition[];
}

/** The worker's reply to `setSchema`: the functions with their parameter lists resolved, and problems found in them. */
export interface SchemaResult {
  functions: FunctionDefinition[];
  problems: LoadProblem[];
}

export type WorkerMessage = { id: number } & WorkerRequest;

export type WorkerReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** The environment reason of a block whose environment was requested, not chosen by its names. */
export const REQUESTED_ENVIRONMENT_REASON = 'setting or directive';
