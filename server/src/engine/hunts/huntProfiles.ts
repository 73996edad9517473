import { HashType } from '../intel/model';
import { Environment } from '../schema/types';

// How a hunt for indicators reads each table it supports: which columns hold addresses, host
// names, URLs and file hashes, what to show, and in which environment the table is usually
// hunted. Templates build hunts from these and from the loaded indicator sets.

export interface HuntProfile {
  table: string;
  /** Environment the table is usually hunted in; decides the time column of the output. */
  environment: Environment;
  /** First header comment line. */
  title: string;
  /** Columns compared with the indicator addresses: `Column in (list)`, joined with `or`. */
  addressColumns?: string[];
  /** Text columns searched for the addresses as terms: `Column has_any (list)`. */
  addressTextColumns?: string[];
  portColumn?: string;
  /** Host-name columns compared with the domains, ignoring case: `Column in~ (list)`. */
  domainColumns?: string[];
  /** URL columns searched for the domains as terms: `Column has_any (list)`. */
  domainTextColumns?: string[];
  /** URL columns searched for the URLs: `Column has_any (list)`. */
  urlColumns?: string[];
  /** The column holding each hash type; one column may hold several (CEF's FileHash). */
  hashColumns?: Partial<Record<HashType, string>>;
  /**
   * Output columns; `{time}` stands for the environment's time column. Columns a hunt matches
   * on that are not listed here are added at the end.
   */
  project: string[];
  /** Microsoft Sentinel data connector that fills the table. */
  connector?: string;
}

const DEVICE_HASHES: Partial<Record<HashType, string>> = { md5_hash: 'MD5', sha1_hash: 'SHA1', sha256_hash: 'SHA256' };

