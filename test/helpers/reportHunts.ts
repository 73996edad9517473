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
