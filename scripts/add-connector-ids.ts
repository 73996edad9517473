// Adds each data connector's id (`connectorId`, as Sentinel rule templates write it in
// requiredDataConnectors) to server/data/connectors.json, by the connector's title.
// Usage: node scripts/run.mjs scripts/add-connector-ids.ts
//
// Source of the ids: the Azure-Sentinel repository's Solutions Analyzer mapping of solutions,
// connector ids and tables (Tools/Solutions Analyzer/solutions_connectors_tables_mapping_simplified.csv)
// and its connector pages (Tools/Solutions Analyzer/connector-docs/connectors/*.md, which give
// each id with its title). A title is matched to the id that the mapping lists for the same
// table. The vendor connectors of the shared tables CommonSecurityLog, Syslog,
// ThreatIntelligenceIndicator and ThreatIntelIndicators are left without an id on purpose:
// they are many, and a generated rule should name the generic connector of those tables.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const FILE = resolve('server/data/connectors.json');

const IDS: Record<string, string> = {
  'Microsoft Entra ID': 'AzureActiveDirectory',
  'Microsoft Entra ID Protection': 'AzureActiveDirectoryIdentityProtection',
  'Microsoft Defender XDR': 'MicrosoftThreatProtection',
  'Microsoft Defender for Endpoint': 'MicrosoftDefenderAdvancedThreatProtection',
  'Microsoft Defender for Identity': 'AzureAdvancedThreatProtection',
  'Microsoft Defender for Cloud Apps': 'MicrosoftCloudAppSecurity',
  'Microsoft Defender for IoT': 'IoT',
  'Microsoft Defender for Office 365 (Preview)': 'OfficeATP',
  'Subscription-based Microsoft Defender for Cloud (Legacy)': 'AzureSecurityCenter',
  'Tenant-based Microsoft Defender for Cloud': 'MicrosoftDefenderForCloudTenantBased',
  'Microsoft 365 Insider Risk Management': 'OfficeIRM',
  'Microsoft 365 (formerly, Office 365)': 'Office365',
  'Microsoft Copilot': 'MicrosoftCopilot',
  'Microsoft PowerBI': 'OfficePowerBI',
  'Microsoft Project': 'Office365Project',
  'Microsoft Purview': 'MicrosoftAzurePurview',
  'Microsoft Purview Information Protection': 'MicrosoftPurviewInformationProtection',
  'Dynamics 365': 'Dynamics365',
  'Microsoft Defender Threat Intelligence': 'MicrosoftDefenderThreatIntelligence',
  'Premium Microsoft Defender Threat Intelligence': 'PremiumMicrosoftDefenderForThreatIntelligence',
  'Threat Intelligence Platforms': 'ThreatIntelligence',
  'Threat intelligence - TAXII': 'ThreatIntelligenceTaxii',
  'Threat Intelligence Upload API (Preview)': 'ThreatIntelligenceUploadIndicatorsAPI',
  'Threat intelligence - TAXII Export (Preview)': 'ThreatIntelligenceTaxiiExport',
  'Common Event Format (CEF)': 'CEF',
  'Common Event Format (CEF) via AMA': 'CefAma',
  'Syslog via Legacy Agent': 'Syslog',
  'Syslog via AMA': 'SyslogAma',
  'Security Events via Legacy Agent': 'SecurityEvents',
  'Windows Security Events via AMA': 'WindowsSecurityEvents',
  'Windows Forwarded Events': 'WindowsForwardedEvents',
  'Windows Firewall': 'WindowsFirewall',
  'Windows Firewall Events via AMA': 'WindowsFirewallAma',
  'Windows DNS Events via AMA': 'ASimDnsActivityLogs',
  DNS: 'DNS',
  'Microsoft Active-Directory Domain Controllers Security Event Logs': 'ESI-Opt34DomainControllersSecurityEventLogs',
  '[Deprecated] Microsoft Exchange Logs and Events': 'ESI-ExchangeAdminAuditLogEvents',
  'Microsoft Exchange Admin Audit Logs by Event Logs': 'ESI-Opt1ExchangeAdminAuditLogsByEventLogs',
  'Microsoft Exchange Logs and Events': 'ESI-Opt2ExchangeServersEventLogs',
  'IIS Logs of Microsoft Exchange Servers': 'ESI-Opt5ExchangeIISLogs',
  'Azure Activity': 'AzureActivity',
  'Azure Firewall': 'AzureFirewall',
  'Azure Batch Account': 'AzureBatchAccount_CCP',
  'Azure Cognitive Search': 'AzureCognitiveSearch_CCP',
  'Azure DDoS Protection': 'DDOS',
  'Azure Data Lake Storage Gen1': 'AzureDataLakeStorageGen1_CCP',
  'Azure Event Hub': 'AzureEventHub_CCP',
  'Azure Key Vault': 'AzureKeyVault',
  'Azure Kubernetes Service (AKS)': 'AzureKubernetes',
  'Azure Logic Apps': 'AzureLogicApps_CCP',
  'Azure SQL Databases': 'AzureSql',
  'Azure Service Bus': 'AzureServiceBus_CCP',
  'Azure Storage Account': 'AzureStorageAccount',
  'Azure Stream Analytics': 'AzureStreamAnalytics_CCP',
  'Azure Web Application Firewall (WAF)': 'WAF',
  'Network Security Groups': 'AzureNSG',
  'Amazon Web Services': 'AWS',
  'Amazon Web Services S3': 'AwsS3',
  'Amazon Web Services S3 WAF': 'AwsS3WafCcpDefinition',
  'Amazon Web Services S3 VPC Flow Logs': 'AWSS3VPCFlowLogsParquetDefinition',
  'Amazon Web Services NetworkFirewall (via Codeless Connector Framework)': 'AwsNetworkFirewallCcpDefinition',
  'Amazon Web Services S3 DNS Route53 (via Codeless Connector Framework)': 'AWSRoute53ResolverCCPDefinition',
  'AWS S3 Server Access Logs (via Codeless Connector Framework)': 'AwsS3ServerAccessLogsDefinition',
  'AWS Security Hub Findings (via Codeless Connector Framework)': 'AwsSecurityHubFindingsCcpDefinition',
  'Google ApigeeX (via Codeless Connector Framework)': 'GoogleApigeeXLogsCCPDefinition',
  'GCP Pub/Sub Audit Logs': 'GCPPub/SubAuditLogs',
  'Google Cloud Platform CDN (via Codeless Connector Framework)': 'GCPCDNLogsCCPDefinition',
  'GCP Cloud Run (via Codeless Connector Framework)': 'GCPCloudRunLogs_ConnectorDefinition',
  'GCP Cloud SQL (via Codeless Connector Framework)': 'GCPCloudSQLCCFDefinition',
  'Google Cloud Platform Compute Engine (via Codeless Connector Framework)': 'GCPComputeEngineLogsCCPDefinition',
  'Google Cloud Platform DNS (via Codeless Connector Framework)': 'GCPDNSLogsCCPDefinition',
  'GCP Pub/Sub Firewall Logs': 'GCPFirewallLogsCCPDefinition',
  'Google Cloud Platform IAM (via Codeless Connector Framework)': 'GCPIAMCCPDefinition',
  'Google Cloud Platform Cloud IDS (via Codeless Connector Framework)': 'GCPCLOUDIDSLogsCCPDefinition',
  'Google Cloud Platform Cloud Monitoring (via Codeless Connector Framework)': 'GCPMonitorCCPDefinition',
  'Google Cloud Platform NAT (via Codeless Connector Framework)': 'GCPNATLogsCCPDefinition',
  'Google Cloud Platform Resource Manager (via Codeless Connector Framework)': 'GCPResourceManagerLogsCCFDefinition',
  'GCP Pub/Sub VPC Flow Logs (via Codeless Connector Framework)': 'GCPVPCFlowLogsCCPDefinition',
  'Google Kubernetes Engine (via Codeless Connector Framework)': 'GKECCPDefinition',
  'Google Security Command Center': 'GoogleSCCDefinition',
  'Google Workspace Activities (via Codeless Connector Framework)': 'GoogleWorkspaceCCPDefinition',
  'CrowdStrike API Data Connector (via Codeless Connector Framework)': 'CrowdStrikeAPIConnector',
  'CrowdStrike Falcon Data Replicator (CrowdStrike Managed AWS-S3)': 'CrowdstrikeReplicatorv2',
  'VMware Carbon Black Cloud via AWS S3': 'carbonBlackAWSS3',
  'Cisco Meraki (using REST API)': 'CiscoMerakiMultiRule',
  'Workday User Activity': 'WorkdayCCPDefinition',
  'Pathlock Inc.: Threat Detection and Response for SAP': 'Pathlock_TDnR',
  'SAP S/4HANA Cloud Public Edition': 'SAPS4PublicAlerts',
  'SecurityBridge Solution for SAP': 'SecurityBridge',
  'Semperis Directory Services Protector': 'SemperisDSP',
  'Cyborg Security HUNTER Hunt Packages': 'CyborgSecurity_HUNTER',
  'SlashNext Function App': 'SlashNextFunctionApp',
  'SailPoint IdentityNow': 'SailPointIdentityNow',
  'Automated Logic WebCTRL': 'AutomatedLogicWebCTRL',
};

