import { RelatedName, RelatedNames, RenameEdit, RenamePlan } from './editingTypes';
import { KustoObject, toArray } from './loadKusto';
import { SyntaxTree } from './syntax';
import { TextSpan } from './types';

// Declarations, references and rename of the names a hunt declares (`let` names, function
// parameters, columns made by extend, project, summarize and the like). Kusto.Language's binder
// decides what refers to what, so shadowing in nested `let` scopes follows Kusto's own rules.

const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Analyses a changed text the same way as the original, for checking a rename. */
export type Reanalyze = (text: string) => KustoObject;

export class NameResolver {
  constructor(private readonly syntax: SyntaxTree) {}

  private get kusto(): KustoObject {
    return this.syntax.kusto;
  }

  related(code: KustoObject, offset: number): RelatedNames | null {
    const name = this.syntax.nameAt(code.Syntax, offset);
    if (!name) return null;
    const span = this.syntax.span(name);
    const service = new this.kusto.Editor.KustoCodeService.ctor(code);
    const info = service.GetRelatedElements(span.start, this.kusto.Editor.FindRelatedOptions.None);

    const kinds = this.kusto.Editor.RelatedElementKind;
    const elements: RelatedName[] = [];
    for (const element of toArray(info?.Elements)) {
      if (element.Kind !== kinds.Declaration && element.Kind !== kinds.Reference) continue;
      elements.push({ kind: element.Kind === kinds.Declaration ? 'declaration' : 'reference', start: element.Start, end: element.Start + element.Length });
    }
    // Kusto returns nothing for a name used only once; it is still its own declaration or reference.
    if (elements.length === 0) elements.push({ kind: this.syntax.kindOf(name) === 'NameDeclaration' ? 'declaration' : 'reference', ...span });

    const result: RelatedNames = { name: this.syntax.simpleName(name), span, elements };
    if (!elements.some((element) => element.kind === 'declaration')) result.declaredOutside = this.describeExternal(code, name);
    return result;
  }

  /** Describes what an undeclared name refers to, for the message that it cannot be renamed. */
  private describeExternal(code: KustoObject, name: KustoObject): string {
    const Bridge = (globalThis as KustoObject).Bridge;
    const symbols = this.kusto.Symbols;
    const holder = this.syntax.kindOf(name) === 'NameReference' ? name : name.Parent;
    const symbol = holder?.ReferencedSymbol;
    if (!symbol) return 'not a name this hunt declares';
    if (Bridge.is(symbol, symbols.ColumnSymbol)) return 'a column of the table the query reads';
    if (Bridge.is(symbol, symbols.TableSymbol)) return 'a table of the catalog';
    if (Bridge.is(symbol, symbols.FunctionSymbol)) return code.Globals?.Database?.GetFunction?.(symbol.Name) ? 'a function of the catalog' : 'a built-in function';
    return 'declared outside this hunt';
  }

  /** Plans the edits that rename the name at `offset`, or returns why the rename is rejected. */
  rename(code: KustoObject, text: string, offset: number, requested: string, reanalyze: Reanalyze): RenamePlan {
    const related = this.related(code, offset);
    if (!related) return { ok: false, message: 'Place the cursor on a name to rename it.' };
    if (related.declaredOutside) {
      return { ok: false, message: `'${related.name}' is ${related.declaredOutside}, not declared in this hunt, so it cannot be renamed here.` };
    }
    const spelledElsewhere = related.elements.find((element) => this.syntax.simpleName(this.syntax.nameAt(code.Syntax, element.start) ?? {}) !== related.name);
    if (spelledElsewhere) {
      return { ok: false, message: `'${related.name}' is a name Kusto derives from an expression; name the column in the query first (for example \`${related.name} = ...\`), then rename it.` };
    }

    const written = this.writtenName(requested);
    if ('message' in written) return { ok: false, message: written.message };
    if (written.name === related.name) return { ok: true, edits: [] };

    const collision = this.findVisibleName(code, related, written.name);
    if (collision) return collision;

    const edits = related.elements.map((element): RenameEdit => ({ start: element.start, end: element.end, newText: written.text })).sort((a, b) => a.start - b.start);
    const problem = this.verify(code, applyEdits(text, edits), related, written.name, edits, reanalyze);
    return problem ?? { ok: true, edits };
  }

