// Measures `kql-hunt lint --format sarif` over a generated repository of Sentinel hunting
// queries (in every YAML scalar style) and Markdown files with KQL fences, and the cost of
// extracting and mapping the KQL of one large rule without analysing it.
// Usage: node build.mjs && node bench/embedded-lint.mjs [RULES] [MARKDOWN_FILES]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const rules = Number(process.argv[2] ?? 300);
const markdownFiles = Number(process.argv[3] ?? 50);

const QUERY = [
  'let malicious_ips = dynamic(["5.39.216.137", "5.175.215.102"]);',
  'DeviceNetworkEvents',
  '| where RemoteIP in (malicious_ips)',
  '| where ActionType == "ConnectionSuccess"',
  '| project TimeGenerated, DeviceName, RemoteIP, RemotePort',
];

function queryYaml(index) {
  const lines = QUERY.map((line) => line.replace('ConnectionSuccess', `ConnectionSuccess${index}`));
  switch (index % 4) {
    case 0:
      return `query: |\n${lines.map((line) => `  ${line}`).join('\n')}\n`;
    case 1:
      return `query: >-\n${lines.map((line) => `  ${line}`).join('\n\n')}\n`;
    case 2:
      return `query: "${lines.join('\\n').replace(/"/g, '\\"')}"\n`;
    default:
      return `query: '${lines.join('\n\n  ').replace(/'/g, "''")}'\n`;
  }
}

function rule(index) {
  const id = `${String(index).padStart(8, '0')}-2222-4333-8444-555555555555`;
  return `id: ${id}\nname: Bench rule ${index}\ndescription: Generated.\nrequiredDataConnectors:\n  - connectorId: MicrosoftThreatProtection\n    dataTypes:\n      - DeviceNetworkEvents\ntactics:\n  - CommandAndControl\nrelevantTechniques:\n  - T1105\n${queryYaml(index)}version: 1.0.0\n`;
}

function markdown(index) {
  const fences = [];
  for (let fence = 0; fence < 5; fence++) fences.push(`## Hunt ${fence}\n\n\`\`\`kql\n${QUERY.join('\n').replace('ConnectionSuccess', `Md${index}x${fence}`)}\n\`\`\`\n`);
  return `# Guide ${index}\n\n${fences.join('\n')}`;
}

const dir = mkdtempSync(join(tmpdir(), 'kql-hunt-bench-'));
mkdirSync(join(dir, '.git'));
mkdirSync(join(dir, 'hunting'));
mkdirSync(join(dir, 'docs'));
for (let index = 0; index < rules; index++) writeFileSync(join(dir, 'hunting', `rule-${index}.yaml`), rule(index));
for (let index = 0; index < markdownFiles; index++) writeFileSync(join(dir, 'docs', `guide-${index}.md`), markdown(index));

const started = performance.now();
const result = spawnSync(process.execPath, [join(process.cwd(), 'dist/cli.js'), 'lint', '--format', 'sarif', '--output', join(dir, 'out.sarif'), '.'], { cwd: dir, encoding: 'utf8' });
const elapsed = performance.now() - started;
console.log(`lint --format sarif: ${rules} rules + ${markdownFiles} Markdown files (${markdownFiles * 5} fences): ${(elapsed / 1000).toFixed(2)} s, exit ${result.status}`);
if (result.stderr) console.log(result.stderr.trim());
rmSync(dir, { recursive: true, force: true });

// Extraction and mapping alone, in process: one rule whose query has 20,000 lines.
const bundle = join(mkdtempSync(join(tmpdir(), 'kql-hunt-bench-')), 'extract.cjs');
await build({ entryPoints: ['server/src/engine/embedded/sentinelYaml.ts'], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'warning' });
const { extractSentinelYaml } = await import(bundle);
{
  const big = `id: 11111111-2222-4333-8444-555555555555\nname: Big\nquery: |\n${Array.from({ length: 20000 }, (_, index) => `  | where RemoteIP != "10.0.${index % 256}.${index % 7}"`).join('\n')}\n`;
  const times = [];
  for (let run = 0; run < 5; run++) {
    const begin = performance.now();
    const source = extractSentinelYaml(big);
    source.regions[0].map.toDocumentRange(100000, 100010);
    times.push(performance.now() - begin);
  }
  times.sort((a, b) => a - b);
  console.log(`extract + map a ${(big.length / 1e6).toFixed(2)} MB rule (20,000 query lines): median ${times[2].toFixed(1)} ms of 5 runs`);
}
