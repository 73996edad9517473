import { Catalog } from './schema/catalog';
import { FunctionDefinition, FunctionParameter } from './schema/functions';
import { ENVIRONMENT_LABELS } from './schema/types';
import { WATCHLIST_STANDARD_COLUMNS } from './schema/watchlists';

// Markdown about the catalog's functions for hovers and completion items: the signature with
// types and defaults, what the function returns, and each parameter's meaning.

const MAX_COLUMNS_SHOWN = 25;

/** The `invoke` input parameter of Defender XDR enrichment functions, which calls do not write. */
function isInvokeInput(parameter: FunctionParameter): boolean {
  return parameter.type.trim().startsWith('(');
}

export function functionSignature(definition: FunctionDefinition): string {
  const parameters = definition.parameters
    .filter((parameter) => !isInvokeInput(parameter))
    .map((parameter) => `${parameter.name}: ${parameter.type}${parameter.default === undefined ? '' : ` = ${parameter.default}`}`);
  const call = `${definition.name}(${parameters.join(', ')})`;
  return definition.parameters.some(isInvokeInput) ? `| invoke ${call}` : call;
}

function columnList(names: readonly string[]): string {
  const shown = names.slice(0, MAX_COLUMNS_SHOWN).map((name) => `\`${name}\``).join(', ');
  return names.length > MAX_COLUMNS_SHOWN ? `${shown} and ${names.length - MAX_COLUMNS_SHOWN} more` : shown;
}

function outputText(definition: FunctionDefinition, catalog: Catalog, alias: string | undefined): string {
  const output = definition.output;
  switch (output.kind) {
    case 'columns':
      return `Returns ${output.columns.length} columns: ${columnList(output.columns.map((column) => column.name))}.`;
    case 'input-plus':
      return `Returns the piped rows with ${columnList(output.columns.map((column) => column.name))}.`;
    case 'body':
      return 'Returns what its KQL body returns.';
    case 'workspace':
    case 'open-database':
      return '';
    case 'watchlist': {
      const watchlist = alias === undefined ? undefined : catalog.watchlist(alias);
      const standard = WATCHLIST_STANDARD_COLUMNS.map((column) => column.name);
      if (alias !== undefined && !watchlist) return `Watchlist '${alias}' is not declared in kqlHunt.schema.watchlists, so any column name is accepted, typed dynamic. Standard columns: ${columnList(standard)}.`;
      if (!watchlist) return `Standard columns: ${columnList(standard)}, plus the watchlist's own columns.`;
      return `Watchlist '${watchlist.alias}' (declared in ${watchlist.source}) returns ${columnList([...standard, ...watchlist.columns.map((column) => `${column.name}: ${column.type}`)])}.`;
    }
  }
}

/** Markdown for a function: signature, description, output, parameters, and where it is declared. */
export function describeFunction(definition: FunctionDefinition, catalog: Catalog, alias?: string): string {
  const lines = ['```kusto', functionSignature(definition), '```'];
  if (definition.description) lines.push(definition.description);
  const output = outputText(definition, catalog, alias);
  if (output) lines.push('', output);

  const documented = definition.parameters.filter((parameter) => !isInvokeInput(parameter));
  if (documented.length > 0) {
    lines.push('', 'Parameters:');
    for (const parameter of documented) {
      const optional = parameter.default === undefined ? '' : ` (optional, default \`${parameter.default}\`)`;
      lines.push(`- \`${parameter.name}\`: ${parameter.type}${optional}${parameter.description ? `. ${parameter.description}` : ''}`);
    }
  }
  const environments = definition.environments.map((environment) => ENVIRONMENT_LABELS[environment]).join(' and ');
  lines.push('', `In ${environments}; ${definition.source === 'built-in' ? 'built in' : `declared in ${definition.source}`}.`);
  return lines.join('\n');
}