  /** Spells a new name as Kusto needs it: plain when it is an identifier, otherwise as `['...']`. */
  writtenName(requested: string): { name: string; text: string } | { message: string } {
    const name = unbracket(requested.trim());
    if (name === '') return { message: 'The new name is empty; type a name such as total_bytes.' };
    if (/[\u0000-\u001f\u007f]/.test(name)) return { message: `The new name ${JSON.stringify(name)} contains a line break or control character, which a Kusto name cannot hold.` };

    const facts = this.kusto.Syntax.SyntaxFacts;
    const plain = PLAIN_IDENTIFIER.test(name) && (!facts.IsKeyword$1(name) || facts.IsKeywordThatCanBeIdentifier(name));
    if (plain) return { name, text: name };
    const quote = name.includes("'") && !name.includes('"') ? '"' : "'";
    const escaped = name.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`);
    return { name, text: `[${quote}${escaped}${quote}]` };
  }

  /** Rejects a new name that another symbol already uses where the renamed name appears. */
  private findVisibleName(code: KustoObject, related: RelatedNames, newName: string): RenamePlan | undefined {
    for (const element of related.elements) {
      const visible = toArray(code.GetSymbolsInScope(element.start)).find((symbol: KustoObject) => symbol.Name === newName);
      if (!visible) continue;
      const conflictOffset = this.declarationOf(code, newName);
      const where = element.kind === 'declaration' ? 'declared' : 'used';
      return { ok: false, message: `Cannot rename '${related.name}' to '${newName}' because ${describeSymbol(this.kusto, visible, newName)} is already in scope where '${related.name}' is ${where}.`, conflictOffset };
    }
    return undefined;
  }

  /** First declaration of `name` in the block, for pointing at a collision. */
  private declarationOf(code: KustoObject, name: string): number | undefined {
    let found: number | undefined;
    this.syntax.walk(code.Syntax, (node) => {
      if (found === undefined && this.syntax.kindOf(node) === 'NameDeclaration' && this.syntax.simpleName(node) === name) found = node.TextStart;
    });
    return found;
  }

  /**
   * Re-analyses the renamed text and rejects the rename when it adds an error, when the renamed
   * name no longer binds to exactly its old places, or when another name is captured by it.
   */
  private verify(code: KustoObject, renamedText: string, related: RelatedNames, newName: string, edits: RenameEdit[], reanalyze: Reanalyze): RenamePlan | undefined {
    const renamed = reanalyze(renamedText);
    const before = errorMessages(code);
    const added = errorMessages(renamed).filter((message) => !before.includes(message));
    if (added.length > 0) return { ok: false, message: `Renaming '${related.name}' to '${newName}' would make the query invalid: ${added[0]}` };

    const shift = (offset: number): number => mapOffset(offset, edits);
    const expected = related.elements.map((element) => shift(element.start));
    if (!sameOffsets(this.related(renamed, expected[0])?.elements, expected)) {
      return { ok: false, message: `Renaming '${related.name}' to '${newName}' would change which declaration its uses refer to; choose another name.` };
    }

    const others = this.namesSpelled(code, newName);
    for (const other of others) {
      const otherBefore = this.related(code, other.start)?.elements.map((element) => shift(element.start));
      if (!otherBefore || sameOffsets(this.related(renamed, shift(other.start))?.elements, otherBefore)) continue;
      return { ok: false, message: `Cannot rename '${related.name}' to '${newName}': the existing '${newName}' would then refer to the renamed name.`, conflictOffset: other.start };
    }
    return undefined;
  }

  private namesSpelled(code: KustoObject, name: string): TextSpan[] {
    const spans: TextSpan[] = [];
    this.syntax.walk(code.Syntax, (node) => {
      const kind = this.syntax.kindOf(node);
      if ((kind === 'NameReference' || kind === 'NameDeclaration') && this.syntax.simpleName(node) === name) spans.push(this.syntax.span(node));
    });
    return spans;
  }
}

/** `['a b']` or `["a b"]` typed as a new name means the name inside. */
function unbracket(text: string): string {
  const match = /^\[\s*(['"])(.*)\1\s*\]$/s.exec(text);
  if (!match) return text;
  return match[2].replace(/\\(.)/g, '$1');
}

function describeSymbol(kusto: KustoObject, symbol: KustoObject, name: string): string {
  const Bridge = (globalThis as KustoObject).Bridge;
  const symbols = kusto.Symbols;
  if (Bridge.is(symbol, symbols.ColumnSymbol)) return `a column named '${name}'`;
  if (Bridge.is(symbol, symbols.TableSymbol)) return `a table named '${name}'`;
  if (Bridge.is(symbol, symbols.FunctionSymbol)) return `a function named '${name}'`;
  if (Bridge.is(symbol, symbols.ParameterSymbol)) return `a parameter named '${name}'`;
  return `a name '${name}'`;
}

function errorMessages(code: KustoObject): string[] {
  return toArray(code.GetDiagnostics())
    .filter((diagnostic: KustoObject) => diagnostic.Severity === 'Error')
    .map((diagnostic: KustoObject) => `${diagnostic.Code} ${diagnostic.Message}`);
}

export function applyEdits(text: string, edits: readonly RenameEdit[]): string {
  let result = '';
  let last = 0;
  for (const edit of edits) {
    result += text.slice(last, edit.start) + edit.newText;
    last = edit.end;
  }
  return result + text.slice(last);
}

/** Maps an offset of the old text to where it lands after `edits` (sorted, not overlapping). */
function mapOffset(offset: number, edits: readonly RenameEdit[]): number {
  let delta = 0;
  for (const edit of edits) {
    if (edit.start >= offset) break;
    delta += edit.newText.length - (edit.end - edit.start);
  }
  return offset + delta;
}

function sameOffsets(elements: RelatedName[] | undefined, expected: number[]): boolean {
  if (!elements) return false;
  const actual = elements.map((element) => element.start).sort((a, b) => a - b);
  const sortedExpected = [...expected].sort((a, b) => a - b);
  return actual.length === sortedExpected.length && actual.every((value, index) => value === sortedExpected[index]);
}
