// Bundles the extension client, the language server, the Kusto worker and the CLI into dist/.
// With --tests it also bundles every test file into out/test/. With --e2e it bundles the
// end-to-end runner, its launcher and the suites that run inside VS Code into out/e2e/.
// Dependencies stay external in out/.
import { build } from 'esbuild';
import { chmodSync, readdirSync, statSync, rmSync } from 'node:fs';
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

function findFiles(dir, suffix) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findFiles(path, suffix));
    else if (name.endsWith(suffix)) found.push(path);
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
    entryPoints: findFiles('test', '.test.ts'),
    outbase: '.',
    outdir: 'out',
    packages: 'external',
  });
}

if (args.has('--e2e')) {
  rmSync('out/e2e', { recursive: true, force: true });
  await build({
    ...common,
    sourcemap: 'inline',
    entryPoints: {
      runE2e: 'test/e2e/runE2e.ts',
      launcher: 'test/e2e/launcher.ts',
      'suite/index': 'test/e2e/suite/index.ts',
      'installed/index': 'test/e2e/installed/index.ts',
      ...Object.fromEntries(findFiles('test/e2e/suite', '.e2e.ts').map((path) => [`suite/${path.split('/').pop().replace(/\.ts$/, '')}`, path])),
    },
    outdir: 'out/e2e',
    packages: 'external',
    external: ['vscode'],
  });
  // runTests starts the launcher as if it were the VS Code executable.
  chmodSync('out/e2e/launcher.js', 0o755);
}
