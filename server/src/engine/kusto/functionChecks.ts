import { FunctionDefinition, FunctionParameter, parameterListText } from '../schema/functions';
import { Environment } from '../schema/types';
import { LoadProblem } from '../util/problems';
import { parseParameters } from './functionSymbols';
import { errorMessage, KustoLanguage, KustoObject, toArray } from './loadKusto';

// Checks of the user's functions with Kusto.Language itself. Their parameter lists are parsed
// into parameters for hovers. Each function is compiled once as a `let`, so an error in its
// parameters or body is reported at load; at a call, Kusto.Language would not report it.

function toParameter(parameter: KustoObject): FunctionParameter {
  const display: string = toArray(parameter.DeclaredTypes)[0]?.Display ?? '';
  return {
    name: parameter.Name,
    type: display === '' ? '(*)' : display,
    default: parameter.DefaultValue ? String(parameter.DefaultValue.ToString()).trim() : undefined,
  };
}

/** Fills `parameters` from the KQL parameter list; returns undefined when the list does not parse. */
export function resolveFunction(kusto: KustoLanguage, definition: FunctionDefinition, problems: LoadProblem[]): FunctionDefinition | undefined {
  if (definition.parameterList === undefined) return definition;
  try {
    return { ...definition, parameters: parseParameters(kusto, definition).map(toParameter) };
  } catch (error) {
    problems.push({ file: definition.source, line: definition.line, value: definition.parameterList, severity: 'error', message: `Function '${definition.name}' has parameters Kusto cannot read (${errorMessage(error)}); skipped.` });
    return undefined;
  }
}

/** The query that declares a function as a `let`, and where its body starts. */
function declaration(definition: FunctionDefinition): { text: string; bodyStart: number } {
  const parameters = definition.parameterList ?? parameterListText(definition.parameters);
  const body = definition.output.kind === 'body' ? definition.output.body : 'print Checked = true';
  const head = `let ${definition.name} = ${parameters} {\n`;
  return { text: `${head}${body}\n};\nprint Declared = true`, bodyStart: head.length };
}

/** Errors Kusto.Language finds in each user function's parameters or body. */
export function checkFunctions(kusto: KustoLanguage, functions: readonly FunctionDefinition[], globals: (environment: Environment) => KustoObject): LoadProblem[] {
  const problems: LoadProblem[] = [];
  for (const definition of functions) {
    const { text, bodyStart } = declaration(definition);
    const code = kusto.KustoCode.ParseAndAnalyze(text, globals(definition.environments[0] ?? 'sentinel'));
    // The first error is the cause; the ones after it mostly follow from it.
    const error = toArray(code.GetDiagnostics()).find((diagnostic: KustoObject) => diagnostic.Severity === 'Error');
    if (error) {
      const near = text.slice(error.Start, error.Start + Math.max(error.Length, 1)).trim();
      problems.push({
        file: definition.source,
        functionName: definition.name,
        // A JSON string puts the whole body on one line of the file, so the body's line is as close as it gets.
        line: error.Start >= bodyStart ? (definition.bodyLine ?? definition.line) : definition.line,
        value: near,
        severity: 'warning',
        message: `Function '${definition.name}': ${error.Message}${near ? ` (at '${near}')` : ''}`,
      });
    }
  }
  return problems;
}
