// File-based channel between the suite, which runs in the extension host, and the launcher,
// which controls the browser page. The suite writes a request and the launcher writes the
// screenshot.
import { existsSync, mkdirSync, renameSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Set by the launcher in code-server's environment; absent on desktop VS Code, where no screenshots are taken. */
export const SCREENSHOT_DIR_VARIABLE = 'KQL_HUNT_E2E_SCREENSHOTS';

export interface ScreenshotRequest {
  name: string;
  /** CSS selector clicked before waiting, such as a view header that collapses a pane. */
  clickBefore?: string;
  /** CSS selector that must be visible before the screenshot, such as `.suggest-widget.visible`. */
  waitFor?: string;
  /** Text typed after the screenshot, such as a filter for a quick pick. */
  typeAfter?: string;
  /** Key pressed after the screenshot and the typed text, such as `Escape` to close a widget. */
  pressAfter?: string;
}

/** Returns the screenshot folder, or undefined when no launcher serves screenshots. */
export function screenshotDir(): string | undefined {
  return process.env[SCREENSHOT_DIR_VARIABLE];
}

/**
 * Asks the launcher for a screenshot and resolves with its path once the file exists, or with
 * undefined when no launcher serves screenshots. Rejects when the launcher reports a failure.
 */
export function requestScreenshot(request: ScreenshotRequest): Promise<string | undefined> {
  const dir = screenshotDir();
  if (!dir) return Promise.resolve(undefined);
  mkdirSync(dir, { recursive: true });
  const target = join(dir, `${request.name}.png`);
  const failed = join(dir, `${request.name}.failed`);

  return new Promise((resolveShot, reject) => {
    const check = (): boolean => {
      if (existsSync(target)) {
        watcher.close();
        resolveShot(target);
        return true;
      }
      if (existsSync(failed)) {
        watcher.close();
        reject(new Error(`The launcher could not take screenshot ${request.name}; see its output.`));
        return true;
      }
      return false;
    };
    const watcher = watch(dir, () => void check());
    // Written under another name first, so the launcher never reads half a request.
    const requestFile = join(dir, `${request.name}.request.json`);
    writeFileSync(`${requestFile}.partial`, JSON.stringify(request));
    renameSync(`${requestFile}.partial`, requestFile);
    check();
  });
}
