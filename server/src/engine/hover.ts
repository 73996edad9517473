import { TextDocument } from 'vscode-languageserver-textdocument';
import { Hover, MarkupKind, Position } from 'vscode-languageserver-types';
import { HuntEngine } from './engine';
import { describeFunction } from './functionDocs';
import { isOpenSchemaTable, suffixType } from './kusto/blockGlobals';
import { scenarioApplicability } from './hunts/exclusions';
import { TABLE_ROLES } from './hunts/tableRoles';
import { classifyIndicator } from './intel/classify';
import { isDefanged, refang } from './intel/defang';
import { FreshnessPolicy, freshnessPolicy, staleReason } from './intel/freshness';
import { BUILT_IN_ORIGIN } from './intel/intelFile';
import { IndicatorMatch } from './intel/store';
import { setName } from './intel/model';
import { BlockAnalysis, QuickInfoResult, TableReference, TextSpan } from './kusto/types';
import { connectorAdvice, tableConnectors } from './schema/dataConnectors';
import { ENVIRONMENT_LABELS, Environment, ENVIRONMENTS } from './schema/types';
import { unknownCustomTableMessage } from './rules/unknownCustomTable';
import { Settings } from './settings';

function contains(span: TextSpan, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
}

/** Markdown about a table: its size in each environment, the block's environment and the scenarios. */
export function describeTable(engine: HuntEngine, name: string, analysis: BlockAnalysis, settings: Settings): string {
  const lines: string[] = [];
  const environment = analysis.environment;
  const table = engine.catalog.table(name, environment);
  if (!table) {
    // Only the stand-ins for unknown custom tables resolve without a catalog entry.
    lines.push(`**${name}**: ${unknownCustomTableMessage(name)}`, `This block runs in ${ENVIRONMENT_LABELS[environment]} (${analysis.environmentReason}).`);
    return lines.join('\n');
  }
  lines.push(`**${name}**: ${table.columns.length} columns in ${ENVIRONMENT_LABELS[environment]}${table.source !== 'built-in' ? ` (from ${table.source})` : ''}.`);
  if (isOpenSchemaTable(name)) lines.push('Open schema: a column it does not list resolves by its type suffix (`_s` string, `_d` real, `_b` bool, `_g` guid, `_t` datetime).');

  const others = ENVIRONMENTS.filter((other: Environment) => other !== environment && engine.catalog.table(name, other));
  if (others.length > 0) lines.push(`Also in ${others.map((other) => `${ENVIRONMENT_LABELS[other]} (${engine.catalog.table(name, other)!.columns.length} columns)`).join(', ')}.`);
  lines.push(`This block runs in ${ENVIRONMENT_LABELS[environment]} (${analysis.environmentReason}).`);
  lines.push(...connectorLines(name));

  if (TABLE_ROLES[name]) {
    lines.push('', 'False-positive exclusions for indicator hunts on this table:');
    for (const applicability of scenarioApplicability(name, environment, engine.catalog, settings)) {
      const { scenario, reason } = applicability;
      lines.push(reason ? `- \`${scenario.id}\`: does not apply, because ${reason}.` : `- \`${scenario.id}\`: applies (${scenario.title}).`);
    }
  }
  return lines.join('\n');
}

/** Returns the data connector advice for a table, with a link to the source of the first connector's fact. */
function connectorLines(table: string): string[] {
  const advice = connectorAdvice(table);
  if (!advice) return [];
  return ['', `Microsoft Sentinel data connector: ${advice} ([source](${tableConnectors(table)[0].source}))`];
}

/** Matches shown in full in one hover; the rest are counted. */
const MAX_HOVER_MATCHES = 5;

/** Markdown list items with an indicator's context: family, threat type, dates, confidence, tags, reference, source. */
export function indicatorFacts(match: IndicatorMatch, policy: FreshnessPolicy): string[] {
  const { indicator } = match;
  const seen = [indicator.firstSeen && `first seen ${indicator.firstSeen}`, indicator.lastSeen && `last seen ${indicator.lastSeen}`].filter(Boolean).join(', ');
  const where = indicator.origin ?? match.set.origin;
  const stale = staleReason(indicator, policy);
  return [
    `- family: ${indicator.malware ?? match.set.family}${indicator.aliases ? ` (also known as ${indicator.aliases.join(', ')})` : ''}`,
    indicator.threatType ? `- threat type: ${indicator.threatType}` : '',
    seen ? `- ${seen}` : '',
    indicator.confidence !== undefined ? `- confidence: ${indicator.confidence}%` : '',
    indicator.tags ? `- tags: ${indicator.tags.join(', ')}` : '',
    indicator.compromised ? '- a compromised legitimate host' : '',
    indicator.reference ? `- reference: ${indicator.reference}` : '',
    indicator.id ? `- ${match.set.source} id: ${indicator.id}` : '',
    `- source: ${match.set.source}, ${where}${indicator.line !== undefined && where !== BUILT_IN_ORIGIN ? `:${indicator.line}` : ''}`,
    stale ? `- **stale**: ${stale}` : '',
  ].filter(Boolean);
}

