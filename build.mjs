// Bundles the extension client, the language server, the Kusto worker and the CLI into dist/,
// and with --tests also every test file into out/test/ (dependencies stay external there).
import { build } from 'esbuild';
import { readdirSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
};

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

rmSync('dist', { recursive: true, force: true });
await Promise.all([
  build({ ...common, entryPoints: { client: 'client/src/extension.ts' }, outdir: 'dist', external: ['vscode'] }),
  build({
    ...common,
    entryPoints: {
      server: 'server/src/server.ts',
      cli: 'server/src/cli.ts',
      kustoWorker: 'server/src/engine/kusto/worker.ts',
    },
    outdir: 'dist',
  }),
]);

if (args.has('--tests')) {
  rmSync('out', { recursive: true, force: true });
  await build({
    ...common,
    sourcemap: 'inline',
    entryPoints: findTests('test'),
    outbase: '.',
    outdir: 'out',
    packages: 'external',
  });
}
