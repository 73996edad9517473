// Entry point that VS Code loads as `extensionTestsPath`: runs the end-to-end suites with mocha
// inside the extension host, where the `vscode` module is real.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  // Generous, because the first analysis loads Kusto.Language; no test waits for time to pass.
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000 });
  for (const file of readdirSync(__dirname).filter((name) => name.endsWith('.e2e.js')).sort()) mocha.addFile(join(__dirname, file));

  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} end-to-end tests failed.`)) : resolve()));
  });
}