/** Markdown about an indicator literal: defanged or not, the sets holding it, and each match's context. */
export function describeIndicator(literal: string, matches: IndicatorMatch[], policy: FreshnessPolicy): string {
  const lines: string[] = [];
  const classified = classifyIndicator(literal);
  if (isDefanged(literal)) lines.push(`This value is **defanged** and can never match real telemetry; refanged it is \`${refang(literal)}\`.`, '');
  if (matches.length === 0) {
    lines.push(`**${classified?.value ?? literal}** (${classified?.type ?? 'indicator'}) is in no loaded indicator set.`);
    return lines.join('\n');
  }

  const sets = [...new Set(matches.map(({ set }) => setName(set)))];
  lines.push(`In ${sets.length === 1 ? 'the loaded set' : `${sets.length} loaded sets`}: ${sets.map((name) => `*${name}*`).join(', ')}.`);
  for (const match of matches.slice(0, MAX_HOVER_MATCHES)) {
    lines.push('', `**${match.indicator.value}** (${match.indicator.type}) in *${setName(match.set)}*`, ...indicatorFacts(match, policy));
  }
  if (matches.length > MAX_HOVER_MATCHES) lines.push('', `... and ${matches.length - MAX_HOVER_MATCHES} more indicators.`);
  return lines.join('\n');
}

/**
 * A note for a column that resolved only through the type-suffix convention: it is in no schema
 * of the block's open-schema tables but carries a suffix.
 */
function openSchemaColumnNote(engine: HuntEngine, text: string, offset: number, tables: readonly TableReference[], environment: Environment): string | undefined {
  const before = /[A-Za-z0-9_]*$/.exec(text.slice(0, offset))![0];
  const after = /^[A-Za-z0-9_]*/.exec(text.slice(offset))![0];
  const name = before + after;
  const type = suffixType(name);
  if (!type) return undefined;
  const open = [...new Set(tables.map((table) => table.name))].filter((table) => isOpenSchemaTable(table));
  const declaredSomewhere = open.some((table) => engine.catalog.table(table, environment)?.columns.some((column) => column.name === name));
  if (open.length === 0 || declaredSomewhere) return undefined;
  return `\`${name}\` is in no schema of ${open.join(', ')}; it resolves as ${type} by the Log Analytics type-suffix convention.`;
}

/** `isCancelled` is checked before each worker request: the editor cancels hovers the cursor left. */
export async function hover(engine: HuntEngine, document: TextDocument, position: Position, settings: Settings, isCancelled?: () => boolean): Promise<Hover | null> {
  const located = engine.locate(document, position, settings);
  if (!located || located.plan.block.text === '') return null;
  const { plan, offset, region } = located;

  const outcome = await engine.analyzeRegionBlock(region, plan.block, plan.environmentRequest, settings, { priority: 'interactive', isCancelled });
  const quickInfo = await engine.worker.request<QuickInfoResult | null>(
    { method: 'quickInfo', text: plan.block.text, environment: plan.environmentRequest, offset },
    { priority: 'interactive', isCancelled },
  );

  const sections: string[] = [];
  const calledFunction = outcome.status === 'analyzed' ? outcome.analysis.summary.functions.find((reference) => contains(reference, offset)) : undefined;
  const definition = calledFunction ? engine.catalog.function(calledFunction.name) : undefined;
  if (calledFunction && definition) sections.push(describeFunction(definition, engine.catalog, calledFunction.firstStringArgument));
  else if (quickInfo) sections.push('```kusto\n' + quickInfo.text + '\n```');
  if (outcome.status === 'analyzed') {
    const summary = outcome.analysis.summary;
    const table = summary.tables.find((reference) => contains(reference, offset));
    if (table) sections.push(describeTable(engine, table.name, outcome.analysis, settings));
    const suffixNote = table ? undefined : openSchemaColumnNote(engine, plan.block.text, offset, summary.tables, outcome.analysis.environment);
    if (suffixNote) sections.push(suffixNote);
    const literal = summary.strings.find((candidate) => contains(candidate, offset));
    if (literal && classifyIndicator(literal.value)) {
      sections.push(describeIndicator(literal.value, engine.intel.lookup(literal.value), freshnessPolicy(settings, engine.now())));
    }
  }
  if (sections.length === 0) return null;
  return { contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') } };
}
