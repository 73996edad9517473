import { isDefanged, refang } from '../intel/defang';
import { indicatorLiterals } from './indicatorLiterals';
import { Finding, Rule, RuleContext } from './types';

export const DEFANGED_INDICATOR = 'defanged-indicator';

/**
 * A defanged value (`5[.]39[.]216[.]137`, `hxxp://...`) in a query can never equal real
 * telemetry, so the hunt silently finds nothing. Reported on every such literal.
 */
export const defangedIndicatorRule: Rule = {
  id: DEFANGED_INDICATOR,
  description: 'A string literal contains a defanged indicator, which can never match.',
  defaultSeverity: 'error',
  check(context: RuleContext): Finding[] {
    const findings: Finding[] = [];
    for (const { literal, classified } of indicatorLiterals(context.analysis, context.intel)) {
      if (!isDefanged(literal.value)) continue;
      findings.push({
        code: DEFANGED_INDICATOR,
        severity: 'error',
        message: `'${literal.value}' is a defanged ${classified.type} and can never match real data; write it refanged: '${refang(literal.value)}'.`,
        start: literal.start,
        end: literal.end,
      });
    }
    return findings;
  },
};
