// Writes the settings schema (server/src/engine/settings.ts) into package.json's
// contributes.configuration, so the manifest mirrors the one declaration.
// Usage: node scripts/run.mjs scripts/sync-settings.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { SETTINGS_SCHEMA } from '../server/src/engine/settings';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
manifest.contributes.configuration = { title: 'KQL Hunt', properties: SETTINGS_SCHEMA };
writeFileSync('package.json', JSON.stringify(manifest, null, 2) + '\n');
console.log(`Wrote ${Object.keys(SETTINGS_SCHEMA).length} settings into package.json.`);
