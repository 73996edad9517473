// Generates realistic hunt documents for the benchmarks: varied tables, operators and lengths,
// ten lines per hunt including the blank line that separates hunts. Deterministic for a seed.

const HUNTS: ((n: number) => string[])[] = [
  (n) => [
    `// Hunt ${n}: outbound connections to rare ports`,
    'DeviceNetworkEvents',
    `| where Timestamp > ago(${(n % 14) + 1}d)`,
    `| where RemotePort in (${4000 + (n % 50)}, ${8000 + (n % 90)}, 23)`,
    '| where ActionType == "ConnectionSuccess"',
    '| summarize Connections = count(), Devices = dcount(DeviceId) by RemoteIP, RemotePort',
    `| where Connections > ${n % 20}`,
    '| order by Connections desc',
    '| take 100',
  ],
  (n) => [
    `// Hunt ${n}: encoded PowerShell`,
    'DeviceProcessEvents',
    `| where Timestamp > ago(${(n % 7) + 1}d)`,
    '| where FileName in~ ("powershell.exe", "pwsh.exe")',
    '| where ProcessCommandLine has_any ("-enc", "-EncodedCommand", "FromBase64String")',
    `| extend Length${n} = strlen(ProcessCommandLine)`,
    '| project Timestamp, DeviceName, AccountName, ProcessCommandLine, InitiatingProcessFileName',
    '| order by Timestamp desc',
    '| take 50',
  ],
  (n) => [
    `// Hunt ${n}: failed sign-ins from many countries`,
    'SigninLogs',
    `| where TimeGenerated > ago(${(n % 30) + 1}d)`,
    '| where ResultType != "0"',
    '| extend Country = tostring(LocationDetails.countryOrRegion)',
    '| summarize Failures = count(), Countries = dcount(Country) by UserPrincipalName',
    `| where Countries > ${(n % 4) + 2}`,
    '| order by Failures desc',
    '| project UserPrincipalName, Failures, Countries',
  ],
  (n) => [
    `// Hunt ${n}: firewall denies by source`,
    'CommonSecurityLog',
    `| where TimeGenerated > ago(${(n % 3) + 1}h)`,
    '| where DeviceAction in~ ("deny", "drop", "block")',
    '| summarize Denied = count(), Ports = make_set(DestinationPort, 20) by SourceIP, DeviceVendor',
    `| where Denied > ${100 + n}`,
    '| extend PortCount = array_length(Ports)',
    '| order by Denied desc',
    '| take 25',
  ],
  (n) => [
    `// Hunt ${n}: new services installed`,
    'SecurityEvent',
    `| where TimeGenerated > ago(${(n % 10) + 1}d)`,
    '| where EventID == 4697',
    '| extend ServiceName = tostring(EventData)',
    '| summarize Installs = count() by Computer, Account',
    `| where Installs >= ${(n % 3) + 1}`,
    '| order by Installs desc',
    '| project Computer, Account, Installs',
  ],
];

/** A document of `hunts` hunts, ten lines each (nine lines of query and a blank line). */
export function generateDocument(hunts: number, seed = 0): string {
  const parts: string[] = [];
  for (let i = 0; i < hunts; i++) parts.push(HUNTS[(i + seed) % HUNTS.length](i + seed).join('\n'));
  return parts.join('\n\n') + '\n';
}

/** The 0-based line of the first query line (after the comment) of hunt `index`. */
export function huntLine(index: number): number {
  return index * 10;
}
