import { Environment } from '../schema/types';

// How a hunt for indicator addresses reads each table it supports: which columns hold the
// addresses, what to show, and in which environment the table is usually hunted. Templates
// build hunts from these and from the loaded indicator sets.

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
  /** Output columns; `{time}` stands for the environment's time column. */
  project: string[];
  /** Microsoft Sentinel data connector that fills the table. */
  connector?: string;
}

export const HUNT_PROFILES: readonly HuntProfile[] = [
  {
    table: 'CommonSecurityLog',
    environment: 'sentinel',
    title: 'Hunt for network connections to known malicious IPs',
    addressColumns: ['DestinationIP', 'SourceIP'],
    portColumn: 'DestinationPort',
    project: ['{time}', 'SourceIP', 'DestinationIP', 'DestinationPort', 'DeviceAction', 'Activity'],
  },
  {
    table: 'DeviceNetworkEvents',
    environment: 'defender',
    title: 'Hunt in Defender for Endpoint network events',
    addressColumns: ['RemoteIP'],
    portColumn: 'RemotePort',
    project: ['{time}', 'DeviceName', 'RemoteIP', 'RemotePort', 'InitiatingProcessFileName', 'ActionType'],
  },
  {
    table: 'DeviceEvents',
    environment: 'defender',
    title: 'Hunt in Defender for Endpoint device events',
    addressColumns: ['RemoteIP'],
    portColumn: 'RemotePort',
    project: ['{time}', 'DeviceName', 'ActionType', 'RemoteIP', 'RemotePort', 'InitiatingProcessFileName', 'InitiatingProcessCommandLine'],
  },
  {
    table: 'DeviceProcessEvents',
    environment: 'defender',
    title: 'Hunt for processes whose command line names known malicious IPs',
    addressTextColumns: ['ProcessCommandLine'],
    project: ['{time}', 'DeviceName', 'AccountName', 'FileName', 'ProcessCommandLine', 'InitiatingProcessFileName'],
  },
  {
    table: 'ASimNetworkSessionLogs',
    environment: 'sentinel',
    title: 'Hunt in ASIM network sessions for known malicious IPs',
    addressColumns: ['DstIpAddr', 'SrcIpAddr'],
    portColumn: 'DstPortNumber',
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
