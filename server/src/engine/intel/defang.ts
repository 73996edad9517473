import ipaddr from 'ipaddr.js';

// Defanging makes an indicator safe to paste (no live link, no accidental lookup): `1.2.3.4`
// becomes `1[.]2[.]3[.]4`, `http://` becomes `hxxp://`. A defanged value in a query can never
// match real telemetry, so hunts must hold refanged values.

const REFANG_RULES: [RegExp, string][] = [
  [/\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}/gi, '.'],
  [/\[:\/\/\]/g, '://'],
  [/\[:\]|\(:\)|\{:\}/g, ':'],
  [/\[at\]|\(at\)|\{at\}|\[@\]/gi, '@'],
  [/\bhxxps(?=:|\[:)/gi, 'https'],
  [/\bhxxp(?=:|\[:)/gi, 'http'],
  [/\bfxp(?=:|\[:)/gi, 'ftp'],
];

const DEFANG_MARKERS = /\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}|\[:\]|\(:\)|\{:\}|\[:\/\/\]|\[at\]|\(at\)|\{at\}|\[@\]|\bhxxps?(?=:|\[:)|\bfxp(?=:|\[:)/i;

export function isDefanged(value: string): boolean {
  return DEFANG_MARKERS.test(value);
}

export function refang(value: string): string {
  let result = value;
  for (const [pattern, replacement] of REFANG_RULES) result = result.replace(pattern, replacement);
  return result;
}

/**
 * Defangs a refanged indicator the way threat reports print it. Dots of addresses and host
 * names become `[.]`, colons of IPv6 addresses `[:]`, `http` becomes `hxxp` and `@` becomes
 * `[at]`. The port of an ip:port and hashes do not change.
 */
export function defang(value: string): string {
  const url = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/i.exec(value);
  if (url) {
    const scheme = url[1].replace(/^http/i, (match) => (match === 'HTTP' ? 'HXXP' : 'hxxp')).replace(/^ftp$/i, 'fxp');
    return `${scheme}://${defangAuthority(url[2])}${url[3]}`;
  }
  if (/^[0-9a-f]{32}$|^[0-9a-f]{40}$|^[0-9a-f]{64}$/i.test(value)) return value;
  if (value.includes(':') && ipaddr.IPv6.isValid(value)) return defangIpv6(value);
  return defangAuthority(value);
}

// Host, with an optional `user@` before it and an optional `:port` after it. An IPv6 host is
// bracketed (`[2001:db8::1]:443`).
function defangAuthority(authority: string): string {
  const parts = /^(.*@)?(\[[^\]]*\]|[^@]*?)(:\d+)?$/.exec(authority);
  if (!parts) return defangHost(authority);
  const [, user = '', host, port = ''] = parts;
  if (host.startsWith('[')) return `${defangHost(user)}[${defangIpv6(host.slice(1, -1))}]${port}`;
  return `${defangHost(user)}${defangHost(host)}${port}`;
}

function defangIpv6(address: string): string {
  return address.replace(/:/g, '[:]').replace(/\./g, '[.]');
}

function defangHost(host: string): string {
  return host.replace(/@/g, '[at]').replace(/\./g, '[.]');
}
