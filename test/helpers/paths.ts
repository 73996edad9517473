import { resolve } from 'node:path';

// Tests run from the repository root (`npm test`), after `node build.mjs` has built dist/.
export const ROOT = process.cwd();
export const WORKER_PATH = resolve(ROOT, 'dist/kustoWorker.js');
export const SERVER_PATH = resolve(ROOT, 'dist/server.js');
export const CLI_PATH = resolve(ROOT, 'dist/cli.js');
export const EXAMPLES = resolve(ROOT, 'examples');
