import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { IntelManager, SourceStatus } from '../../server/src/engine/intel/manager';
import { createLogger } from '../../server/src/engine/util/logger';
import { writeThreatFoxCsv } from '../helpers/feeds';

const HEADER = '# "ioc_value","ioc_type","malware_printable","confidence_level"';

function csv(...rows: string[]): string {
  return `${HEADER}\n${rows.map((row) => `"${row.split(',').join('", "')}"`).join('\n')}\n`;
}

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'kql-hunt-intel-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

function managerWithLog(): { manager: IntelManager; log: string[] } {
  const log: string[] = [];
  const logger = createLogger((_level, line) => log.push(line), () => 'debug');
  return { manager: new IntelManager({ logger }), log };
}

function source(manager: IntelManager, name: string): SourceStatus {
  const found = manager.status().sources.find((candidate) => candidate.name === name);
  assert.ok(found, `no source ${name} among ${manager.status().sources.map((candidate) => candidate.name).join(', ')}`);
  return found;
}

describe('intel manager', () => {
  test('globs load every matching file with its status', async () => {
    const root = workspace({ 'intel/a.csv': csv('192.0.2.1:80,ip:port,Mirai,100'), 'intel/b.csv': csv('bad.example,domain,Emotet,75'), 'notes.txt': 'x' });
    const { manager } = managerWithLog();
    await manager.configure({ files: ['intel/*.csv'], includeBuiltIn: true, roots: [root] });

    const status = manager.status();
    assert.deepEqual(status.sources.map((entry) => [entry.name, entry.state, entry.indicators]), [
      ['built-in', 'loaded', 3],
      ['intel/a.csv', 'loaded', 1],
      ['intel/b.csv', 'loaded', 1],
    ]);
    assert.deepEqual(source(manager, 'intel/b.csv').families, ['Emotet']);
    assert.deepEqual(status.patterns, [{ pattern: 'intel/*.csv', root, matches: 2 }]);
    assert.equal(manager.store.lookup('bad[.]example').length, 1);
  });

  test('sets of one family and source merge across files', async () => {
    const root = workspace({ 'a.csv': csv('192.0.2.1:80,ip:port,Mirai,100'), 'b.csv': csv('192.0.2.2:80,ip:port,Mirai,100') });
    const { manager } = managerWithLog();
    await manager.configure({ files: ['a.csv', 'b.csv'], includeBuiltIn: true, roots: [root] });
    const mirai = manager.store.setNamed('ThreatFox - Mirai')!;
    assert.equal(mirai.indicators.length, 5);
    assert.deepEqual(mirai.origins, ['built-in', 'a.csv', 'b.csv']);
  });

  test('built-in set can be left out', async () => {
    const { manager } = managerWithLog();
    await manager.configure({ files: [], includeBuiltIn: false, roots: [] });
    assert.deepEqual(manager.status().sources, []);
    assert.equal(manager.store.size, 0);
  });

  test('duplicates across files name both files', async () => {
    const root = workspace({ 'a.csv': csv('192.0.2.1:80,ip:port,Mirai,100', 'bad.example,domain,Emotet,75'), 'b.csv': csv('x.example,domain,Emotet,75', 'bad.example,domain,Emotet,75') });
    const { manager } = managerWithLog();
    await manager.configure({ files: ['a.csv', 'b.csv'], includeBuiltIn: false, roots: [root] });
    assert.deepEqual(source(manager, 'a.csv').problems, []);
    const [problem] = source(manager, 'b.csv').problems;
    assert.equal(problem.line, 3);
    assert.equal(problem.message, '1 indicator is also in a.csv (first: bad.example); each is loaded once.');
    assert.equal(manager.store.setNamed('ThreatFox - Emotet')!.indicators.length, 2);
  });

  test('missing file and empty glob are reported', async () => {
    const root = workspace({});
    const { manager } = managerWithLog();
    await manager.configure({ files: ['missing.csv', 'feeds/*.json'], includeBuiltIn: true, roots: [root] });
    const missing = source(manager, 'missing.csv');
    assert.equal(missing.state, 'missing');
    assert.match(missing.problems[0].message, /does not exist; check the path in kqlHunt\.intel\.files \(or --intel on the command line\)/);
    assert.equal(manager.status().patterns[1].matches, 0);
    assert.equal(manager.store.size, 3);
  });

  test('folder named as a file is reported', async () => {
    const root = workspace({ 'intel/a.csv': csv('192.0.2.1:80,ip:port,Mirai,100') });
    const { manager } = managerWithLog();
    await manager.configure({ files: ['intel'], includeBuiltIn: false, roots: [root] });
    const folder = source(manager, 'intel');
    assert.equal(folder.state, 'failed');
    assert.match(folder.problems[0].message, /this is a folder, not a file/);
  });

  test('bad file leaves the other sources loaded', async () => {
    const root = workspace({ 'good.csv': csv('192.0.2.1:80,ip:port,Mirai,100'), 'bad.json': '{"data": [' });
    const { manager } = managerWithLog();
    await manager.configure({ files: ['good.csv', 'bad.json'], includeBuiltIn: false, roots: [root] });
    assert.equal(source(manager, 'good.csv').state, 'loaded');
    const bad = source(manager, 'bad.json');
    assert.equal(bad.state, 'failed');
    assert.equal(bad.problems.length, 1);
    assert.equal(manager.store.size, 1);
  });

  test('change reloads only that file', async () => {
    const root = workspace({ 'a.csv': csv('192.0.2.1:80,ip:port,Mirai,100'), 'b.csv': csv('bad.example,domain,Emotet,75') });
    const { manager, log } = managerWithLog();
    await manager.configure({ files: ['*.csv'], includeBuiltIn: false, roots: [root] });
    log.length = 0;

    writeFileSync(join(root, 'a.csv'), csv('192.0.2.1:80,ip:port,Mirai,100', '192.0.2.9:80,ip:port,Mirai,100'));
    await manager.fileChanged(join(root, 'a.csv'));
    assert.deepEqual(log.filter((line) => line.startsWith('Loading')), ['Loading a.csv']);
    assert.equal(source(manager, 'a.csv').indicators, 2);
    assert.equal(manager.store.lookup('192.0.2.9').length, 1);
  });

  test('deleted file unloads and recreated file loads again', async () => {
    const root = workspace({ 'a.csv': csv('192.0.2.1:80,ip:port,Mirai,100'), 'b.csv': csv('bad.example,domain,Emotet,75') });
    const { manager } = managerWithLog();
    await manager.configure({ files: ['*.csv'], includeBuiltIn: false, roots: [root] });

    rmSync(join(root, 'a.csv'));
    await manager.fileChanged(join(root, 'a.csv'));
    const gone = source(manager, 'a.csv');
    assert.equal(gone.state, 'missing');
    assert.match(gone.problems[0].message, /deleted or moved; its indicators are unloaded/);
    assert.equal(manager.store.lookup('192.0.2.1').length, 0);
    assert.equal(source(manager, 'b.csv').state, 'loaded');

    writeFileSync(join(root, 'a.csv'), csv('192.0.2.1:80,ip:port,Mirai,100'));
    await manager.fileChanged(join(root, 'a.csv'));
    assert.equal(source(manager, 'a.csv').state, 'loaded');
    assert.equal(manager.store.lookup('192.0.2.1').length, 1);
  });

  test('new file matching a glob is picked up', async () => {
    const root = workspace({ 'a.csv': csv('192.0.2.1:80,ip:port,Mirai,100') });
    const { manager } = managerWithLog();
    await manager.configure({ files: ['*.csv'], includeBuiltIn: false, roots: [root] });
    writeFileSync(join(root, 'c.csv'), csv('c.example,domain,Emotet,75'));
    await manager.fileChanged(join(root, 'c.csv'));
    assert.equal(source(manager, 'c.csv').indicators, 1);
    await manager.fileChanged(join(root, 'unrelated.txt'));
    assert.equal(manager.status().sources.length, 2);
  });

  test('removed setting unloads its file', async () => {
    const root = workspace({ 'a.csv': csv('192.0.2.1:80,ip:port,Mirai,100') });
    const { manager } = managerWithLog();
    await manager.configure({ files: ['a.csv'], includeBuiltIn: false, roots: [root] });
    await manager.configure({ files: [], includeBuiltIn: false, roots: [root] });
    assert.equal(manager.store.size, 0);
  });

  test('status says loading until the load ends', async () => {
    const root = workspace({ 'a.csv': csv('192.0.2.1:80,ip:port,Mirai,100') });
    const { manager } = managerWithLog();
    const done = manager.configure({ files: ['a.csv'], includeBuiltIn: false, roots: [root] });
    await manager.whenIdle();
    await done;
    assert.equal(manager.status().loading, false);
    const changed = manager.fileChanged(join(root, 'a.csv'));
    assert.equal(manager.status().loading, true);
    assert.equal(source(manager, 'a.csv').state, 'loading');
    assert.equal(manager.store.size, 1, 'the old indicators stay while the file reloads');
    await changed;
    assert.equal(source(manager, 'a.csv').state, 'loaded');
  });

  test('50 MB export loads without blocking', async () => {
    const root = workspace({});
    const rows = await writeThreatFoxCsv(join(root, 'full.csv'), { bytes: 50 * 1024 * 1024 });
    const { manager } = managerWithLog();

    let turns = 0;
    let loading = true;
    const spin = (): void => {
      turns++;
      if (loading) setImmediate(spin);
    };
    setImmediate(spin);
    await manager.configure({ files: ['full.csv'], includeBuiltIn: false, roots: [root] });
    loading = false;

    const full = source(manager, 'full.csv');
    assert.deepEqual(full.problems, []);
    assert.equal(full.indicators, rows);
    assert.ok(turns > 100, `the event loop turned only ${turns} times during the load`);
  });
});
