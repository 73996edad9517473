#!/usr/bin/env node
// Stand-in for the VS Code executable that @vscode/test-electron's `runTests` starts
// (`vscodeExecutablePath`). It accepts the same arguments and runs the extension's test suite in
// code-server driven by headless Chromium. It takes the screenshots the suite requests and
// exits with the suite's exit code.
import { mkdirSync, readFileSync, renameSync, rmSync, watch } from 'node:fs';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { Page } from 'playwright-core';
import { launchBrowser, newPage, prepareProfile, startCodeServer, workbenchUrl } from './codeServer';
import { ScreenshotRequest, SCREENSHOT_DIR_VARIABLE } from './screenshots';

interface LaunchArguments {
  folder: string | undefined;
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  userDataDir: string;
  extensionsDir: string;
}

function parseArguments(argv: string[]): LaunchArguments {
  const values = new Map<string, string>();
  const positional: string[] = [];
  for (const arg of argv) {
    const match = /^--([^=]+)=(.*)$/.exec(arg);
    if (match) values.set(match[1], match[2]);
    else if (!arg.startsWith('--')) positional.push(arg);
  }
  const required = (name: string): string => {
    const value = values.get(name);
    if (!value) throw new Error(`The launcher needs --${name}=PATH, as runTests passes it; got: ${argv.join(' ')}`);
    return resolve(value);
  };
  return {
    folder: positional[0] ? resolve(positional[0]) : undefined,
    extensionDevelopmentPath: required('extensionDevelopmentPath'),
    extensionTestsPath: required('extensionTestsPath'),
    userDataDir: required('user-data-dir'),
    extensionsDir: required('extensions-dir'),
  };
}

/**
 * Serves the suite's screenshot requests. For each NAME.request.json the suite writes, it clicks
 * the requested element (if any), waits until the requested element is visible and writes NAME.png by rename, so the suite never reads
 * half a file. Then it types the requested text and presses the requested key.
 */
function serveScreenshots(page: Page, dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const seen = new Set<string>();
  let queue = Promise.resolve();

  const handle = async (file: string): Promise<void> => {
    const request = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ScreenshotRequest;
    const target = join(dir, `${request.name}.png`);
    try {
      if (request.clickBefore) await page.locator(request.clickBefore).first().click({ timeout: 20000 });
      if (request.waitFor) await page.locator(request.waitFor).first().waitFor({ state: 'visible', timeout: 20000 });
      await page.screenshot({ path: `${target}.partial.png` });
      renameSync(`${target}.partial.png`, target);
      console.log(`launcher: screenshot ${target}`);
    } catch (error) {
      console.error(`launcher: screenshot ${request.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      renameSync(join(dir, file), join(dir, `${request.name}.failed`));
    }
    if (request.typeAfter) await page.keyboard.type(request.typeAfter);
    if (request.pressAfter) await page.keyboard.press(request.pressAfter);
  };

  const watcher = watch(dir, (_event, file) => {
    if (!file || !file.endsWith('.request.json') || seen.has(file)) return;
    seen.add(file);
    queue = queue.then(() => handle(file));
  });
  return () => watcher.close();
}

async function main(): Promise<number> {
  const args = parseArguments(process.argv.slice(2));
  const screenshotDir = resolve(process.env[SCREENSHOT_DIR_VARIABLE] ?? join(args.extensionDevelopmentPath, 'test-results', 'screenshots'));
  rmSync(screenshotDir, { recursive: true, force: true });
  const profile = { userDataDir: args.userDataDir, extensionsDir: args.extensionsDir, home: join(args.userDataDir, 'home') };
  prepareProfile(profile);

  const server = await startCodeServer(profile, {
    folder: args.folder,
    env: { [SCREENSHOT_DIR_VARIABLE]: screenshotDir },
    log: (line) => console.log(`code-server: ${line}`),
  });
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser);
    const exitCode = new Promise<number>((resolveExit) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
    });
    // The extension host's console output, with printf-style arguments as mocha writes them.
    await page.exposeFunction('codeAutomationLog', (_level: string, args: unknown[]) => console.log(format(...args)));
    page.on('pageerror', (error) => console.error(`launcher: page error: ${error.message}`));
    const stopScreenshots = serveScreenshots(page, screenshotDir);

    const remote = (path: string): string => `vscode-remote://127.0.0.1:${server.port}${path}`;
    const url = workbenchUrl(server.origin, args.folder ?? args.extensionDevelopmentPath, [
      ['extensionDevelopmentPath', remote(args.extensionDevelopmentPath)],
      ['extensionTestsPath', remote(args.extensionTestsPath)],
    ]);
    console.log(`launcher: opening ${url}`);
    await page.goto(url);
    const code = await exitCode;
    stopScreenshots();
    return code;
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`launcher: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
