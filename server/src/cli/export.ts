import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { isScalar } from 'yaml';
import { splitLines } from '../engine/blocks';
import { planBlocks } from '../engine/documentAnalysis';
import { extractSentinelYaml } from '../engine/embedded/sentinelYaml';
import { HuntEngine } from '../engine/engine';
import { parseEnvironmentDirective } from '../engine/schema/environment';
import { huntingQueryYaml, ruleFileName, stableGuid } from '../engine/sentinel/ruleYaml';
import { Settings } from '../engine/settings';
import { findFiles, repositoryRoot, YAML_EXTENSIONS } from '../engine/workspace/files';
import { UsageError } from './usage';

// `kql-hunt export`: turns the hunts of a .kql file into Sentinel hunting-query YAML files, one
// per hunt, and collects the queries of YAML rules back into one .kql file. A hunt's header
// comments carry its name (first line), description (the other lines) and rule id (an
// `// id: GUID` line) both ways. Other rule metadata, such as an analytics rule's schedule,
// tactics or entity mappings, has no place in a .kql file and does not come back.

export interface ExportContext {
  createEngine(): HuntEngine;
  environmentSettings(environment: string | undefined): Settings;
}

export interface ExportedHunt {
  name: string;
  description: string;
  query: string;
  /** The rule id, kept so that a rule exported to .kql and back replaces itself in Sentinel. */
  id?: string;
}

