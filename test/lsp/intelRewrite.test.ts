import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { CSV_HEADER, csvRow } from '../helpers/feeds';
import { IntelStatusMessage, TestClient } from '../helpers/lspClient';

/** Builds a ThreatFox export of `rows` rows. */
function feed(rows: number): string {
  return [CSV_HEADER, ...Array.from({ length: rows }, (_, index) => csvRow(index))].join('\n') + '\n';
}

function residentMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

const FINAL_ROWS = 1000;
const feedIndicators = (status: IntelStatusMessage): number | undefined => status.sources.find((source) => source.name === 'intel/feed.csv')?.indicators;

describe('an intel file rewritten every 50 ms', () => {
  const root = mkdtempSync(join(tmpdir(), 'kql-hunt-rewrite-'));
  mkdirSync(join(root, 'intel'));
  const path = join(root, 'intel', 'feed.csv');
  writeFileSync(path, feed(10));
  const client = new TestClient({ rootPath: root });
  client.configuration = { intel: { files: ['intel/feed.csv'] } };

  before(async () => {
    await client.initialize();
    await client.waitForIntelStatus((status) => feedIndicators(status) === 10 && !status.loading);
  });
  after(async () => {
    await client.shutdown();
    rmSync(root, { recursive: true, force: true });
  });

  test('ends with the last content and bounded memory', async () => {
    const before = residentMb(client.process.pid!);
    // A file that keeps changing is reloaded while it changes, not only once it stops.
    const reloadedMidway = client.waitForIntelStatus((status) => (feedIndicators(status) ?? 0) >= 200 && (feedIndicators(status) ?? 0) < 400, 30000);
    // The scenario itself is timed: 200 rewrites, 50 ms apart, then the final content.
    for (let write = 0; write < 200; write++) {
      writeFileSync(path, feed(200 + write));
      await delay(50);
    }
    writeFileSync(path, feed(FINAL_ROWS));

    const status = await client.waitForIntelStatus((candidate) => feedIndicators(candidate) === FINAL_ROWS && !candidate.loading, 60000);
    assert.equal(status.sources.filter((source) => source.name === 'intel/feed.csv').length, 1);
    await reloadedMidway;
    const growth = residentMb(client.process.pid!) - before;
    assert.ok(growth < 150, `resident memory grew by ${growth.toFixed(0)} MB`);
    assert.equal(client.process.exitCode, null);
  });
});
