// Builds server/data/intel/builtin.json, the indicator set that ships with the product, from a
// hunt report, through the same report loader users' reports go through.
// Usage: node scripts/run.mjs scripts/build-intel.ts REPORT.txt [OUT]
import { readFileSync, writeFileSync } from 'node:fs';
import { parseHuntReport } from '../server/src/engine/intel/loaders/report';
import { IntelFile } from '../server/src/engine/intel/intelFile';
import { formatProblem, LoadProblem } from '../server/src/engine/util/problems';

const [reportPath, outPath = 'server/data/intel/builtin.json'] = process.argv.slice(2);
if (!reportPath) {
  console.error('usage: build-intel REPORT.txt [OUT]');
  process.exit(2);
}

const problems: LoadProblem[] = [];
const sets = parseHuntReport('threatfox-mirai-hunt-report.txt', readFileSync(reportPath, 'utf8'), problems);
for (const problem of problems) console.error(formatProblem(problem));
if (sets.length === 0 || problems.some((problem) => problem.severity === 'error')) process.exit(1);

const output: IntelFile = {
  format: 'kql-hunt-intel/1',
  generatedBy: 'node scripts/run.mjs scripts/build-intel.ts threatfox-mirai-hunt-report.txt',
  sets: sets.map(({ origin: _origin, ...set }) => ({
    ...set,
    indicators: set.indicators.map(({ line: _line, ...indicator }) => indicator),
  })),
};
writeFileSync(outPath, JSON.stringify(output, null, 2) + '\n');
console.log(`Wrote ${outPath}: ${sets.map((set) => `${set.source} - ${set.family} (${set.indicators.length} indicators)`).join(', ')}.`);
