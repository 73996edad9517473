import { freshnessPolicy, staleReason } from '../intel/freshness';
import { setName } from '../intel/model';
import { indicatorLiterals } from './indicatorLiterals';
import { Finding, Rule, RuleContext } from './types';

export const STALE_INDICATOR = 'stale-indicator';

/**
 * An indicator in a hunt is older than kqlHunt.intel.maxAgeDays or less trusted than
 * kqlHunt.intel.minConfidence. An address that several indicators share is stale only when
 * all of them are.
 */
export const staleIndicatorRule: Rule = {
  id: STALE_INDICATOR,
  description: 'An indicator in a hunt is older than kqlHunt.intel.maxAgeDays or below kqlHunt.intel.minConfidence.',
  defaultSeverity: 'information',
  check(context: RuleContext): Finding[] {
    const policy = freshnessPolicy(context.settings, context.now);
    const findings: Finding[] = [];
    for (const { literal, classified, matches } of indicatorLiterals(context.analysis, context.intel)) {
      if (matches.length === 0) continue;
      const reasons = matches.map((match) => staleReason(match.indicator, policy));
      if (reasons.some((reason) => reason === undefined)) continue;
      const first = matches[0];
      findings.push({
        code: STALE_INDICATOR,
        severity: 'information',
        message: `${classified.value} (${setName(first.set)}) is stale: ${reasons[0]}. Check that it is still worth hunting for.`,
        start: literal.start,
        end: literal.end,
      });
    }
    return findings;
  },
};
