import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

// Generates ThreatFox-shaped CSV exports of any size, for the tests of large files and the
// load benchmark. Addresses come from 10.0.0.0/8 so they are unique for up to 16 million rows.

export const CSV_HEADER =
  '# "first_seen_utc","ioc_id","ioc_value","ioc_type","threat_type","fk_malware","malware_alias","malware_printable","last_seen_utc","confidence_level","is_compromised","reference","tags","anonymous","reporter"';

const FAMILIES = [
  ['elf.mirai', 'Katana', 'Mirai'],
  ['win.emotet', 'Geodo,Heodo', 'Emotet'],
  ['elf.gafgyt', 'Bashlite', 'Gafgyt'],
  ['win.agent_tesla', 'None', 'Agent Tesla'],
];

/** Writes one data row: mostly ip:port values, with domains, URLs and hashes mixed in. */
export function csvRow(index: number): string {
  const [malware, alias, family] = FAMILIES[index % FAMILIES.length];
  const address = `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
  const kind = index % 10;
  const [value, type] =
    kind === 7 ? [`host${index}.bad.example`, 'domain'] : kind === 8 ? [`http://host${index}.bad.example/payload.bin`, 'url'] : kind === 9 ? [index.toString(16).padStart(64, '0'), 'sha256_hash'] : [`${address}:${1024 + (index % 50000)}`, 'ip:port'];
  const fields = ['2026-06-14 09:12:44', String(1_000_000 + index), value, type, 'botnet_cc', malware, alias, family, 'None', '75', '0', 'None', `${family.toLowerCase()},generated`, '0', 'generator'];
  return fields.map((field) => `"${field}"`).join(', ');
}

/** Writes an export of `rows` rows, or of at least `bytes` bytes when given, and returns the row count. */
export async function writeThreatFoxCsv(path: string, options: { rows?: number; bytes?: number }): Promise<number> {
  const out = createWriteStream(path);
  let written = 0;
  let rows = 0;
  const write = async (line: string): Promise<void> => {
    written += line.length + 1;
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  };
  await write('################################################################');
  await write('# ThreatFox IOCs: CSV export (generated for tests and benchmarks)');
  await write('################################################################');
  await write(CSV_HEADER);
  while ((options.rows !== undefined && rows < options.rows) || (options.bytes !== undefined && written < options.bytes)) await write(csvRow(rows++));
  out.end();
  await once(out, 'finish');
  return rows;
}
