import { hasExclusion, scenarioApplicability } from '../hunts/exclusions';
import { SCENARIOS } from '../hunts/scenarios';
import { Finding, Rule, RuleContext } from './types';

export const MISSING_EXCLUSION = 'missing-exclusion';

export function missingExclusionCode(scenarioId: string): string {
  return `${MISSING_EXCLUSION}/${scenarioId}`;
}

/** Whether a block is an indicator hunt: it holds at least one loaded indicator. */
export function isIndicatorHunt(context: RuleContext): boolean {
  return context.analysis.summary.strings.some((literal) => context.intel.lookup(literal.value).length > 0);
}

/**
 * An indicator hunt over a table that can express a false-positive scenario must exclude it.
 * The finding sits on the first table of the block that the scenario applies to.
 */
export const missingExclusionRule: Rule = {
  id: MISSING_EXCLUSION,
  description: 'An indicator hunt lacks the exclusion for a known false-positive scenario.',
  defaultSeverity: 'warning',
  check(context: RuleContext): Finding[] {
    const { summary, environment } = context.analysis;
    if (summary.tables.length === 0 || !isIndicatorHunt(context)) return [];

    const findings: Finding[] = [];
    const reported = new Set<string>();
    for (const table of summary.tables) {
      for (const applicability of scenarioApplicability(table.name, environment, context.catalog, context.settings)) {
        const { scenario } = applicability;
        if (applicability.reason || reported.has(scenario.id) || hasExclusion(scenario, summary.tests)) continue;
        reported.add(scenario.id);
        findings.push({
          code: missingExclusionCode(scenario.id),
          severity: 'warning',
          message: `Hunt over ${table.name} lacks the exclusion for the false-positive scenario "${scenario.title}": ${scenario.description}`,
          start: table.start,
          end: table.end,
        });
      }
    }
    return findings;
  },
};

export const ALL_SCENARIO_CODES = SCENARIOS.map((scenario) => missingExclusionCode(scenario.id));
