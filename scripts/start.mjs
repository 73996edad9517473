// `npm start`: builds the extension, packages the .vsix, then lints examples/ with the
// built-in indicators and table catalog and prints the findings.
import { spawnSync } from 'node:child_process';

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  return result.status ?? 1;
}

if (run('npm', ['run', '--silent', 'package']) !== 0) process.exit(1);

console.log('\nLinting examples/ with the built-in Mirai indicators and the Sentinel and Defender XDR catalog:\n');
const status = run(process.execPath, ['dist/cli.js', 'lint', 'examples']);
if (status === 1) {
  console.log('\nThe lint exit code is 1 because examples/typo-column.kql holds a deliberate error.');
  process.exit(0);
}
process.exit(status);
