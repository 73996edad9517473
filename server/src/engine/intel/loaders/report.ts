import { LoadProblem } from '../../util/problems';
import { classifyIndicator } from '../classify';
import { INDICATOR_TYPES, Indicator, IndicatorSet, IndicatorType } from '../model';

// Reads a hunt report shaped like ThreatFox-based Sentinel hunt write-ups: a "Malware Family:"
// line, a Markdown table of defanged indicators (Type, Value, Threat Type, First Seen,
// Confidence), and KQL hunts whose `dynamic([...])` lists hold the indicator addresses.

const FAMILY = /Malware Family:\s*([^\s|].*?)(?:\s+Total IOCs:|\s*$)/im;
const SOURCE = /\/\/\s*Source:\s*([^-\n]+?)\s+-\s+/i;
const DYNAMIC_LIST = /dynamic\(\s*\[([^\]]*)\]\s*\)/g;
const QUOTED = /"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'/g;

function cells(line: string): string[] {
  return line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((cell) => cell.trim());
}

function normaliseHeader(cell: string): string {
  return cell.toLowerCase().replace(/[^a-z]/g, '');
}

function parseConfidence(text: string | undefined): number | undefined {
  const match = text ? /^(\d{1,3})\s*%?$/.exec(text) : null;
  if (!match) return undefined;
  const value = Number(match[1]);
  return value <= 100 ? value : undefined;
}

export function parseHuntReport(file: string, text: string, problems: LoadProblem[]): IndicatorSet[] {
  const family = FAMILY.exec(text)?.[1].trim();
  const source = SOURCE.exec(text)?.[1].trim() ?? (/threatfox/i.test(text) ? 'ThreatFox' : 'Hunt report');
  if (!family) {
    problems.push({ file, severity: 'error', message: 'No "Malware Family:" line found; a hunt report names the family its indicators belong to.' });
    return [];
  }

  const lines = text.split(/\r\n|\n|\r/);
  const indicators: Indicator[] = [];
  let header: string[] | undefined;

  lines.forEach((line, index) => {
    if (!line.trim().startsWith('|')) {
      header = undefined;
      return;
    }
    const row = cells(line);
    if (row.every((cell) => /^:?-{2,}:?$/.test(cell))) return;
    if (!header) {
      const names = row.map(normaliseHeader);
      header = names.includes('type') && names.includes('value') ? names : undefined;
      return;
    }

    const field = (name: string): string | undefined => row[header!.indexOf(name)];
    const stated = field('type')?.toLowerCase() as IndicatorType | undefined;
    const rawValue = field('value') ?? '';
    const classified = classifyIndicator(rawValue, stated);
    if (!classified || (stated && INDICATOR_TYPES.includes(stated) && classified.type !== stated)) {
      problems.push({ file, line: index + 1, value: rawValue, severity: 'warning', message: `Row skipped: '${rawValue}' is not a valid ${stated ?? 'indicator'}.` });
      return;
    }
    indicators.push({
      ...classified,
      threatType: field('threattype') || undefined,
      firstSeen: field('firstseen') || undefined,
      confidence: parseConfidence(field('confidence')),
      malware: family,
      line: index + 1,
    });
  });

  addListAddresses(text, indicators, family);
  if (indicators.length === 0) problems.push({ file, severity: 'warning', message: `No indicators found for family '${family}'.` });
  return [{ family, source, origin: file, indicators }];
}

// Addresses that appear only in the hunts' lists become `ip` indicators; those already covered
// by an ip:port row are not repeated.
function addListAddresses(text: string, indicators: Indicator[], family: string): void {
  const known = new Set(indicators.map((indicator) => indicator.ip ?? indicator.value));
  for (const list of text.matchAll(DYNAMIC_LIST)) {
    for (const quoted of list[1].matchAll(QUOTED)) {
      const classified = classifyIndicator(quoted[1] ?? quoted[2] ?? '');
      if (!classified || known.has(classified.ip ?? classified.value)) continue;
      known.add(classified.ip ?? classified.value);
      const line = text.slice(0, list.index).split('\n').length;
      indicators.push({ ...classified, malware: family, line });
    }
  }
}
