// Writes snippets/kql.json from the hunt templates and the built-in indicator sets, so the
// snippets never drift from what Insert Hunt produces.
// Usage: node scripts/run.mjs scripts/build-snippets.ts
import { writeFileSync } from 'node:fs';
import { buildSnippets } from '../server/src/engine/hunts/snippets';
import { builtInSets } from '../server/src/engine/intel/intelFile';
import { Catalog } from '../server/src/engine/schema/catalog';

const snippets = buildSnippets(builtInSets(), Catalog.builtIn());
writeFileSync('snippets/kql.json', JSON.stringify(snippets, null, 2) + '\n');
console.log(`Wrote snippets/kql.json: ${Object.keys(snippets).length} snippets.`);
