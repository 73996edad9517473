import { Connection, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { allExclusionEdits, allRefangEdits } from '../engine/codeActions';
import { copyHuntArguments, CopyHuntArguments } from '../engine/editing/codeLens';
import { formatHunt } from '../engine/editing/formatting';
import { documentHunts, huntAt } from '../engine/editing/hunts';
import { HuntEngine } from '../engine/engine';
import { huntingQueryFile, huntOptions, insertHunt } from '../engine/insertHunt';
import { CommandResult, HuntingQueryArguments, HuntPositionArguments, InsertHuntArguments, SERVER_COMMANDS } from '../protocol';
import { IntelSources } from './intelSources';
import { SettingsStore } from './settingsStore';

// Commands the server executes (`workspace/executeCommand`). The client's own commands, with
// their quick picks, call these.

export class Commands {
  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly engine: HuntEngine,
    private readonly settings: SettingsStore,
    private readonly intel: IntelSources,
  ) {}

  /** Reloads the indicator, schema and function files; set by the server, which owns the loaders. */
  reloadWorkspaceFiles: () => Promise<void> = async () => undefined;

  async execute(command: string, args: unknown[]): Promise<unknown> {
    switch (command) {
      case SERVER_COMMANDS.huntOptions:
        return huntOptions(this.engine);
      case SERVER_COMMANDS.insertHunt:
        return this.insertHunt(args[0] as InsertHuntArguments);
      case SERVER_COMMANDS.addAllExclusions:
        return this.addAllExclusions(args[0] as { uri: string });
      case SERVER_COMMANDS.formatHunt:
        return this.formatHunt(args[0] as HuntPositionArguments | undefined);
      case SERVER_COMMANDS.huntText:
        return this.huntText(args[0] as HuntPositionArguments | undefined);
      case SERVER_COMMANDS.huntingQueryYaml:
        return this.huntingQueryYaml(args[0] as HuntingQueryArguments | undefined);
      case SERVER_COMMANDS.intelStatus:
        return this.intel.status();
      case SERVER_COMMANDS.refangFile:
        return this.refangFile(args[0] as { uri: string } | undefined);
      case SERVER_COMMANDS.reload:
        return this.reload();
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

  /** The text and a file name for a new hunting-query YAML file; the client creates the file. */
  private async huntingQueryYaml(args: HuntingQueryArguments | undefined): Promise<{ text: string; fileName: string } | CommandResult> {
    if (typeof args?.table !== 'string') return { applied: false, message: 'A hunting query needs a table, such as "DeviceNetworkEvents".' };
    const settings = await this.settings.get('');
    const result = await huntingQueryFile(this.engine, settings, { set: args.set, table: args.table, withExclusions: args.withExclusions ?? true });
    return 'error' in result ? { applied: false, message: result.error } : result;
  }

  private async refangFile(args: { uri: string } | undefined): Promise<CommandResult> {
    const document = this.document(args?.uri);
    if (!document) return { applied: false, message: `The document ${args?.uri ?? '(none given)'} is not open.` };
    const settings = await this.settings.get(document.uri);
    const analysis = await this.engine.analyzeDocument(document, settings);
    const edits = allRefangEdits(this.engine, document, analysis);
    if (edits.length === 0) return { applied: false, message: 'No string in this file holds a defanged indicator.' };
    const applied = await this.connection.workspace.applyEdit({ label: 'Refang indicators', edit: { changes: { [document.uri]: edits } } });
    return { applied: applied.applied, message: applied.failureReason ?? `Refanged ${edits.length} indicator${edits.length === 1 ? '' : 's'}.` };
  }

  private async reload(): Promise<CommandResult> {
    await this.reloadWorkspaceFiles();
    const status = this.intel.status();
    return { applied: true, message: `Reloaded: ${status.indicators} indicators from ${status.sources.length} source${status.sources.length === 1 ? '' : 's'}.` };
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

  private async formatHunt(args: HuntPositionArguments | undefined): Promise<CommandResult> {
    const document = this.document(args?.uri);
    if (!args || !document) return { applied: false, message: `The document ${args?.uri ?? '(none given)'} is not open.` };
    const settings = await this.settings.get(document.uri);
    const options = args.options ?? { tabSize: 4, insertSpaces: true };
    const outcome = await formatHunt(this.engine, document, args.position, options, settings);
    if (outcome.skipped.length > 0) return { applied: false, message: `The hunt at line ${outcome.skipped[0].line} was not formatted: ${outcome.skipped[0].reason}.` };
    if (outcome.edits.length === 0) return { applied: false, message: 'The hunt is already formatted.' };
    const applied = await this.connection.workspace.applyEdit({ label: 'Format hunt', edit: { changes: { [document.uri]: outcome.edits } } });
    return { applied: applied.applied, message: applied.failureReason };
  }

  /** The name and portal-ready text of the hunt at a position, for the Copy Hunt command. */
  private async huntText(args: HuntPositionArguments | undefined): Promise<CopyHuntArguments | CommandResult> {
    const document = this.document(args?.uri);
    if (!args || !document) return { applied: false, message: `The document ${args?.uri ?? '(none given)'} is not open.` };
    const settings = await this.settings.get(document.uri);
    const hunt = huntAt(documentHunts(document.getText(), settings), document.offsetAt(args.position));
    if (!hunt) return { applied: false, message: 'The cursor is not in a hunt; place it inside the query to copy.' };
    return copyHuntArguments(this.engine, hunt, settings);
  }
}