const ID_COMMENT = /^id:\s*([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\s*$/i;

/** Splits a .kql file into its hunts: each block with a query, as its header comments and its query. */
export function huntsOfKql(text: string, fileName: string): ExportedHunt[] {
  const hunts: ExportedHunt[] = [];
  for (const plan of planBlocks(text, 'auto')) {
    if (plan.block.commentOnly) continue;
    const lines = splitLines(plan.block.text);
    let header = 0;
    while (header < lines.length && /^\s*\/\//.test(lines[header].text) && parseEnvironmentDirective(lines[header].text) === undefined) header++;
    const allComments = lines.slice(0, header).map((line) => line.text.replace(/^\s*\/\/ ?/, ''));
    const id = allComments.map((comment) => ID_COMMENT.exec(comment.trim())?.[1]).find((match) => match !== undefined);
    const comments = allComments.filter((comment) => !ID_COMMENT.test(comment.trim()));
    const query = plan.block.text.slice(header < lines.length ? lines[header].start : plan.block.text.length);
    const name = comments[0]?.trim() || `${basename(fileName).replace(/\.[^.]+$/, '')} hunt ${hunts.length + 1}`;
    const description = comments.slice(1).join('\n').trim() === '' ? `Hunt exported from ${basename(fileName)}.` : comments.slice(1).join('\n');
    hunts.push({ name, description, query, id });
  }
  return hunts;
}

/** Writes a .kql block for a hunt: its name and description as comment lines, then its query. */
export function kqlOfHunt(hunt: ExportedHunt): string {
  const lines = [hunt.name, ...hunt.description.split('\n'), ...(hunt.id ? [`id: ${hunt.id}`] : [])];
  const comments = lines.map((line) => (line === '' ? '//' : `// ${line}`));
  return [...comments, hunt.query.replace(/\s+$/, '')].join('\n');
}

async function exportToYaml(files: string[], outDir: string | undefined, force: boolean, context: ExportContext, settings: Settings): Promise<number> {
  const engine = context.createEngine();
  try {
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      const hunts = huntsOfKql(text, file);
      if (hunts.length === 0) process.stderr.write(`kql-hunt: ${file} contains no hunt to export.\n`);
      const folder = outDir ?? dirname(file);
      await mkdir(folder, { recursive: true });
      const used = new Set<string>();
      for (const hunt of hunts) {
        let name = ruleFileName(hunt.name);
        for (let suffix = 2; used.has(name); suffix++) name = ruleFileName(`${hunt.name} ${suffix}`);
        used.add(name);
        const target = join(folder, name);
        if (existsSync(target) && !force) throw new UsageError(`${target} already exists; pass --force to overwrite it.`);
        const id = hunt.id ?? stableGuid(`${basename(file)}\u0000${name}`);
        const yaml = await huntingQueryYaml(engine, { ...hunt, id }, settings);
        await writeFile(target, yaml);
        const displayPath = relative(process.cwd(), target) || target;
        process.stderr.write(`kql-hunt: wrote ${displayPath}\n`);
        await warnAboutRule(engine, target, displayPath, yaml, settings);
      }
    }
    return 0;
  } finally {
    await engine.dispose();
  }
}

/**
 * Says when a written rule has errors as a Sentinel rule, which runs its query in Log Analytics:
 * a Defender XDR hunt (Timestamp, Defender-only tables) exports without complaint otherwise.
 */
async function warnAboutRule(engine: HuntEngine, target: string, displayPath: string, yaml: string, settings: Settings): Promise<void> {
  const analysis = await engine.analyzeDocument(TextDocument.create(pathToFileURL(target).href, 'yaml', 1, yaml), settings);
  const problems = analysis.diagnostics.filter((diagnostic) => diagnostic.severity === DiagnosticSeverity.Error || diagnostic.code === 'time-column-mismatch');
  if (problems.length === 0) return;
  const [first] = problems;
  const all = problems.length > 1 ? ` for all ${problems.length} findings` : '';
  process.stderr.write(`kql-hunt: warning: ${displayPath}:${first.range.start.line + 1}: ${first.code}: ${first.message} Run kql-hunt lint ${displayPath}${all}.\n`);
}

/** Reads the hunt of a YAML rule file, or returns a message saying why it has none. */
function huntOfYaml(text: string): ExportedHunt | string {
  const source = extractSentinelYaml(text);
  if (source.problems.length > 0) return source.problems[0].message;
  if (!source.rule || source.regions.length === 0) return 'it is not a Sentinel hunting query or analytics rule';
  const name = source.rule.root.get('name', true);
  const description = source.rule.root.get('description', true);
  const id = source.rule.root.get('id', true);
  return {
    id: isScalar(id) && typeof id.value === 'string' && ID_COMMENT.test(`id: ${id.value}`) ? id.value : undefined,
    name: isScalar(name) && name.value !== null ? String(name.value) : 'Unnamed rule',
    description: isScalar(description) && typeof description.value === 'string' ? description.value.trim() : '',
    query: source.regions[0].value,
  };
}

async function exportToKql(paths: string[], out: string | undefined): Promise<number> {
  const root = repositoryRoot(paths[0]);
  const search = await findFiles(paths, { root, extensions: YAML_EXTENSIONS });
  for (const entry of search.missing) process.stderr.write(`kql-hunt: cannot read ${entry.path}: ${entry.reason}\n`);
  const blocks: string[] = [];
  for (const file of search.files) {
    const hunt = huntOfYaml(await readFile(file, 'utf8'));
    if (typeof hunt === 'string') {
      if (paths.includes(file) || paths.map((path) => resolve(path)).includes(file)) process.stderr.write(`kql-hunt: skipped ${file}: ${hunt}\n`);
      continue;
    }
    blocks.push(kqlOfHunt(hunt));
  }
  const text = blocks.join('\n\n') + '\n';
  if (out) await writeFile(out, text);
  else process.stdout.write(text);
  return search.missing.length > 0 ? 2 : 0;
}

export async function exportHunts(args: string[], context: ExportContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      to: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean', default: false },
      environment: { type: 'string' },
    },
  });
  if (positionals.length === 0) throw new UsageError('export needs at least one file.');
  if (values.to === 'kql') return exportToKql(positionals, values.out);
  if (values.to !== 'sentinel-yaml') throw new UsageError(`Invalid --to '${values.to ?? ''}'; use sentinel-yaml or kql.`);
  for (const file of positionals) if (!existsSync(file)) throw new UsageError(`Cannot read ${file}: no such file.`);
  return exportToYaml(positionals, values.out, values.force!, context, context.environmentSettings(values.environment));
}
