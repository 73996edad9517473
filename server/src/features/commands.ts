import { Connection, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Position } from 'vscode-languageserver-types';
import { allExclusionEdits } from '../engine/codeActions';
import { HuntEngine } from '../engine/engine';
import { huntOptions, insertHunt } from '../engine/insertHunt';
import { IntelSources } from './intelSources';
import { SettingsStore } from './settingsStore';

// Commands the server executes (`workspace/executeCommand`). The client's own commands, with
// their quick picks, call these.

export const SERVER_COMMANDS = {
  insertHunt: 'kqlHunt.server.insertHunt',
  huntOptions: 'kqlHunt.server.huntOptions',
  addAllExclusions: 'kqlHunt.server.addAllExclusions',
  intelStatus: 'kqlHunt.server.intelStatus',
} as const;

export interface InsertHuntArguments {
  uri: string;
  set?: string;
  table: string;
  withExclusions?: boolean;
  position?: Position;
}

export interface CommandResult {
  applied: boolean;
  message?: string;
  text?: string;
}

export class Commands {
  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly engine: HuntEngine,
    private readonly settings: SettingsStore,
    private readonly intel: IntelSources,
  ) {}

  async execute(command: string, args: unknown[]): Promise<unknown> {
    switch (command) {
      case SERVER_COMMANDS.huntOptions:
        return huntOptions(this.engine);
      case SERVER_COMMANDS.insertHunt:
        return this.insertHunt(args[0] as InsertHuntArguments);
      case SERVER_COMMANDS.addAllExclusions:
        return this.addAllExclusions(args[0] as { uri: string });
      case SERVER_COMMANDS.intelStatus:
        return this.intel.status();
      default:
        return { applied: false, message: `Unknown command '${command}'.` };
    }
  }

  private document(uri: string | undefined): TextDocument | undefined {
    return uri ? this.documents.get(uri) : undefined;
  }

  private async insertHunt(args: InsertHuntArguments | undefined): Promise<CommandResult> {
    const document = this.document(args?.uri);
    if (!args || !document) return { applied: false, message: `The document ${args?.uri ?? '(none given)'} is not open.` };
    if (typeof args.table !== 'string') return { applied: false, message: 'Insert Hunt needs a table, such as "DeviceNetworkEvents".' };

    const settings = await this.settings.get(document.uri);
    const result = insertHunt(this.engine, document, settings, { set: args.set, table: args.table, withExclusions: args.withExclusions ?? false, position: args.position });
    if ('error' in result) return { applied: false, message: result.error };
    const applied = await this.connection.workspace.applyEdit({ label: 'Insert hunt', edit: { changes: { [document.uri]: [result.edit] } } });
    return { applied: applied.applied, text: result.hunt, message: applied.failureReason };
  }

  private async addAllExclusions(args: { uri: string } | undefined): Promise<CommandResult> {
    const document = this.document(args?.uri);
    if (!document) return { applied: false, message: `The document ${args?.uri ?? '(none given)'} is not open.` };
    const settings = await this.settings.get(document.uri);
    const analysis = await this.engine.analyzeDocument(document, settings);
    const edits = allExclusionEdits(this.engine, document, analysis, settings);
    if (edits.length === 0) return { applied: false, message: 'No hunt in this file is missing an exclusion.' };
    const applied = await this.connection.workspace.applyEdit({ label: 'Add all missing exclusions', edit: { changes: { [document.uri]: edits } } });
    return { applied: applied.applied, message: applied.failureReason };
  }
}
