import { Settings } from '../settings';
import { Indicator } from './model';

const DAY_MS = 24 * 60 * 60 * 1000;

/** When an indicator counts as stale: too old or too little trusted to hunt for. */
export interface FreshnessPolicy {
  /** 0-100; indicators below it are stale. */
  minConfidence: number;
  /** 0 for no age limit. */
  maxAgeDays: number;
  now: Date;
}

export function freshnessPolicy(settings: Settings, now: Date): FreshnessPolicy {
  return { minConfidence: settings.intel.minConfidence, maxAgeDays: settings.intel.maxAgeDays, now };
}

/** Days between the indicator's last sighting (or first, without a last one) and `now`. */
export function ageInDays(indicator: Indicator, now: Date): number | undefined {
  const seen = indicator.lastSeen ?? indicator.firstSeen;
  const time = seen ? Date.parse(seen) : NaN;
  return Number.isNaN(time) ? undefined : Math.floor((now.getTime() - time) / DAY_MS);
}

/** Returns why an indicator is stale under `policy`, in words, or undefined when it is fresh. */
export function staleReason(indicator: Indicator, policy: FreshnessPolicy): string | undefined {
  if (indicator.confidence !== undefined && indicator.confidence < policy.minConfidence) {
    return `its confidence ${indicator.confidence}% is below the minimum of ${policy.minConfidence}% (kqlHunt.intel.minConfidence, --min-confidence)`;
  }
  if (policy.maxAgeDays <= 0) return undefined;
  const age = ageInDays(indicator, policy.now);
  if (age === undefined || age <= policy.maxAgeDays) return undefined;
  const field = indicator.lastSeen ? 'last' : 'first';
  return `it was ${field} seen ${(indicator.lastSeen ?? indicator.firstSeen)!.slice(0, 10)}, ${age} days ago, more than the maximum age of ${policy.maxAgeDays} days (kqlHunt.intel.maxAgeDays, --max-age-days)`;
}

export function isFresh(indicator: Indicator, policy: FreshnessPolicy): boolean {
  return staleReason(indicator, policy) === undefined;
}
