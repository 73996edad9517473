import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeLens, Range } from 'vscode-languageserver-types';
import { HuntEngine } from '../engine';
import { AnalyzedBlock } from '../documentAnalysis';
import { Environment } from '../schema/types';
import { Settings } from '../settings';
import { huntLayout, HuntLayout, huntText } from './hunts';
import { blockStructure } from './structure';
import { huntName } from './symbols';

// Code lenses above each hunt: "Copy hunt", which the client runs to put the hunt on the
// clipboard for the Sentinel or Defender portal, and a label with the hunt's environment and
// tables.

/** The client command that copies a hunt; its argument is a CopyHuntArguments. */
export const COPY_HUNT_COMMAND = 'kqlHunt.copyHunt';

export interface CopyHuntArguments {
  name: string;
  text: string;
}

const SHORT_LABELS: Record<Environment, string> = { sentinel: 'Sentinel', defender: 'Defender XDR' };

/** Tables named in the label before the rest are counted. */
const MAX_TABLES_SHOWN = 3;

function environmentLabel(analyzed: AnalyzedBlock): string {
  if (analyzed.outcome.status !== 'analyzed') return 'not analysed';
  const { environment, summary } = analyzed.outcome.analysis;
  const tables = [...new Set(summary.tables.map((table) => table.name))];
  if (tables.length === 0) return SHORT_LABELS[environment];
  const shown = tables.slice(0, MAX_TABLES_SHOWN).join(', ');
  const more = tables.length > MAX_TABLES_SHOWN ? ` +${tables.length - MAX_TABLES_SHOWN}` : '';
  return `${SHORT_LABELS[environment]} · ${shown}${more}`;
}

/** The arguments of "Copy hunt" for one hunt: its name and its portal-ready text. */
export async function copyHuntArguments(engine: HuntEngine, layout: HuntLayout, settings: Settings): Promise<CopyHuntArguments> {
  const structure = await blockStructure(engine, layout.plan.block, settings);
  return { name: huntName(layout, structure).name, text: huntText(layout) };
}

export async function codeLenses(engine: HuntEngine, document: TextDocument, settings: Settings): Promise<CodeLens[]> {
  if (!settings.codeLens.enabled) return [];
  const analysis = await engine.analyzeDocument(document, settings);

  const lenses: CodeLens[] = [];
  for (const analyzed of analysis.blocks) {
    if (analyzed.block.commentOnly) continue;
    const layout = huntLayout({ block: analyzed.block, environmentRequest: analyzed.environmentRequest, findings: [] });
    const line = document.positionAt(analyzed.block.start + layout.start).line;
    const range: Range = { start: { line, character: 0 }, end: { line, character: 0 } };
    const copy = await copyHuntArguments(engine, layout, settings);
    lenses.push({ range, command: { title: 'Copy hunt', command: COPY_HUNT_COMMAND, arguments: [copy] } });
    // An empty command id makes the lens a plain label in VS Code.
    lenses.push({ range, command: { title: environmentLabel(analyzed), command: '' } });
  }
  return lenses;
}
