import { Role } from './scenarios';

// Which column of a table plays each role of the false-positive scenarios. A table missing a
// role cannot express the scenarios that need it. Device* tables have the same columns in both
// environments; the Sentinel-only tables have their own names.

const INITIATING_PROCESS: Partial<Record<Role, string>> = {
  processFileName: 'InitiatingProcessFileName',
  commandLine: 'InitiatingProcessCommandLine',
  account: 'InitiatingProcessAccountName',
};

export const TABLE_ROLES: Record<string, Partial<Record<Role, string>>> = {
  DeviceNetworkEvents: { ...INITIATING_PROCESS, remoteIp: 'RemoteIP' },
  DeviceEvents: { ...INITIATING_PROCESS, remoteIp: 'RemoteIP' },
  DeviceProcessEvents: { processFileName: 'FileName', commandLine: 'ProcessCommandLine', account: 'AccountName' },
  DeviceFileEvents: { ...INITIATING_PROCESS },
  DeviceRegistryEvents: { ...INITIATING_PROCESS },
  DeviceImageLoadEvents: { ...INITIATING_PROCESS },
  DeviceLogonEvents: { ...INITIATING_PROCESS, remoteIp: 'RemoteIP' },
  SecurityEvent: { processFileName: 'Process', commandLine: 'CommandLine', account: 'SubjectUserName', remoteIp: 'IpAddress' },
  ASimProcessEventLogs: { processFileName: 'TargetProcessName', commandLine: 'TargetProcessCommandLine', account: 'ActorUsername' },
  CommonSecurityLog: { processFileName: 'ProcessName', account: 'SourceUserName', remoteIp: 'DestinationIP' },
  ASimNetworkSessionLogs: { account: 'SrcUsername', remoteIp: 'DstIpAddr' },
  Syslog: { processFileName: 'ProcessName', remoteIp: 'HostIP' },
  AZFWNetworkRule: { remoteIp: 'DestinationIp' },
  VMConnection: { processFileName: 'ProcessName', remoteIp: 'RemoteIp' },
};
