// Runs one TypeScript script of this project: bundles it with esbuild into a temporary file and
// executes it with the remaining arguments. Usage: node scripts/run.mjs scripts/NAME.ts [ARGS...]
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

const [script, ...rest] = process.argv.slice(2);
if (!script) {
  console.error('usage: node scripts/run.mjs SCRIPT.ts [ARGS...]');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'kql-hunt-script-'));
const outfile = join(dir, 'script.cjs');
try {
  await build({
    entryPoints: [resolve(script)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  const result = spawnSync(process.execPath, [outfile, ...rest], { stdio: 'inherit', env: { ...process.env, NODE_PATH: resolve('node_modules') } });
  process.exitCode = result.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
