// Microsoft Sentinel data connectors that fill the tables hunts use, by the connector ids of
// the Azure-Sentinel repository's rule templates (`requiredDataConnectors[].connectorId`).
// A table with no entry here gets no generated connector and no certain quick fix.

const CONNECTORS_BY_TABLE: Record<string, string[]> = {
  CommonSecurityLog: ['CEF', 'CefAma'],
  Syslog: ['Syslog', 'SyslogAma'],
  SecurityEvent: ['SecurityEvents', 'WindowsSecurityEvents'],
  SigninLogs: ['AzureActiveDirectory'],
  AuditLogs: ['AzureActiveDirectory'],
  AADNonInteractiveUserSignInLogs: ['AzureActiveDirectory'],
  OfficeActivity: ['Office365'],
  AzureActivity: ['AzureActivity'],
  AZFWNetworkRule: ['AzureFirewall'],
  AZFWApplicationRule: ['AzureFirewall'],
  DnsEvents: ['DNS'],
  ThreatIntelligenceIndicator: ['ThreatIntelligence', 'ThreatIntelligenceTaxii'],
  DeviceNetworkEvents: ['MicrosoftThreatProtection'],
  DeviceProcessEvents: ['MicrosoftThreatProtection'],
  DeviceEvents: ['MicrosoftThreatProtection'],
  DeviceFileEvents: ['MicrosoftThreatProtection'],
  DeviceLogonEvents: ['MicrosoftThreatProtection'],
  DeviceRegistryEvents: ['MicrosoftThreatProtection'],
  DeviceInfo: ['MicrosoftThreatProtection'],
  DeviceNetworkInfo: ['MicrosoftThreatProtection'],
  DeviceImageLoadEvents: ['MicrosoftThreatProtection'],
  EmailEvents: ['MicrosoftThreatProtection'],
  EmailUrlInfo: ['MicrosoftThreatProtection'],
};

/** Connector ids known to fill `table`; the first is the one generated files use. */
export function connectorsFor(table: string): readonly string[] {
  return CONNECTORS_BY_TABLE[table] ?? [];
}

/**
 * The table a `dataTypes` entry names. Some templates qualify a shared table with its source,
 * as in `SecurityAlert (ASC)`; the qualifier is not part of the table name.
 */
export function dataTypeTable(dataType: string): string {
  return dataType.replace(/\s*\([^)]*\)\s*$/, '').trim();
}
