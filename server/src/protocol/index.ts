// Custom requests and notifications between the VS Code client and the server, beyond the
// LSP. Plain names and JSON shapes only, so that the client bundle can import this file without
// pulling in the server.

import type { CoverageCell, CoverageFamily, CoverageHunt, CoverageMatrix, CoverageState } from '../engine/coverage/types';
import type { HuntOption } from '../engine/insertHunt';
import type { IntelStatus } from '../engine/intel/manager';
import type { FamilyNode, IndicatorNode, IntelTreeNode, MoreNode, ProblemNode, SourceNode } from '../engine/intel/tree';
import type { LoadProblem } from '../engine/util/problems';

export type { CoverageCell, CoverageFamily, CoverageHunt, CoverageMatrix, CoverageState, FamilyNode, HuntOption, IndicatorNode, IntelStatus, IntelTreeNode, MoreNode, ProblemNode, SourceNode };

/** Commands the server executes (`workspace/executeCommand`); the client's commands call them. */
export const SERVER_COMMANDS = {
  insertHunt: 'kqlHunt.server.insertHunt',
  huntOptions: 'kqlHunt.server.huntOptions',
  addAllExclusions: 'kqlHunt.server.addAllExclusions',
  formatHunt: 'kqlHunt.server.formatHunt',
  huntText: 'kqlHunt.server.huntText',
  huntingQueryYaml: 'kqlHunt.server.huntingQueryYaml',
  intelStatus: 'kqlHunt.server.intelStatus',
  refangFile: 'kqlHunt.server.refangFile',
  reload: 'kqlHunt.server.reload',
} as const;

/** Arguments of Format Hunt and of the hunt-text command: a document and a position in a hunt. */
export interface HuntPositionArguments {
  uri: string;
  position: { line: number; character: number };
  /** The editor's indentation, for Format Hunt; spaces of size 4 when omitted. */
  options?: { tabSize: number; insertSpaces: boolean };
}

/** A hunt's name and its text as it goes to the Sentinel or Defender portal. */
export interface HuntCopy {
  name: string;
  text: string;
}

export interface HuntingQueryArguments {
  set?: string;
  table: string;
  /** Whether to add the false-positive exclusions; true when omitted. */
  withExclusions?: boolean;
}

/** What the hunting-query command returns: the YAML text and a file name for it. */
export interface HuntingQueryFile {
  text: string;
  fileName: string;
}

export interface InsertHuntArguments {
  uri: string;
  /** Set name ("ThreatFox - Mirai") or family ("Mirai"); the first loaded set when omitted. */
  set?: string;
  table: string;
  withExclusions?: boolean;
  position?: { line: number; character: number };
}

export interface CommandResult {
  applied: boolean;
  message?: string;
  /** The inserted hunt, for Insert Hunt. */
  text?: string;
}

/** `kqlHunt/blockInfo`: the environment of the block at a position. */
export const BLOCK_INFO_REQUEST = 'kqlHunt/blockInfo';

export interface BlockInfoParams {
  uri: string;
  position: { line: number; character: number };
}

export interface BlockInfo {
  /** `sentinel` or `defender`; null when no query is at the position. */
  environment: 'sentinel' | 'defender' | null;
  /** Display name of the environment, such as "Defender XDR advanced hunting". */
  label: string | null;
  /** Why this environment applies ("auto: uses Timestamp on DeviceNetworkEvents"), or why none does. */
  reason: string;
  /** 0-based first and last line of the block; null when no query is at the position. */
  lines: { start: number; end: number } | null;
}

/** `kqlHunt/status`: what is loaded and when the last analysis ran. */
export const STATUS_REQUEST = 'kqlHunt/status';

/** Sent by the server with a new `ServerStatus` whenever it changes. */
export const STATUS_CHANGED_NOTIFICATION = 'kqlHunt/statusChanged';

export interface IndicatorSetStatus {
  name: string;
  family: string;
  source: string;
  origin: string;
  indicators: number;
}

export interface ServerStatus {
  /** Total indicators over all loaded sets. */
  indicators: number;
  /** Distinct malware families of the loaded sets, sorted. */
  families: string[];
  sets: IndicatorSetStatus[];
  /** ISO 8601 time the last document analysis finished; null before the first one. */
  lastAnalysis: string | null;
  /** Duration of the last analysis in milliseconds; null before the first one. */
  lastAnalysisMs: number | null;
  /** Problems of the last load of intel, schema and function files. */
  loadProblems: LoadProblem[];
  /** False until the editor trusts the workspace; workspace files are not loaded until then. */
  workspaceTrusted: boolean;
}

/** Sent by the client when the user trusts the workspace (VS Code cannot withdraw trust without a reload). */
export const WORKSPACE_TRUST_GRANTED_NOTIFICATION = 'kqlHunt/workspaceTrustGranted';

/** Options the client sends in `initializationOptions`. */
export interface InitializationOptions {
  workspaceTrusted?: boolean;
  settings?: unknown;
}

/** `kqlHunt/intelStatus`: every indicator source with its state, sets and problems. */
export const INTEL_STATUS_REQUEST = 'kqlHunt/intelStatus';

/** Sent by the server with a new `IntelStatus` after each load of indicator files. */
export const INTEL_STATUS_NOTIFICATION = 'kqlHunt/intelStatusChanged';

/** `kqlHunt/intelTree`: the rows of the Indicators view under one row (the sources without a parent). */
export const INTEL_TREE_REQUEST = 'kqlHunt/intelTree';

export interface IntelTreeParams {
  /** The id of the row whose children are wanted; the sources when omitted. */
  parent?: string;
  /** The first child wanted, for the pages of a large family. */
  offset?: number;
}

/** `kqlHunt/intelIndicators`: the values of one source's set, for copying. */
export const INTEL_INDICATORS_REQUEST = 'kqlHunt/intelIndicators';

export interface IntelIndicatorsParams {
  /** The source's path ("built-in" for the built-in set). */
  source: string;
  /** The set's name, "ThreatFox - Mirai". */
  set: string;
}

export interface IntelIndicators {
  /** Refanged values, in the order of the file. */
  values: string[];
}

/** `kqlHunt/coverage`: the coverage matrix of the loaded sets over the workspace's hunts. */
export const COVERAGE_REQUEST = 'kqlHunt/coverage';

/** `kqlHunt/scanWorkspace`: resumes a paused workspace scan and returns its status. */
export const SCAN_WORKSPACE_REQUEST = 'kqlHunt/scanWorkspace';

/** `kqlHunt/pauseScan`: pauses the workspace scan (as cancelling its progress does) and returns its status. */
export const PAUSE_SCAN_REQUEST = 'kqlHunt/pauseScan';

/** Sent by the server whenever the state of the workspace scan changes, and while it runs. */
export const SCAN_STATUS_NOTIFICATION = 'kqlHunt/scanStatus';

export interface ScanStatus {
  /** `off` with the openFiles scope; `paused` after a cancel until Scan Workspace resumes it. */
  state: 'off' | 'scanning' | 'paused' | 'idle';
  /** Files of the current run, and how many are done. */
  total: number;
  done: number;
  /** Closed files whose findings the scan has published. */
  published: number;
}
