import { IndicatorSet, setName } from '../intel/model';
import { Catalog } from '../schema/catalog';
import { DEFAULT_SETTINGS } from '../settings';
import { exclusionLines, generateHunt } from './templates';
import { huntProfile } from './huntProfiles';

export interface Snippet {
  prefix: string;
  description: string;
  body: string[];
}

/** Tables that get a snippet for each built-in set: one per environment. */
const SNIPPET_TABLES = ['CommonSecurityLog', 'DeviceNetworkEvents'];

function escapeBody(text: string): string[] {
  return text.replace(/[$}\\]/g, (char) => `\\${char}`).split('\n');
}

/** The VS Code snippets file: hunts for the built-in sets, and the exclusions as lines. */
export function buildSnippets(sets: readonly IndicatorSet[], catalog: Catalog): Record<string, Snippet> {
  const snippets: Record<string, Snippet> = {};
  for (const set of sets) {
    for (const table of SNIPPET_TABLES) {
      const profile = huntProfile(table)!;
      const hunt = generateHunt({ set, profile, withExclusions: false, settings: DEFAULT_SETTINGS, catalog });
      snippets[`${setName(set)} hunt over ${table}`] = {
        prefix: `hunt-${set.family.toLowerCase()}-${table.toLowerCase()}`,
        description: `${profile.title} (${setName(set)}, ${profile.environment === 'defender' ? 'Defender XDR advanced hunting' : 'Microsoft Sentinel'}).`,
        body: escapeBody(hunt),
      };
    }
  }

  const lines = exclusionLines('DeviceNetworkEvents', 'defender', catalog, DEFAULT_SETTINGS);
  snippets['False-positive exclusions for DeviceNetworkEvents'] = {
    prefix: 'exclusions-devicenetworkevents',
    description: 'Exclusions for tar backups, admin nc use, rsync log collection, internal nmap scans and cron package updates.',
    body: escapeBody(lines.join('\n')),
  };
  return snippets;
}
