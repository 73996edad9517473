// False-positive scenarios for network-indicator hunts, as data. Each scenario states the rows it
// excludes by column role; tableRoles.ts maps roles to the columns of each table. The five
// scenarios and their exclusions come from the ThreatFox Mirai hunt report this product was
// specified from.

export type Role = 'processFileName' | 'commandLine' | 'account' | 'remoteIp';

export const ROLE_LABELS: Record<Role, string> = {
  processFileName: 'process file name',
  commandLine: 'process command line',
  account: 'account name',
  remoteIp: 'remote IP address',
};

/** Settings a condition can draw its values from. */
export type ListSetting = 'adminAccounts' | 'internalNetworks' | 'logServers';

export type Condition =
  /** The column holds any of the terms as whole terms (Kusto `has_any`). */
  | { role: Role; match: 'has_any'; terms: string[] }
  /** The column equals one of the values, ignoring case (Kusto `in~`). */
  | { role: Role; match: 'in~'; terms?: string[]; setting?: ListSetting }
  /** The column matches a regular expression. */
  | { role: Role; match: 'regex'; pattern: string }
  /** The column is an IP address inside one of the ranges or addresses of the settings. */
  | { role: Role; match: 'address'; settings: ListSetting[] };

export interface Scenario {
  id: string;
  title: string;
  description: string;
  /** All conditions together describe the benign rows; the exclusion is `not(...)` of them. */
  conditions: Condition[];
  /**
   * Terms that identify the scenario in other authors' exclusions: a negated filter on any of
   * them (`!has "nmap"`, `not(... has_any ("tar"))`, `!in~ ("apt", "yum")`) counts as present.
   */
  anchors: string[];
}

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'tar-backup',
    title: 'Scheduled system backup using tar',
    description: 'A scheduled job uses tar to back up system files, which can look like the commands this hunt looks for.',
    conditions: [
      { role: 'commandLine', match: 'has_any', terms: ['/bin/tar', '/usr/bin/tar'] },
      { role: 'commandLine', match: 'has_any', terms: ['backup'] },
    ],
    anchors: ['tar'],
  },
  {
    id: 'nc-remote-admin',
    title: 'Administrator using nc for remote management',
    description: 'An administrator runs nc (netcat) with -z or -w to check or manage a remote server.',
    conditions: [
      { role: 'processFileName', match: 'in~', terms: ['nc', 'ncat', 'netcat', 'nc.openbsd', 'nc.traditional'] },
      { role: 'account', match: 'in~', setting: 'adminAccounts' },
      { role: 'commandLine', match: 'regex', pattern: '(^|\\s)-[a-zA-Z]*[zw]' },
    ],
    anchors: ['nc', 'ncat', 'netcat'],
  },
  {
    id: 'rsync-log-collection',
    title: 'Log collection using rsync',
    description: 'rsync copies logs to a known log server or another internal host.',
    conditions: [
      { role: 'commandLine', match: 'has_any', terms: ['rsync'] },
      { role: 'remoteIp', match: 'address', settings: ['logServers', 'internalNetworks'] },
    ],
    anchors: ['rsync'],
  },
  {
    id: 'nmap-internal-scan',
    title: 'Internal network scan with nmap',
    description: 'The security team scans internal ranges for open ports with nmap.',
    conditions: [
      { role: 'commandLine', match: 'has_any', terms: ['nmap'] },
      { role: 'remoteIp', match: 'address', settings: ['internalNetworks'] },
    ],
    anchors: ['nmap'],
  },
  {
    id: 'package-update-cron',
    title: 'Cron job updating packages with apt or yum',
    description: 'A root cron job runs apt or yum to update packages.',
    conditions: [
      { role: 'commandLine', match: 'has_any', terms: ['apt', 'apt-get', 'yum', 'dnf'] },
      { role: 'account', match: 'in~', setting: 'adminAccounts' },
    ],
    anchors: ['apt', 'apt-get', 'yum', 'dnf'],
  },
];

export function scenarioRoles(scenario: Scenario): Role[] {
  return [...new Set(scenario.conditions.map((condition) => condition.role))];
}
