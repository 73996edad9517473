import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { createProgress } from '../../server/src/cli/progress';
import { CLI_PATH } from '../helpers/paths';

const FULL = 'test/fixtures/intel/threatfox-full.csv';

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI_PATH, ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('kql-hunt coverage', () => {
  test('text matrix of the examples', () => {
    const result = run('coverage', 'examples');
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.equal(lines[0], 'Coverage of 1 indicator set over 8 tables: 5 hunts in 6 files.');
    assert.match(lines[2], /^Indicator set {6}CommonSecurityLog {2}DeviceNetworkEvents {2}DeviceProcessEvents /);
    assert.match(lines[3], /^ThreatFox - Mirai {2}✓ 2 {16}✓ 2 {18}! 1 /);
    assert.ok(lines.includes('Hunts with gaps:'));
  });

  test('no progress line when stderr is not a terminal', () => {
    const result = run('coverage', '--intel', FULL, 'examples');
    assert.equal(result.status, 0);
    assert.equal(result.stderr, '');
  });

  test('markdown for a pull request', () => {
    const result = run('coverage', '--intel', FULL, '--format', 'markdown', 'examples');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^\*\*Coverage of 4 indicator sets over 19 tables: 5 hunts in 6 files\.\*\*$/m);
    assert.match(result.stdout, /^\| ThreatFox - Emotet \| · \| · \|/m);
    assert.match(result.stdout, /^- ThreatFox - Mirai on DeviceProcessEvents:$/m);
  });

  test('json has families, tables and cells', () => {
    const result = run('coverage', '--format', 'json', 'examples');
    assert.equal(result.status, 0, result.stderr);
    const matrix = JSON.parse(result.stdout) as { families: { set: string }[]; tables: string[]; cells: { set: string; table: string; state: string; hunts: { file: string; line: number }[] }[] };
    assert.deepEqual(matrix.families.map((family) => family.set), ['ThreatFox - Mirai']);
    const cell = matrix.cells.find((candidate) => candidate.table === 'DeviceProcessEvents')!;
    assert.equal(cell.state, 'gaps');
    assert.deepEqual(cell.hunts.map((hunt) => `${hunt.file}:${hunt.line}`), ['examples/mirai-deviceprocessevents.kql:1']);
  });

  test('bad format and missing path', () => {
    const format = run('coverage', '--format', 'html', 'examples');
    assert.equal(format.status, 2);
    assert.match(format.stderr, /Invalid --format 'html'; use text, json or markdown\./);
    const missing = run('coverage', 'examples', 'no-such-folder');
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read no-such-folder: no such file or folder/);
    assert.match(missing.stdout, /^Coverage of 1 indicator set/);
    const none = run('coverage');
    assert.equal(none.status, 2);
    assert.match(none.stderr, /coverage needs at least one file or folder\./);
  });
});

describe('cli progress line', () => {
  function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; written: string[] } {
    const written: string[] = [];
    const stream = { isTTY, columns: 40, write: (chunk: string) => written.push(chunk) } as unknown as NodeJS.WriteStream;
    return { stream, written };
  }

  test('terminal gets a line that is cleared', () => {
    const { stream, written } = fakeStream(true);
    const progress = createProgress('analysing', stream);
    progress.update(1, 3, 'a.kql');
    progress.update(3, 3, 'c.kql');
    progress.finish();
    assert.equal(written[0], `\r${'kql-hunt: analysing 1/3 a.kql'.padEnd(39)}`);
    assert.equal(written[1], `\r${'kql-hunt: analysing 3/3 c.kql'.padEnd(39)}`);
    assert.equal(written[2], `\r${' '.repeat(39)}\r`);
  });

  test('non-terminal gets nothing', () => {
    const { stream, written } = fakeStream(false);
    const progress = createProgress('analysing', stream);
    progress.update(1, 1);
    progress.finish();
    assert.deepEqual(written, []);
  });
});