/** Tables whose vendor connectors get no id (see the header). */
const SHARED_TABLES = new Set(['CommonSecurityLog', 'Syslog', 'ThreatIntelligenceIndicator', 'ThreatIntelIndicators']);

/** Connectors of the shared tables that keep their id: the generic and Microsoft ones. */
const SHARED_TABLE_CONNECTORS = new Set([
  'Common Event Format (CEF)',
  'Common Event Format (CEF) via AMA',
  'Syslog via Legacy Agent',
  'Syslog via AMA',
  'Microsoft Defender Threat Intelligence',
  'Premium Microsoft Defender Threat Intelligence',
  'Threat Intelligence Platforms',
  'Threat intelligence - TAXII',
  'Threat Intelligence Upload API (Preview)',
]);

interface Entry {
  connector: string;
  connectorId?: string;
  source: string;
}

const data = JSON.parse(readFileSync(FILE, 'utf8')) as { format: string; note: string; tables: Record<string, Entry[]> };
const withoutId = new Set<string>();
let added = 0;
for (const [table, entries] of Object.entries(data.tables)) {
  data.tables[table] = entries.map((entry) => {
    const id = SHARED_TABLES.has(table) && !SHARED_TABLE_CONNECTORS.has(entry.connector) ? undefined : IDS[entry.connector];
    if (!id) {
      withoutId.add(entry.connector);
      return { connector: entry.connector, source: entry.source };
    }
    added++;
    return { connector: entry.connector, connectorId: id, source: entry.source };
  });
}
writeFileSync(FILE, JSON.stringify(data, null, 2) + '\n');
console.log(`${added} connector entries have an id; ${withoutId.size} connectors have none.`);
