// The two hunts of the ThreatFox Mirai hunt report the product was specified from, as the
// report prints them. Insert Hunt must reproduce their query lines exactly.

export const REPORT_COMMONSECURITYLOG_HUNT = `// Hunt for network connections to known malicious IPs
// Source: ThreatFox - Mirai
let malicious_ips = dynamic(["5.39.216.137", "5.175.215.102"]);
CommonSecurityLog
| where DestinationIP in (malicious_ips) or SourceIP in (malicious_ips)
| project TimeGenerated, SourceIP, DestinationIP, DestinationPort, DeviceAction, Activity
| order by TimeGenerated desc`;

export const REPORT_DEVICENETWORKEVENTS_HUNT = `// Hunt in Defender for Endpoint network events
let malicious_ips = dynamic(["5.39.216.137", "5.175.215.102"]);
DeviceNetworkEvents
| where RemoteIP in (malicious_ips)
| project Timestamp, DeviceName, RemoteIP, RemotePort, InitiatingProcessFileName, ActionType
| order by Timestamp desc`;

export function queryLines(text: string): string[] {
  return text.split('\n').filter((line) => !line.trim().startsWith('//'));
}

export function commentLines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim().startsWith('//'));
}

/** The header line generated hunts add below the report's comments: the data connectors of the table. */
export const CONNECTOR_COMMENTS = {
  CommonSecurityLog: '// Data connectors: Common Event Format (CEF) via AMA, Common Event Format (CEF) and 97 more',
  DeviceNetworkEvents: '// Data connector: Microsoft Defender XDR',
} as const;

/** The report's CommonSecurityLog hunt as Insert Hunt writes it: the report's lines plus the connector line after the source. */
export const GENERATED_COMMONSECURITYLOG_HUNT = REPORT_COMMONSECURITYLOG_HUNT.replace('// Source: ThreatFox - Mirai\n', `// Source: ThreatFox - Mirai\n${CONNECTOR_COMMENTS.CommonSecurityLog}\n`);
