import { kqlDocumentRegion } from './lineRegion';
import { extractMarkdown } from './markdown';
import { extractSentinelYaml, looksLikeSentinelRule } from './sentinelYaml';
import { EmbeddedSource } from './types';

export type ContainerKind = 'kql' | 'yaml' | 'markdown';

const KQL_FENCE = /^[ \t>]*(```|~~~)[ \t]*(kql|kusto)\b/im;

/** The container format of a document, from its language id or else its file extension. */
export function containerKind(uri: string, languageId?: string): ContainerKind {
  if (languageId === 'yaml') return 'yaml';
  if (languageId === 'markdown') return 'markdown';
  if (languageId === 'kql') return 'kql';
  const path = uri.toLowerCase().split(/[?#]/, 1)[0];
  if (/\.ya?ml$/.test(path)) return 'yaml';
  if (/\.(md|markdown)$/.test(path)) return 'markdown';
  return 'kql';
}

/** Whether the text of a YAML or Markdown file may hold KQL, judged without parsing it. */
export function mayHoldKql(kind: ContainerKind, text: string): boolean {
  if (kind === 'kql') return true;
  return kind === 'yaml' ? looksLikeSentinelRule(text) : KQL_FENCE.test(text);
}

function tooLarge(kind: ContainerKind, text: string, maxFileSize: number): EmbeddedSource {
  if (!mayHoldKql(kind, text)) return { kind: 'other', regions: [], problems: [] };
  const firstLineEnd = text.search(/\r?\n|$/);
  return {
    kind: kind === 'yaml' ? 'sentinel-yaml' : 'markdown',
    regions: [],
    problems: [
      {
        code: 'file-too-large',
        severity: 'error',
        message: `This file has ${text.length} characters, more than kqlHunt.analysis.maxFileSize (${maxFileSize}), so its KQL was not checked; split the file or raise the limit.`,
        start: 0,
        end: firstLineEnd,
      },
    ],
  };
}

/**
 * The KQL regions of a document: the whole text of a .kql file, the `query` of a Sentinel rule
 * in YAML, or the KQL fences of a Markdown file. Other YAML and Markdown yield no region.
 */
export function extractSource(kind: ContainerKind, text: string, maxFileSize: number): EmbeddedSource {
  if (kind === 'kql') return { kind: 'kql', regions: [kqlDocumentRegion(text)], problems: [] };
  if (text.length > maxFileSize) return tooLarge(kind, text, maxFileSize);
  return kind === 'yaml' ? extractSentinelYaml(text) : extractMarkdown(text);
}