export const HUNT_PROFILES: readonly HuntProfile[] = [
  {
    table: 'CommonSecurityLog',
    environment: 'sentinel',
    title: 'Hunt for network connections to known malicious IPs',
    addressColumns: ['DestinationIP', 'SourceIP'],
    portColumn: 'DestinationPort',
    domainColumns: ['DestinationHostName'],
    domainTextColumns: ['RequestURL'],
    urlColumns: ['RequestURL'],
    // CEF's fileHash does not say which algorithm it holds.
    hashColumns: { md5_hash: 'FileHash', sha1_hash: 'FileHash', sha256_hash: 'FileHash' },
    project: ['{time}', 'SourceIP', 'DestinationIP', 'DestinationPort', 'DeviceAction', 'Activity'],
  },
  {
    table: 'DeviceNetworkEvents',
    environment: 'defender',
    title: 'Hunt in Defender for Endpoint network events',
    addressColumns: ['RemoteIP'],
    portColumn: 'RemotePort',
    domainTextColumns: ['RemoteUrl'],
    urlColumns: ['RemoteUrl'],
    project: ['{time}', 'DeviceName', 'RemoteIP', 'RemotePort', 'InitiatingProcessFileName', 'ActionType'],
  },
  {
    table: 'DeviceEvents',
    environment: 'defender',
    title: 'Hunt in Defender for Endpoint device events',
    addressColumns: ['RemoteIP'],
    portColumn: 'RemotePort',
    domainTextColumns: ['RemoteUrl'],
    urlColumns: ['RemoteUrl'],
    hashColumns: DEVICE_HASHES,
    project: ['{time}', 'DeviceName', 'ActionType', 'RemoteIP', 'RemotePort', 'InitiatingProcessFileName', 'InitiatingProcessCommandLine'],
  },
  {
    table: 'DeviceProcessEvents',
    environment: 'defender',
    title: 'Hunt for processes whose command line names known malicious IPs',
    addressTextColumns: ['ProcessCommandLine'],
    hashColumns: DEVICE_HASHES,
    project: ['{time}', 'DeviceName', 'AccountName', 'FileName', 'ProcessCommandLine', 'InitiatingProcessFileName'],
  },
  {
    table: 'DeviceFileEvents',
    environment: 'defender',
    title: 'Hunt for files from known malicious sources in Defender for Endpoint file events',
    domainTextColumns: ['FileOriginUrl'],
    urlColumns: ['FileOriginUrl'],
    hashColumns: DEVICE_HASHES,
    project: ['{time}', 'DeviceName', 'ActionType', 'FileName', 'FolderPath', 'SHA256', 'InitiatingProcessFileName'],
  },
  {
    table: 'DeviceImageLoadEvents',
    environment: 'defender',
    title: 'Hunt for known malicious libraries loaded on devices',
    hashColumns: DEVICE_HASHES,
    project: ['{time}', 'DeviceName', 'FileName', 'FolderPath', 'SHA256', 'InitiatingProcessFileName'],
  },
  {
    table: 'EmailAttachmentInfo',
    environment: 'defender',
    title: 'Hunt for known malicious email attachments',
    hashColumns: { sha256_hash: 'SHA256' },
    project: ['{time}', 'SenderFromAddress', 'RecipientEmailAddress', 'FileName', 'SHA256', 'NetworkMessageId'],
  },
  {
    table: 'EmailUrlInfo',
    environment: 'defender',
    title: 'Hunt for known malicious links in email',
    domainColumns: ['UrlDomain'],
    urlColumns: ['Url'],
    project: ['{time}', 'Url', 'UrlDomain', 'UrlLocation', 'NetworkMessageId'],
  },
  {
    table: 'UrlClickEvents',
    environment: 'defender',
    title: 'Hunt for clicks on known malicious links',
    domainTextColumns: ['Url'],
    urlColumns: ['Url'],
    project: ['{time}', 'AccountUpn', 'Url', 'ActionType', 'IsClickedThrough', 'Workload'],
  },
  {
    table: 'DnsEvents',
    environment: 'sentinel',
    title: 'Hunt for DNS queries for known malicious domains',
    domainColumns: ['Name'],
    project: ['{time}', 'Computer', 'ClientIP', 'Name', 'QueryType', 'IPAddresses'],
  },
  {
    table: 'ASimDnsActivityLogs',
    environment: 'sentinel',
    title: 'Hunt in ASIM DNS activity for known malicious domains',
    domainColumns: ['DnsQuery'],
    project: ['{time}', 'SrcIpAddr', 'DnsQuery', 'DnsQueryTypeName', 'DnsResponseName', 'Dvc'],
  },
  {
    table: 'ASimWebSessionLogs',
    environment: 'sentinel',
    title: 'Hunt in ASIM web sessions for known malicious IPs',
    addressColumns: ['DstIpAddr'],
    portColumn: 'DstPortNumber',
    domainTextColumns: ['Url'],
    urlColumns: ['Url'],
    project: ['{time}', 'SrcIpAddr', 'DstIpAddr', 'DstPortNumber', 'Url', 'DvcAction'],
  },
  {
    table: 'AZFWApplicationRule',
    environment: 'sentinel',
    title: 'Hunt in Azure Firewall application rule logs for known malicious destinations',
    domainColumns: ['Fqdn'],
    urlColumns: ['TargetUrl'],
    project: ['{time}', 'SourceIp', 'Fqdn', 'TargetUrl', 'DestinationPort', 'Action'],
  },
  {
    table: 'AZFWDnsQuery',
    environment: 'sentinel',
    title: 'Hunt in Azure Firewall DNS proxy logs for known malicious domains',
    domainColumns: ['QueryName'],
    project: ['{time}', 'SourceIp', 'QueryName', 'QueryType', 'ResponseCode'],
  },
  {
    table: 'ASimFileEventLogs',
    environment: 'sentinel',
    title: 'Hunt in ASIM file events for known malicious files',
    hashColumns: { md5_hash: 'TargetFileMD5', sha1_hash: 'TargetFileSHA1', sha256_hash: 'TargetFileSHA256' },
    project: ['{time}', 'DvcHostname', 'EventType', 'TargetFilePath', 'TargetFileSHA256', 'ActorUsername'],
  },
  {
    table: 'ASimProcessEventLogs',
    environment: 'sentinel',
    title: 'Hunt in ASIM process events for known malicious programs',
    hashColumns: { md5_hash: 'TargetProcessMD5', sha1_hash: 'TargetProcessSHA1', sha256_hash: 'TargetProcessSHA256' },
    project: ['{time}', 'DvcHostname', 'ActorUsername', 'TargetProcessName', 'TargetProcessCommandLine', 'TargetProcessSHA256'],
  },
  {
    table: 'ASimNetworkSessionLogs',
    environment: 'sentinel',
    title: 'Hunt in ASIM network sessions for known malicious IPs',
    addressColumns: ['DstIpAddr', 'SrcIpAddr'],
    portColumn: 'DstPortNumber',
    domainColumns: ['DstHostname'],
    project: ['{time}', 'SrcIpAddr', 'DstIpAddr', 'DstPortNumber', 'DvcAction', 'Dvc'],
  },
  {
    table: 'AZFWNetworkRule',
    environment: 'sentinel',
    title: 'Hunt in Azure Firewall network rule logs for known malicious IPs',
    addressColumns: ['DestinationIp', 'SourceIp'],
    portColumn: 'DestinationPort',
    project: ['{time}', 'SourceIp', 'DestinationIp', 'DestinationPort', 'Protocol', 'Action'],
  },
  {
    table: 'Syslog',
    environment: 'sentinel',
    title: 'Hunt in Syslog messages for known malicious IPs',
    addressTextColumns: ['SyslogMessage'],
    project: ['{time}', 'Computer', 'HostIP', 'ProcessName', 'SyslogMessage'],
  },
];

export function huntProfile(table: string): HuntProfile | undefined {
  return HUNT_PROFILES.find((profile) => profile.table === table);
}
