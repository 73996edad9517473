import { hasExclusion, scenarioApplicability } from '../hunts/exclusions';
import { SCENARIOS } from '../hunts/scenarios';
import { indicatorLiterals } from './indicatorLiterals';
import { Finding, Rule, RuleContext } from './types';

export const MISSING_EXCLUSION = 'missing-exclusion';

export function missingExclusionCode(scenarioId: string): string {
  return `${MISSING_EXCLUSION}/${scenarioId}`;
}

/** Indicator types whose hunts the false-positive scenarios are about. */
const ADDRESS_TYPES: ReadonlySet<string> = new Set(['ip', 'ip:port']);

/**
 * Whether a block hunts for loaded IP addresses. The scenarios are legitimate programs that
 * connect to hosts (nc, rsync, nmap, apt or yum, a tar backup), and only a hunt for addresses
 * can catch them. A hunt for hashes, URLs or domains gets no exclusion advice.
 */
export function isAddressHunt(context: RuleContext): boolean {
  return indicatorLiterals(context.analysis, context.intel).some((literal) => literal.matches.some((match) => ADDRESS_TYPES.has(match.indicator.type)));
}

/**
 * A hunt for indicator addresses over a table that can express a false-positive scenario must
 * exclude it. The finding sits on the first table of the block that the scenario applies to.
 */
export const missingExclusionRule: Rule = {
  id: MISSING_EXCLUSION,
  description: 'A hunt for indicator addresses lacks the exclusion for a known false-positive scenario.',
  defaultSeverity: 'warning',
  check(context: RuleContext): Finding[] {
    const { summary, environment } = context.analysis;
    if (summary.tables.length === 0 || !isAddressHunt(context)) return [];

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
