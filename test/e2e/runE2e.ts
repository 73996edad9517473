// `npm run test:e2e`: runs the end-to-end suite in a real VS Code (code-server, driven by
// headless Chromium) through @vscode/test-electron's runTests. It copies the suite's screenshots
// into images/ for the README. Then it packages the .vsix, installs it into a fresh code-server
// profile with --install-extension and checks that it activates on a .kql file.
import { runTests } from '@vscode/test-electron';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CHROMIUM_PATH, CODE_SERVER_ENTRY, codeServerCli, NODE24, prepareProfile, Profile } from './codeServer';
import { SCREENSHOT_DIR_VARIABLE } from './screenshots';

const ROOT = process.cwd();
const RESULTS = resolve(ROOT, 'test-results');
const WORK = join(RESULTS, 'e2e');
const SCREENSHOTS = join(RESULTS, 'screenshots');
const LAUNCHER = resolve(ROOT, 'out/e2e/launcher.js');
const VSIX = resolve(ROOT, 'kql-hunt.vsix');

/** Screenshots the README and the walkthrough show. */
const README_SCREENSHOTS = ['diagnostics', 'completion', 'hover', 'quick-fix', 'insert-hunt', 'indicators-view', 'coverage', 'workspace-scan-progress', 'workspace-scan'];

function checkPrerequisites(): void {
  const missing = [
    [NODE24, 'run `node scripts/e2e/setup.mjs` (npm run test:e2e does it first)'],
    [CODE_SERVER_ENTRY, 'run `node scripts/e2e/setup.mjs`'],
    [CHROMIUM_PATH, 'install Debian\'s chromium: `apt-get install -y chromium`'],
    [LAUNCHER, 'build it with `node build.mjs --e2e`'],
  ].filter(([path]) => !existsSync(path));
  if (missing.length === 0) return;
  for (const [path, fix] of missing) console.error(`e2e: ${path} is missing; ${fix}.`);
  process.exit(1);
}

/** Creates a fresh workspace folder with the example hunts. */
function prepareWorkspace(name: string): string {
  const folder = join(WORK, name);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  copyFileSync(join(ROOT, 'walkthrough', 'example-hunt.kql'), join(folder, 'example-hunt.kql'));
  cpSync(join(ROOT, 'examples'), join(folder, 'examples'), { recursive: true });
  // A ThreatFox export for the Indicators and coverage views; the suite names it in kqlHunt.intel.files.
  mkdirSync(join(folder, 'intel'));
  copyFileSync(join(ROOT, 'test', 'fixtures', 'intel', 'threatfox-full.csv'), join(folder, 'intel', 'threatfox-export.csv'));
  return folder;
}

/** Creates a fresh code-server profile and returns it with the arguments that pass it to the launcher. */
function prepareFreshProfile(name: string): Profile & { args: string[] } {
  const userDataDir = join(WORK, name, 'user-data');
  const profile = { userDataDir, extensionsDir: join(WORK, name, 'extensions'), home: join(userDataDir, 'home') };
  rmSync(join(WORK, name), { recursive: true, force: true });
  prepareProfile(profile);
  return { ...profile, args: [`--user-data-dir=${profile.userDataDir}`, `--extensions-dir=${profile.extensionsDir}`] };
}

async function runSuite(): Promise<void> {
  const workspace = prepareWorkspace('workspace');
  const profile = prepareFreshProfile('profile');
  await runTests({
    vscodeExecutablePath: LAUNCHER,
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: resolve(ROOT, 'out/e2e/suite/index.js'),
    launchArgs: [workspace, ...profile.args],
    extensionTestsEnv: { [SCREENSHOT_DIR_VARIABLE]: SCREENSHOTS },
  });

  mkdirSync(join(ROOT, 'images'), { recursive: true });
  for (const name of README_SCREENSHOTS) {
    const source = join(SCREENSHOTS, `${name}.png`);
    if (!existsSync(source)) throw new Error(`The suite passed but took no screenshot ${name}.png; check the launcher output above.`);
    copyFileSync(source, join(ROOT, 'images', `${name}.png`));
  }
  console.log(`e2e: copied ${README_SCREENSHOTS.length} screenshots from ${SCREENSHOTS} into images/`);
}

function packageVsix(): void {
  const result = spawnSync('npm', ['run', 'package'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm run package failed with exit code ${result.status}.`);
}

async function checkInstalledVsix(): Promise<void> {
  const workspace = prepareWorkspace('installed-workspace');
  const profile = prepareFreshProfile('installed-profile');

  const install = codeServerCli(profile, ['--install-extension', VSIX]);
  console.log(install.output.trim());
  if (install.status !== 0) throw new Error(`code-server --install-extension ${VSIX} failed with exit code ${install.status}.`);
  const listed = codeServerCli(profile, ['--list-extensions', '--show-versions']);
  if (!/^kql-hunt\.kql-hunt@\d+\.\d+\.\d+$/m.test(listed.output)) throw new Error(`The installed extensions do not include kql-hunt.kql-hunt:\n${listed.output}`);
  console.log(`e2e: code-server lists ${listed.output.trim().split('\n').join(', ')}`);

  await runTests({
    vscodeExecutablePath: LAUNCHER,
    extensionDevelopmentPath: resolve(ROOT, 'test/e2e/installed/probe'),
    extensionTestsPath: resolve(ROOT, 'out/e2e/installed/index.js'),
    launchArgs: [workspace, ...profile.args],
    extensionTestsEnv: { KQL_HUNT_E2E_EXTENSIONS_DIR: profile.extensionsDir, [SCREENSHOT_DIR_VARIABLE]: join(WORK, 'installed-screenshots') },
  });
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

async function main(): Promise<void> {
  checkPrerequisites();
  const started = performance.now();
  await runSuite();
  const suiteTime = seconds(started);

  const packaged = performance.now();
  packageVsix();
  await checkInstalledVsix();
  console.log(`e2e: passed. Suite ${suiteTime}; packaging and install check ${seconds(packaged)}; total ${seconds(started)}; ${VSIX} ${(statSync(VSIX).size / 1024 / 1024).toFixed(2)} MB.`);
  console.log(`e2e: screenshots in ${SCREENSHOTS}: ${readdirSync(SCREENSHOTS).filter((name) => name.endsWith('.png')).join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(`e2e: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
