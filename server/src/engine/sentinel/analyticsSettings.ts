import { isScalar, Node } from 'yaml';
import { finding, MetadataContext, MetadataFinding } from './findings';
import { firstKeySpan, keySpan, replaceScalar, scalarText, Span, spanOf, stringOf, valueOf } from './yamlNodes';

// Scheduling and alerting settings of an analytics rule, with the limits that the Azure-Sentinel
// repository's template validation applies. queryFrequency and queryPeriod lie between 5 minutes
// and 14 days, written as `<number><m|h|d>` or a .NET time span (`1.00:00:00`). queryPeriod is
// at least queryFrequency, and a queryPeriod of 2 days or more needs a queryFrequency of 1 hour
// or more. triggerThreshold is 0 to 10000. NRT rules have no schedule.

const MINUTES_PER_DAY = 24 * 60;
const MIN_MINUTES = 5;
const MAX_MINUTES = 14 * MINUTES_PER_DAY;

const TRIGGER_OPERATORS = ['gt', 'lt', 'eq', 'ne', 'GreaterThan', 'LessThan', 'Equal', 'NotEqual'];
const SEVERITIES = ['Informational', 'Low', 'Medium', 'High'];

/** Minutes in a duration written `30m`, `1h`, `14d` or `d.hh:mm[:ss]`, or undefined when it is neither. */
export function durationMinutes(value: string): number | undefined {
  const short = /^(\d+)([mhd])$/.exec(value);
  if (short) return Number(short[1]) * { m: 1, h: 60, d: MINUTES_PER_DAY }[short[2] as 'm' | 'h' | 'd'];
  const span = /^(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!span) return undefined;
  const [, days, hours, minutes, seconds] = span;
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds ?? 0) > 59) return undefined;
  return Number(days ?? 0) * MINUTES_PER_DAY + Number(hours) * 60 + Number(minutes) + Number(seconds ?? 0) / 60;
}

interface Duration {
  key: 'queryFrequency' | 'queryPeriod';
  minutes?: number;
  span: Span;
}

function readDuration(context: MetadataContext, key: Duration['key'], findings: MetadataFinding[]): Duration {
  const root = context.rule.root;
  const node = valueOf(root, key);
  const code = key === 'queryFrequency' ? 'sentinel/query-frequency-invalid' : 'sentinel/query-period-invalid';
  const value = scalarText(node);
  const span = spanOf(node, keySpan(root, key, firstKeySpan(root)));
  if (value === undefined) {
    findings.push(finding(code, 'error', `A scheduled analytics rule needs ${key}, such as \`${key}: 1h\`.`, span));
    return { key, span };
  }
  const minutes = durationMinutes(value);
  if (minutes === undefined) {
    findings.push(finding(code, 'error', `${key} '${value}' is not a duration; write a number and m, h or d, such as 5m, 1h or 14d.`, span));
    return { key, span };
  }
  if (minutes < MIN_MINUTES || minutes > MAX_MINUTES) {
    findings.push(finding(code, 'error', `${key} '${value}' is out of range; Sentinel accepts 5m to 14d.`, span));
  }
  return { key, minutes, span };
}

function checkSchedule(context: MetadataContext): MetadataFinding[] {
  const findings: MetadataFinding[] = [];
  const frequency = readDuration(context, 'queryFrequency', findings);
  const period = readDuration(context, 'queryPeriod', findings);
  if (frequency.minutes === undefined || period.minutes === undefined || findings.length > 0) return findings;

  if (period.minutes < frequency.minutes) {
    findings.push(finding('sentinel/query-period-invalid', 'error', 'queryPeriod is shorter than queryFrequency, so some events would never be queried; make queryPeriod at least queryFrequency.', period.span));
  } else if (period.minutes >= 2 * MINUTES_PER_DAY && frequency.minutes < 60) {
    findings.push(finding('sentinel/query-frequency-invalid', 'error', 'With a queryPeriod of 2 days or more, Sentinel needs a queryFrequency of at least 1h.', frequency.span));
  }
  return findings;
}

function checkTrigger(context: MetadataContext): MetadataFinding[] {
  const root = context.rule.root;
  const findings: MetadataFinding[] = [];
  const operatorNode = valueOf(root, 'triggerOperator');
  const operator = scalarText(operatorNode);
  if (operator === undefined || !TRIGGER_OPERATORS.includes(operator)) {
    const span = spanOf(operatorNode, keySpan(root, 'triggerOperator', firstKeySpan(root)));
    const what = operator === undefined ? 'A scheduled analytics rule needs triggerOperator' : `triggerOperator '${operator}' is not valid`;
    findings.push(finding('sentinel/trigger-operator-invalid', 'error', `${what}; use gt, lt, eq or ne.`, span));
  }

  const thresholdNode = valueOf(root, 'triggerThreshold');
  const threshold = isScalar(thresholdNode) ? thresholdNode.value : undefined;
  if (typeof threshold !== 'number' || !Number.isInteger(threshold) || threshold < 0 || threshold > 10000) {
    const span = spanOf(thresholdNode, keySpan(root, 'triggerThreshold', firstKeySpan(root)));
    const what = threshold === undefined || threshold === null ? 'A scheduled analytics rule needs triggerThreshold' : `triggerThreshold '${String(threshold)}' is not valid`;
    findings.push(finding('sentinel/trigger-threshold-invalid', 'error', `${what}; use a whole number from 0 to 10000.`, span));
  }
  return findings;
}

function checkSeverity(context: MetadataContext): MetadataFinding[] {
  const root = context.rule.root;
  const node: Node | null | undefined = valueOf(root, 'severity');
  const value = stringOf(node);
  if (value !== undefined && SEVERITIES.includes(value)) return [];
  const span = spanOf(node, keySpan(root, 'severity', firstKeySpan(root)));
  const canonical = value === undefined ? undefined : SEVERITIES.find((severity) => severity.toLowerCase() === value.trim().toLowerCase());
  const fix = canonical && isScalar(node) ? { title: `Change to '${canonical}'`, edits: [replaceScalar(node, canonical)] } : undefined;
  const what = value === undefined ? 'An analytics rule needs a severity' : `Severity '${value}' is not valid`;
  return [finding('sentinel/severity-invalid', 'error', `${what}; use Informational, Low, Medium or High.`, span, fix)];
}

/** The checks that apply to analytics rules only; NRT rules run every minute and have no schedule. */
export function checkAnalyticsSettings(context: MetadataContext): MetadataFinding[] {
  const isNrt = stringOf(valueOf(context.rule.root, 'kind')) === 'NRT';
  return [...checkSeverity(context), ...(isNrt ? [] : [...checkSchedule(context), ...checkTrigger(context)])];
}
