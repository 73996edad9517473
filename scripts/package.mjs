// `npm run package`: builds the minified bundles, packages kql-hunt.vsix with vsce, and prints
// the size of each bundle and of the package.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const VSIX = 'kql-hunt.vsix';

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`package: ${command} ${args.join(' ')} failed with exit code ${result.status}.`);
    process.exit(1);
  }
}

function megabytes(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

run(process.execPath, ['build.mjs', '--production']);
// The README's screenshots are relative links into images/, which the package holds, so VS
// Code's extension page shows them. Without a `repository` field vsce cannot turn them into
// absolute URLs for the marketplace, so they are left as they are.
// NOTE: publishing to the marketplace needs a `repository` field (and then neither flag here).
run('npx', ['vsce', 'package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository', '--out', VSIX]);

console.log('Bundle sizes:');
for (const name of readdirSync('dist').sort()) console.log(`  dist/${name.padEnd(16)} ${megabytes(statSync(join('dist', name)).size)}`);
console.log(`  ${VSIX.padEnd(21)} ${megabytes(statSync(VSIX).size)}`);
