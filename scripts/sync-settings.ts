// Writes the settings schema (server/src/engine/settings.ts) into package.json's
// contributes.configuration, so the manifest mirrors the one declaration.
// Usage: node scripts/run.mjs scripts/sync-settings.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { manifestProperties } from '../server/src/engine/settings';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const properties = manifestProperties();
manifest.contributes.configuration = { title: 'KQL Hunt', properties };
writeFileSync('package.json', JSON.stringify(manifest, null, 2) + '\n');
console.log(`Wrote ${Object.keys(properties).length} settings into package.json.`);
