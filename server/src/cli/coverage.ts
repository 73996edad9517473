import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { computeCoverage, CoverageInput } from '../engine/coverage/coverage';
import { coverageMarkdown, coverageText } from '../engine/coverage/render';
import { findFiles, relativePath, repositoryRoot } from '../engine/workspace/files';
import { INTEL_OPTIONS } from './intel';
import { indexRuleIds, LoadedFile, loadFile } from './lint';
import { cliSettings, engineWithIntel, loadSchema, SCHEMA_OPTIONS, SETTINGS_OPTIONS } from './options';
import { createProgress } from './progress';
import { UsageError } from './usage';

// `kql-hunt coverage`: the matrix of loaded indicator sets against tables, built from the hunts
// in .kql files, Sentinel rules and Markdown fences under the given paths, as the editor's
// coverage view shows it.

const FORMATS = ['text', 'json', 'markdown'];

function parseCoverageArgs(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...SETTINGS_OPTIONS,
      ...INTEL_OPTIONS,
      ...SCHEMA_OPTIONS,
      format: { type: 'string', default: 'text' },
      exclude: { type: 'string', multiple: true, default: [] },
      root: { type: 'string' },
      output: { type: 'string' },
    },
  });
  if (!FORMATS.includes(values.format!)) throw new UsageError(`Invalid --format '${values.format}'; use text, json or markdown.`);
  if (positionals.length === 0) throw new UsageError('coverage needs at least one file or folder.');
  return { values, positionals };
}

export async function coverage(args: string[]): Promise<number> {
  const { values, positionals } = parseCoverageArgs(args);
  const settings = cliSettings(values);
  const root = resolve(values.root ?? repositoryRoot(positionals[0]));

  const search = await findFiles(positionals, { root, exclude: values.exclude });
  for (const entry of search.missing) process.stderr.write(`kql-hunt: cannot read ${entry.path}: ${entry.reason}\n`);
  const loaded = await Promise.all(search.files.map((file) => loadFile(file, settings)));
  for (const file of loaded) if ('error' in file) process.stderr.write(`kql-hunt: cannot read ${file.display}: ${file.error.message}\n`);
  const files = loaded.filter((file): file is LoadedFile => 'document' in file);
  const ruleIds = indexRuleIds(files, root);

  const { engine, intelFailed } = await engineWithIntel(values);
  let report: string;
  let unreadableSchema = 0;
  try {
    unreadableSchema = await loadSchema(engine, values);
    const progress = createProgress('analysing');
    let done = 0;
    const inputs: CoverageInput[] = await Promise.all(
      files.map(async (file) => {
        const analysis = await engine.analyzeDocument(file.document, settings, { source: file.source, file: relativePath(root, file.path), ruleIds });
        progress.update(++done, files.length, file.display);
        return { file: file.display.split('\\').join('/'), document: file.document, analysis };
      }),
    );
    progress.finish();
    const matrix = computeCoverage(inputs, { catalog: engine.catalog, intel: engine.intel, settings, now: engine.now() });
    if (values.format === 'json') report = JSON.stringify(matrix, null, 2);
    else if (values.format === 'markdown') report = coverageMarkdown(matrix);
    else report = coverageText(matrix);
  } finally {
    await engine.dispose();
  }

  if (values.output) await writeFile(values.output, report + '\n');
  else process.stdout.write(report + '\n');
  const unreadable = loaded.length - files.length;
  return search.missing.length > 0 || intelFailed || unreadableSchema > 0 || unreadable > 0 ? 2 : 0;
}
