import { TextDocument } from 'vscode-languageserver-textdocument';
import { TextEdit } from 'vscode-languageserver-types';
import { HuntEngine } from '../../server/src/engine/engine';
import { DocumentAnalysis } from '../../server/src/engine/documentAnalysis';
import { resolveSettings, Settings } from '../../server/src/engine/settings';
import { WORKER_PATH } from './paths';

export function createTestEngine(): HuntEngine {
  return new HuntEngine({ workerPath: WORKER_PATH, timeoutMs: 30000 });
}

export function settings(section: Record<string, unknown> = {}): Settings {
  return resolveSettings(section);
}

/** A document of `text`; its language (kql, yaml, markdown) follows the URI's extension. */
export function documentOf(text: string, uri = 'file:///test/hunt.kql'): TextDocument {
  const languageId = /\.ya?ml$/.test(uri) ? 'yaml' : /\.md$/.test(uri) ? 'markdown' : 'kql';
  return TextDocument.create(uri, languageId, 1, text);
}

export function applyEdits(text: string, edits: TextEdit[], uri?: string): string {
  return TextDocument.applyEdits(documentOf(text, uri), edits);
}

export async function analyzeText(engine: HuntEngine, text: string, options: Settings = settings()): Promise<DocumentAnalysis> {
  return engine.analyzeDocument(documentOf(text), options);
}

export function codes(analysis: DocumentAnalysis): string[] {
  return analysis.diagnostics.map((diagnostic) => String(diagnostic.code));
}

export function errorsOf(analysis: DocumentAnalysis): string[] {
  return analysis.diagnostics.filter((diagnostic) => diagnostic.severity === 1).map((diagnostic) => `${diagnostic.code} ${diagnostic.message}`);
}
