import { Catalog } from '../schema/catalog';
import { Environment } from '../schema/types';
import { KustoLanguage, KustoObject, toArray } from './loadKusto';

// Defender XDR's enrichment functions take the column to work on as a bare name:
// `| invoke FileProfile(SHA1, 1000)`. Kusto.Language binds `invoke` arguments outside the row
// scope of the piped table, so it reports such a name as unknown (KS142). These helpers find
// the arguments that name a column of the piped table, whose KS142 is therefore false.

let kindNames: Record<number, string> | undefined;

/** Returns the names of Kusto's syntax kinds by value, built once because the enum has hundreds of entries. */
export function syntaxKindNames(kusto: KustoLanguage): Record<number, string> {
  if (kindNames) return kindNames;
  const names: Record<number, string> = {};
  for (const [name, value] of Object.entries(kusto.Syntax.SyntaxKind)) if (typeof value === 'number') names[value] = name;
  kindNames = names;
  return names;
}

/** Start offsets of `invoke` arguments that name a column of the invoked function's input. */
export function columnArgumentStarts(kusto: KustoLanguage, root: KustoObject, catalog: Catalog, environment: Environment): Set<number> {
  const starts = new Set<number>();
  const kinds = syntaxKindNames(kusto);
  const Bridge = (globalThis as KustoObject).Bridge;

  const visit = (node: KustoObject): void => {
    if (node.IsToken) return;
    if (kinds[node.Kind] === 'InvokeOperator') collect(node);
    for (let i = 0; i < node.ChildCount; i++) {
      const child = node.GetChild(i);
      if (child) visit(child);
    }
  };

  const collect = (invoke: KustoObject): void => {
    const call = invoke.Function;
    const name: string | undefined = call?.Name?.SimpleName;
    const definition = name ? catalog.function(name, environment) : undefined;
    if (!definition?.parameters.some((parameter) => parameter.columnArgument)) return;

    const input = invoke.Parent?.Expression?.ResultType;
    if (!input || !Bridge.is(input, kusto.Symbols.TableSymbol)) return;
    const columns = new Set(toArray(input.Columns).map((column: KustoObject) => column.Name as string));
    for (const element of toArray(call.ArgumentList?.Expressions)) {
      const argument = element.Element ?? element;
      if (kinds[argument.Kind] === 'NameReference' && columns.has(argument.SimpleName)) starts.add(argument.TextStart);
    }
  };

  visit(root);
  return starts;
}
