// Measures loading ThreatFox CSV exports: a 100,000-row file and a 50 MB file, generated into a
// temporary folder. Each file loads in a fresh child process through the IntelManager, as the
// language server loads it. The script reports the load time, the peak memory and the longest
// event-loop block, which is the longest a request waits during the load.
// Usage: node scripts/run.mjs bench/intel-load.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { IntelManager } from '../server/src/engine/intel/manager';
import { writeThreatFoxCsv } from '../test/helpers/feeds';

interface Measurement {
  indicators: number;
  loadMs: number;
  peakRssMb: number;
  peakHeapMb: number;
  maxEventLoopBlockMs: number;
}

async function measure(file: string): Promise<Measurement> {
  const manager = new IntelManager();
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  }, 20);
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();

  const started = performance.now();
  await manager.configure({ files: [file], includeBuiltIn: false, roots: [dirname(file)] });
  const loadMs = performance.now() - started;

  delay.disable();
  clearInterval(sampler);
  const usage = process.memoryUsage();
  const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);
  return {
    indicators: manager.store.size,
    loadMs: Math.round(loadMs),
    peakRssMb: mb(Math.max(peakRss, usage.rss)),
    peakHeapMb: mb(Math.max(peakHeap, usage.heapUsed)),
    maxEventLoopBlockMs: Math.round(delay.max / 1e6),
  };
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') {
    process.stdout.write(JSON.stringify(await measure(process.argv[3])));
    return;
  }

  const dir = mkdtempSync(join(tmpdir(), 'kql-hunt-bench-'));
  try {
    const files = [
      { label: '100,000 rows', path: join(dir, 'rows-100k.csv'), size: { rows: 100_000 } },
      { label: '50 MB', path: join(dir, 'full-50mb.csv'), size: { bytes: 50 * 1024 * 1024 } },
    ];
    console.log(`Node ${process.version}, ${process.platform} ${process.arch}`);
    console.log('| export | rows | size | indicators | load time | peak RSS | peak heap | longest event-loop block |');
    console.log('|---|---|---|---|---|---|---|---|');
    for (const file of files) {
      const rows = await writeThreatFoxCsv(file.path, file.size);
      const bytes = statSync(file.path).size;
      const child = spawnSync(process.execPath, [process.argv[1], '--child', file.path], { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(`measuring ${file.label} failed: ${child.stderr}`);
      const result = JSON.parse(child.stdout) as Measurement;
      console.log(
        `| ${file.label} | ${rows.toLocaleString('en')} | ${(bytes / 1024 / 1024).toFixed(1)} MB | ${result.indicators.toLocaleString('en')} | ${(result.loadMs / 1000).toFixed(2)} s | ${result.peakRssMb} MB | ${result.peakHeapMb} MB | ${result.maxEventLoopBlockMs} ms |`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
