import { readFile, writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isScalar } from 'yaml';
import { containerKind, extractSource } from '../engine/embedded/sources';
import { EmbeddedSource } from '../engine/embedded/types';
import { RuleIdIndex } from '../engine/sentinel/ruleIds';
import { Settings } from '../engine/settings';
import { findFiles, relativePath, repositoryRoot } from '../engine/workspace/files';
import { formatText, LintFinding, sortFindings, summarize, toLintFinding } from './findings';
import { INTEL_OPTIONS } from './intel';
import { cliSettings, engineWithIntel, loadSchema, SCHEMA_OPTIONS, SETTINGS_OPTIONS } from './options';
import { createProgress } from './progress';
import { toSarif } from './sarif';
import { decodeTextFile } from './textFile';
import { UsageError } from './usage';

// `kql-hunt lint`: checks the KQL in .kql files, Sentinel rules in YAML and Markdown fences
// under the given paths, and reports the findings as text, JSON or SARIF.

export interface LintContext {
  version: string;
}

/** One file read and split into its KQL regions, ready to analyse. */
export interface LoadedFile {
  path: string;
  /** The path as the user sees it: relative to the current folder. */
  display: string;
  document: TextDocument;
  source: EmbeddedSource;
}

export function unreadableFinding(display: string, error: Error): LintFinding {
  const position = { line: 0, character: 0 };
  return { file: display, range: { start: position, end: position }, severity: 'error', code: 'file-unreadable', message: error.message.startsWith('This file') ? error.message : `Cannot read this file: ${error.message}` };
}

/** Reads a file and splits it into its KQL regions; a read error comes back instead of being thrown. */
export async function loadFile(path: string, settings: Settings): Promise<LoadedFile | { path: string; display: string; error: Error }> {
  const display = relative(process.cwd(), path) || path;
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return { path, display, error: error as Error };
  }
  const decoded = decodeTextFile(bytes);
  if ('problem' in decoded) return { path, display, error: new Error(decoded.problem) };
  const text = decoded.text;
  const kind = containerKind(path);
  const languageId = kind === 'kql' ? 'kql' : kind;
  const document = TextDocument.create(pathToFileURL(path).href, languageId, 1, text);
  return { path, display, document, source: extractSource(kind, text, settings.analysis.maxFileSize) };
}

/** Records the id of every rule among the files, so each rule can be checked against the others. */
export function indexRuleIds(files: readonly LoadedFile[], root: string): RuleIdIndex {
  const index = new RuleIdIndex();
  for (const file of files) {
    const id = file.source.rule?.root.get('id', true);
    if (isScalar(id) && id.value !== null) index.set(relativePath(root, file.path), String(id.value));
  }
  return index;
}

function parseLintArgs(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...SETTINGS_OPTIONS,
      ...INTEL_OPTIONS,
      ...SCHEMA_OPTIONS,
      format: { type: 'string', default: 'text' },
      'max-warnings': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      exclude: { type: 'string', multiple: true, default: [] },
      root: { type: 'string' },
      output: { type: 'string' },
    },
  });
  if (!['text', 'json', 'sarif'].includes(values.format!)) throw new UsageError(`Invalid --format '${values.format}'; use text, json or sarif.`);
  if (positionals.length === 0) throw new UsageError('lint needs at least one file or folder.');
  const maxWarnings = values['max-warnings'] === undefined ? Infinity : Number(values['max-warnings']);
  if ((!Number.isInteger(maxWarnings) || maxWarnings < 0) && maxWarnings !== Infinity) throw new UsageError(`Invalid --max-warnings '${values['max-warnings']}'; use a whole number, 0 or more.`);
  return { values, positionals, maxWarnings };
}

export async function lint(args: string[], context: LintContext): Promise<number> {
  const { values, positionals, maxWarnings } = parseLintArgs(args);
  const settings = cliSettings(values);
  const root = resolve(values.root ?? repositoryRoot(positionals[0]));

  // A path that does not exist is a usage error (exit 2), but the other paths are still checked.
  const search = await findFiles(positionals, { root, exclude: values.exclude });
  for (const entry of search.missing) process.stderr.write(`kql-hunt: cannot read ${entry.path}: ${entry.reason}\n`);

  const loaded = await Promise.all(search.files.map((file) => loadFile(file, settings)));
  const files = loaded.filter((file): file is LoadedFile => 'document' in file);
  const findings: LintFinding[] = loaded.filter((file) => 'error' in file).map((file) => unreadableFinding(file.display, (file as { error: Error }).error));
  const ruleIds = indexRuleIds(files, root);

  const { engine, intelFailed } = await engineWithIntel(values);
  let unreadableSchema = 0;
  try {
    unreadableSchema = await loadSchema(engine, values);
    const progress = createProgress('analysing');
    let done = 0;
    const perFile = await Promise.all(
      files.map(async (file) => {
        const analysis = await engine.analyzeDocument(file.document, settings, { source: file.source, file: relativePath(root, file.path), ruleIds });
        progress.update(++done, files.length, file.display);
        return analysis.diagnostics.map((diagnostic) => toLintFinding(file.display, diagnostic));
      }),
    );
    progress.finish();
    for (const list of perFile) findings.push(...list);
  } finally {
    await engine.dispose();
  }

  const checked = files.filter((file) => file.source.kind !== 'other').length + (loaded.length - files.length);
  sortFindings(findings);
  const shown = values.quiet ? findings.filter((finding) => finding.severity === 'error') : findings;
  const summary = summarize(checked, findings);
  const texts = new Map(files.map((file) => [file.display, file.document.getText()]));
  let report: string;
  if (values.format === 'json') report = JSON.stringify(shown, null, 2);
  else if (values.format === 'sarif') report = JSON.stringify(toSarif(shown, { version: context.version, root, texts }), null, 2);
  else report = formatText(shown, summary);

  if (values.output) {
    try {
      await writeFile(values.output, report + '\n');
    } catch (error) {
      process.stderr.write(`kql-hunt: cannot write --output ${values.output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; check that its folder exists and is writable.\n`);
      return 2;
    }
  } else process.stdout.write(report + '\n');
  if (search.missing.length > 0 || intelFailed || unreadableSchema > 0) return 2;
  // A CI job pointed at a renamed or mistyped folder would otherwise pass with nothing checked.
  if (checked === 0) {
    process.stderr.write(`kql-hunt: no hunts found in ${positionals.join(', ')}: no .kql, .csl or .kusto file, Sentinel rule YAML or Markdown with a KQL fence; check the paths and --exclude.\n`);
    return 2;
  }
  if (summary.warnings > maxWarnings) process.stderr.write(`kql-hunt: ${summary.warnings} warnings, more than --max-warnings ${maxWarnings}.\n`);
  return summary.errors > 0 || summary.warnings > maxWarnings ? 1 : 0;
}
