// MITRE ATT&CK terms as Microsoft Sentinel rules spell them: the enterprise tactics written
// without spaces (`CommandAndControl`), and technique ids such as T1071 or T1071.001.

/** The fourteen enterprise tactics of MITRE ATT&CK (the set since ATT&CK v8), in kill-chain order. */
export const ENTERPRISE_TACTICS: readonly string[] = [
  'Reconnaissance',
  'ResourceDevelopment',
  'InitialAccess',
  'Execution',
  'Persistence',
  'PrivilegeEscalation',
  'DefenseEvasion',
  'CredentialAccess',
  'Discovery',
  'LateralMovement',
  'Collection',
  'CommandAndControl',
  'Exfiltration',
  'Impact',
];

const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;

function squash(value: string): string {
  return value.replace(/[\s_-]/g, '').toLowerCase();
}

/** The Sentinel spelling of a tactic written with other case or spaces ("command and control"), if any. */
export function canonicalTactic(value: string): string | undefined {
  return ENTERPRISE_TACTICS.find((tactic) => squash(tactic) === squash(value));
}

export function isTechniqueId(value: string): boolean {
  return TECHNIQUE_ID.test(value);
}

/** The technique id a value stands for when only its case or surrounding blanks are wrong (`t1071.001 `). */
export function canonicalTechnique(value: string): string | undefined {
  const candidate = value.trim().toUpperCase();
  return TECHNIQUE_ID.test(candidate) ? candidate : undefined;
}

/** The ATT&CK tactics and techniques a hunt for a threat type's indicators finds evidence of. */
export interface ThreatMapping {
  tactics: string[];
  techniques: string[];
}

// ThreatFox threat types: payload_delivery addresses serve malware downloads (Ingress Tool
// Transfer), botnet_cc addresses are command-and-control servers (Application Layer Protocol).
const THREAT_MAPPINGS: Record<string, ThreatMapping> = {
  payload_delivery: { tactics: ['CommandAndControl'], techniques: ['T1105'] },
  botnet_cc: { tactics: ['CommandAndControl'], techniques: ['T1071'] },
};

const DEFAULT_MAPPING: ThreatMapping = { tactics: ['CommandAndControl'], techniques: ['T1071'] };

/** Tactics and techniques for a set of threat types, merged, in first-seen order. */
export function threatMapping(threatTypes: readonly string[]): ThreatMapping {
  const known = threatTypes.map((type) => THREAT_MAPPINGS[type]).filter((mapping): mapping is ThreatMapping => mapping !== undefined);
  const mappings = known.length > 0 ? known : [DEFAULT_MAPPING];
  return {
    tactics: [...new Set(mappings.flatMap((mapping) => mapping.tactics))],
    techniques: [...new Set(mappings.flatMap((mapping) => mapping.techniques))],
  };
}
