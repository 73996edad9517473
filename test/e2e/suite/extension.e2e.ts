// End-to-end tests in a real VS Code: the packaged client, the language server and
// Kusto.Language together, driven through VS Code's own commands as a user's editor would.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { KqlHuntApi } from '../../../client/src/api';
import type { CommandResult, CoverageMatrix, IntelTreeNode, ScanStatus } from '../../../server/src/protocol';
import { requestScreenshot, screenshotDir } from '../screenshots';
import {
  activateExtension,
  closeEditorsWithoutSaving,
  codeActionsAt,
  codesOf,
  openFile,
  openUntitled,
  placeCursor,
  positionOf,
  waitForDiagnostics,
  waitForStatusItem,
  workspaceFile,
} from './helpers';

const SCENARIOS = ['nc-remote-admin', 'nmap-internal-scan', 'package-update-cron', 'rsync-log-collection', 'tar-backup'];
const MISSING = SCENARIOS.map((scenario) => `missing-exclusion/${scenario}`);
const EXAMPLE = 'example-hunt.kql';

const hasCode = (code: string) => (diagnostics: vscode.Diagnostic[]) => codesOf(diagnostics).includes(code);
const errorsOf = (diagnostics: readonly vscode.Diagnostic[]) => diagnostics.filter((diagnostic) => diagnostic.severity === vscode.DiagnosticSeverity.Error);

describe('KQL Hunt in VS Code', () => {
  let api: KqlHuntApi;

  before(async () => {
    api = await activateExtension();
    await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
  });

  describe('example hunt', () => {
    after(() => closeEditorsWithoutSaving());

    let editor: vscode.TextEditor;

    before(async () => {
      editor = await openFile(EXAMPLE);
    });

    it('shows the typo and the missing exclusions', async () => {
      const diagnostics = await waitForDiagnostics(editor.document.uri, (current) => current.length === 1 + MISSING.length);
      assert.deepEqual(codesOf(diagnostics), ['KS142', ...MISSING].sort());
      const typo = diagnostics.find((diagnostic) => diagnostic.code === 'KS142')!;
      assert.match(typo.message, /Did you mean 'DestinationPort'\?/);
      assert.equal(editor.document.getText(typo.range), 'DestinatonPort');

      await vscode.commands.executeCommand('workbench.actions.view.problems');
      await vscode.window.showTextDocument(editor.document);
      placeCursor(editor, typo.range.start);
      await requestScreenshot({ name: 'diagnostics', waitFor: '.markers-panel .monaco-list-row' });
    });

    it('hover on a table lists its exclusions', async () => {
      const position = positionOf(editor.document, '\nDeviceNetworkEvents', 4);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, position);
      const text = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
      assert.match(text, /DeviceNetworkEvents/);
      assert.match(text, /False-positive exclusions/);
      assert.match(text, /tar-backup/);
    });

    it('quick fix corrects the misspelled column', async () => {
      const typo = vscode.languages.getDiagnostics(editor.document.uri).find((diagnostic) => diagnostic.code === 'KS142')!;
      const actions = await codeActionsAt(editor.document.uri, typo.range);
      const fix = actions.find((action) => action.title === "Change to 'DestinationPort'");
      assert.ok(fix?.edit, `no rename fix among: ${actions.map((action) => action.title).join(', ')}`);

      assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
      assert.match(editor.document.getText(), /make_set\(DestinationPort\)/);
      const diagnostics = await waitForDiagnostics(editor.document.uri, (current) => !hasCode('KS142')(current));
      assert.deepEqual(codesOf(diagnostics), [...MISSING].sort());
    });
  });

  describe('completion', () => {
    after(() => closeEditorsWithoutSaving());

    it('offers the columns of the table in scope', async () => {
      const editor = await openUntitled('DeviceNetworkEvents\n| where Remo');
      const position = new vscode.Position(1, 12);
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, position);
      const labels = list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
      assert.ok(labels.includes('RemoteIP'), `labels: ${labels.slice(0, 20).join(', ')}`);
      assert.ok(labels.includes('RemotePort'));
      assert.ok(!labels.includes('DeviceName'));

      placeCursor(editor, position);
      await vscode.commands.executeCommand('editor.action.triggerSuggest');
      await requestScreenshot({ name: 'completion', waitFor: '.suggest-widget.visible .monaco-list-row', pressAfter: 'Escape' });
    });

    it('inserts the chosen column', async () => {
      const editor = await openUntitled('DeviceNetworkEvents\n| project Remo');
      const position = new vscode.Position(1, 14);
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, position);
      const item = list.items.find((candidate) => candidate.label === 'RemotePort');
      assert.ok(item, 'RemotePort is not offered');
      const range = item.range instanceof vscode.Range ? item.range : item.range?.replacing;
      assert.ok(range, 'the item carries no range');
      assert.ok(typeof item.insertText === 'string', 'a column is inserted as plain text');

      assert.equal(await editor.edit((builder) => builder.replace(range, item.insertText as string)), true);
      assert.equal(editor.document.lineAt(1).text, '| project RemotePort');
    });
  });

  describe('Insert Hunt and exclusions', () => {
    after(() => closeEditorsWithoutSaving());

    let editor: vscode.TextEditor;

    before(async () => {
      editor = await openUntitled('');
    });

    it('quick picks choose family, table and exclusions', async function () {
      // Only the launcher can answer the quick picks; without it the command would wait forever.
      if (!screenshotDir()) this.skip();
      await vscode.commands.executeCommand('workbench.action.closePanel');
      const pending = vscode.commands.executeCommand<CommandResult>('kqlHunt.insertHunt');
      await requestScreenshot({ name: 'insert-hunt-family', waitFor: '.quick-input-widget .monaco-list-row:has-text("Mirai")', pressAfter: 'Enter' });
      await requestScreenshot({ name: 'insert-hunt', waitFor: '.quick-input-widget .monaco-list-row:has-text("DeviceNetworkEvents")', typeAfter: 'DeviceNetworkEvents', pressAfter: 'Enter' });
      await requestScreenshot({ name: 'insert-hunt-exclusions', waitFor: '.quick-input-widget .monaco-list-row:has-text("Without exclusions")', typeAfter: 'Without', pressAfter: 'Enter' });

      const result = await pending;
      assert.equal(result.applied, true, result.message);
      assert.match(editor.document.getText(), /^DeviceNetworkEvents$/m);
      assert.doesNotMatch(editor.document.getText(), /where not\(/);
      await waitForDiagnostics(editor.document.uri, (current) => current.length === MISSING.length);
      await closeEditorsWithoutSaving();
      editor = await openUntitled('');
    });

    it('inserts the Mirai hunt without exclusions', async () => {
      const result = await vscode.commands.executeCommand<CommandResult>('kqlHunt.insertHunt', { family: 'Mirai', table: 'DeviceNetworkEvents', withExclusions: false });
      assert.equal(result.applied, true, result.message);
      assert.ok(result.text);
      assert.equal(editor.document.getText().trim(), result.text.trim());
      assert.match(editor.document.getText(), /^DeviceNetworkEvents$/m);
      assert.match(editor.document.getText(), /5\.39\.216\.137/);

      const diagnostics = await waitForDiagnostics(editor.document.uri, (current) => current.length === MISSING.length);
      assert.deepEqual(codesOf(diagnostics), [...MISSING].sort());
    });

    it('each exclusion quick fix clears its warning', async () => {
      for (const code of MISSING) {
        const diagnostic = vscode.languages.getDiagnostics(editor.document.uri).find((candidate) => candidate.code === code);
        assert.ok(diagnostic, `${code} is not reported`);
        if (code === MISSING[0]) {
          await vscode.commands.executeCommand('workbench.action.closePanel');
          placeCursor(editor, diagnostic.range.start);
          await vscode.commands.executeCommand('editor.action.quickFix');
          await requestScreenshot({ name: 'quick-fix', waitFor: '.action-widget .monaco-list-row', pressAfter: 'Escape' });
        }

        const scenario = code.slice('missing-exclusion/'.length);
        const actions = await codeActionsAt(editor.document.uri, diagnostic.range);
        const fix = actions.find((action) => action.title === `Add exclusion for ${scenario}`);
        assert.ok(fix?.edit, `no fix for ${code} among: ${actions.map((action) => action.title).join(', ')}`);
        assert.equal(await vscode.workspace.applyEdit(fix.edit), true);

        const after = await waitForDiagnostics(editor.document.uri, (current) => !hasCode(code)(current));
        assert.deepEqual(errorsOf(after), [], `the exclusion for ${scenario} introduced errors`);
      }
      assert.deepEqual(vscode.languages.getDiagnostics(editor.document.uri), []);
    });

    it('hover on the fixed hunt lists the applied exclusions', async () => {
      const position = positionOf(editor.document, '\nDeviceNetworkEvents', 4);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, position);
      const text = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
      assert.match(text, /`tar-backup`: applies/);

      placeCursor(editor, position);
      await vscode.commands.executeCommand('editor.action.showHover');
      await requestScreenshot({ name: 'hover', waitFor: '.monaco-hover .hover-contents', pressAfter: 'Escape' });
    });

    it('Add All Missing Exclusions fixes a second hunt', async () => {
      const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
      placeCursor(editor, end);
      const inserted = await vscode.commands.executeCommand<CommandResult>('kqlHunt.insertHunt', { set: 'ThreatFox - Mirai', table: 'DeviceProcessEvents', withExclusions: false });
      assert.equal(inserted.applied, true, inserted.message);
      await waitForDiagnostics(editor.document.uri, (current) => current.some((diagnostic) => String(diagnostic.code).startsWith('missing-exclusion/')));

      const result = await vscode.commands.executeCommand<CommandResult>('kqlHunt.addAllExclusions');
      assert.equal(result.applied, true, result.message);
      const diagnostics = await waitForDiagnostics(editor.document.uri, (current) => current.length === 0);
      assert.deepEqual(diagnostics, []);
    });

    it('rejects a table without a template', async () => {
      const result = await vscode.commands.executeCommand<CommandResult>('kqlHunt.insertHunt', { family: 'Mirai', table: 'SigninLogs', withExclusions: false });
      assert.equal(result.applied, false);
      assert.match(result.message ?? '', /Supported tables: .*DeviceNetworkEvents/);
    });
  });

  describe('settings', () => {
    after(() => closeEditorsWithoutSaving());

    afterEach(async () => {
      await vscode.workspace.getConfiguration('kqlHunt').update('environment', undefined, vscode.ConfigurationTarget.Workspace);
    });

    it('environment change re-analyses open documents', async () => {
      // The second block always has one error, so every analysis publishes something to wait for.
      const editor = await openUntitled('CommonSecurityLog\n| take 10\n\nDeviceNetworkEvents\n| project RemotePrt');
      const uri = editor.document.uri;
      await waitForDiagnostics(uri, (current) => hasCode('KS142')(current) && !hasCode('KS204')(current));

      await vscode.workspace.getConfiguration('kqlHunt').update('environment', 'defender', vscode.ConfigurationTarget.Workspace);
      const defender = await waitForDiagnostics(uri, hasCode('KS204'));
      const unknownTable = defender.find((diagnostic) => diagnostic.code === 'KS204')!;
      assert.equal(editor.document.getText(unknownTable.range), 'CommonSecurityLog');

      await vscode.workspace.getConfiguration('kqlHunt').update('environment', undefined, vscode.ConfigurationTarget.Workspace);
      await waitForDiagnostics(uri, (current) => hasCode('KS142')(current) && !hasCode('KS204')(current));
    });

    it('admin accounts change the inserted exclusions', async () => {
      const configuration = vscode.workspace.getConfiguration('kqlHunt');
      await configuration.update('exclusions.adminAccounts', ['svc_backup'], vscode.ConfigurationTarget.Workspace);
      try {
        await openUntitled('');
        const result = await vscode.commands.executeCommand<CommandResult>('kqlHunt.insertHunt', { family: 'Mirai', table: 'DeviceProcessEvents', withExclusions: true });
        assert.equal(result.applied, true, result.message);
        assert.match(result.text ?? '', /svc_backup/);
        assert.doesNotMatch(result.text ?? '', /"administrator"/);
      } finally {
        await configuration.update('exclusions.adminAccounts', undefined, vscode.ConfigurationTarget.Workspace);
      }
    });
  });

  describe('status item', () => {
    after(() => closeEditorsWithoutSaving());

    it('shows the environment of the block at the cursor', async () => {
      const editor = await openUntitled('CommonSecurityLog\n| take 10\n\nDeviceNetworkEvents\n| where Timestamp > ago(1d)');

      placeCursor(editor, new vscode.Position(4, 3));
      const defender = await waitForStatusItem(api, (state) => state.text === 'KQL: Defender XDR').catch(async (error: Error) => {
        // Reports what the server returns at the cursor, so a failure shows whether the item or the server is behind.
        const active = vscode.window.activeTextEditor;
        const seen = active ? await api.blockInfo(active.document.uri, active.selection.active) : undefined;
        throw new Error(`${error.message} Active editor: ${active?.document.uri.toString()} at ${JSON.stringify(active?.selection.active)}; the server reports ${JSON.stringify(seen)}.`);
      });
      assert.equal(defender.severity, 'information');
      const info = await api.blockInfo(editor.document.uri, new vscode.Position(4, 3));
      assert.equal(info.environment, 'defender');
      assert.match(info.reason, /Timestamp.* on DeviceNetworkEvents/);

      placeCursor(editor, new vscode.Position(0, 3));
      await waitForStatusItem(api, (state) => state.text === 'KQL: Sentinel');
    });

    it('counts the loaded indicators and the last analysis', async () => {
      const status = await api.status();
      assert.ok(status.indicators > 0);
      assert.ok(status.families.includes('Mirai'));
      assert.deepEqual(status.loadProblems, []);
      assert.equal(status.workspaceTrusted, true);
      assert.ok(status.lastAnalysis, 'no analysis time recorded');

      const state = api.statusItem();
      assert.match(state.detail ?? '', new RegExp(`${status.indicators.toLocaleString('en-US')} indicators \\(Mirai\\)`));
      assert.match(state.detail ?? '', /analysed /);
      assert.equal(state.command, 'kqlHunt.showOutput');
    });
  });

  describe('semantic tokens', () => {
    after(() => closeEditorsWithoutSaving());

    it('classify tables, columns, functions and variables', async () => {
      const editor = await openFile(EXAMPLE);
      const document = editor.document;
      const legend = await vscode.commands.executeCommand<vscode.SemanticTokensLegend>('vscode.provideDocumentSemanticTokensLegend', document.uri);
      const tokens = await vscode.commands.executeCommand<vscode.SemanticTokens>('vscode.provideDocumentSemanticTokens', document.uri);
      assert.ok(legend, 'no semantic tokens legend for KQL');
      assert.ok(tokens, 'no semantic tokens for KQL');

      const decoded: { range: vscode.Range; type: string }[] = [];
      let line = 0;
      let character = 0;
      for (let index = 0; index < tokens.data.length; index += 5) {
        const [deltaLine, deltaCharacter, length, type] = tokens.data.slice(index, index + 4);
        line += deltaLine;
        character = deltaLine === 0 ? character + deltaCharacter : deltaCharacter;
        decoded.push({ range: new vscode.Range(line, character, line, character + length), type: legend.tokenTypes[type] });
      }
      const typeAt = (text: string, offset: number): string | undefined => decoded.find((token) => token.range.contains(positionOf(document, text, offset)))?.type;

      assert.equal(typeAt('\nCommonSecurityLog', 2), 'class');
      assert.equal(typeAt('\nDeviceNetworkEvents', 2), 'class');
      assert.equal(typeAt('| where RemoteIP', 9), 'property');
      assert.equal(typeAt('ago(7d)', 1), 'function');
      assert.equal(typeAt('in (malicious_ips)', 5), 'variable');
      assert.equal(typeAt('let malicious_ips', 1), 'keyword');
      assert.equal(typeAt('"5.39.216.137"', 1), 'string');
    });
  });

  describe('commands', () => {
    after(() => closeEditorsWithoutSaving());

    it('are registered under KQL Hunt', async () => {
      const commands = await vscode.commands.getCommands(true);
      for (const command of ['kqlHunt.insertHunt', 'kqlHunt.addAllExclusions', 'kqlHunt.restartServer', 'kqlHunt.showOutput', 'kqlHunt.openExample']) {
        assert.ok(commands.includes(command), `${command} is not registered`);
      }
    });

    it('Open Example Hunt opens an analysed hunt', async () => {
      const editor = await vscode.commands.executeCommand<vscode.TextEditor>('kqlHunt.openExample');
      assert.equal(editor.document.languageId, 'kql');
      assert.equal(editor.document.isUntitled, true);
      await waitForDiagnostics(editor.document.uri, hasCode('KS142'));
    });

    it('Restart Server keeps analysing', async () => {
      await vscode.commands.executeCommand('kqlHunt.restartServer');
      const editor = await openUntitled('DeviceNetworkEvents\n| project Nope');
      const diagnostics = await waitForDiagnostics(editor.document.uri, hasCode('KS142'));
      assert.equal(editor.document.getText(diagnostics[0].range), 'Nope');
    });
  });

  describe('hunt estate', () => {
    const configuration = () => vscode.workspace.getConfiguration('kqlHunt');
    const FAMILIES = ['Agent Tesla', 'Emotet', 'Mirai', 'Unknown'];

    before(async () => {
      await closeEditorsWithoutSaving();
      await configuration().update('intel.files', ['intel/*.csv'], vscode.ConfigurationTarget.Workspace);
      await waitForStatusItem(api, (state) => FAMILIES.every((family) => (state.detail ?? '').includes(family)));
    });

    after(async () => {
      await closeEditorsWithoutSaving();
      await configuration().update('lint.scope', undefined, vscode.ConfigurationTarget.Workspace);
      await configuration().update('lint.workspaceBudgetMs', undefined, vscode.ConfigurationTarget.Workspace);
      await configuration().update('intel.files', undefined, vscode.ConfigurationTarget.Workspace);
    });

    async function familyRow(family: string): Promise<Extract<IntelTreeNode, { kind: 'family' }>> {
      const [, file] = await api.indicatorRows();
      const row = (await api.indicatorRows(file)).find((node) => node.kind === 'family' && node.family === family);
      assert.ok(row && row.kind === 'family', `no ${family} row under ${file.label}`);
      return row;
    }

    it('Indicators view lists every source with status', async () => {
      const sources = await api.indicatorRows();
      assert.deepEqual(
        sources.map((node) => [node.label, node.kind === 'source' ? node.state : node.kind]),
        [
          ['Built-in', 'loaded'],
          ['intel/threatfox-export.csv', 'loaded'],
        ],
      );
      const families = await api.indicatorRows(sources[1]);
      assert.deepEqual(families.map((node) => node.label), ['Mirai', 'Emotet', 'Agent Tesla', 'Unknown']);
      assert.match(families[1].description ?? '', /^3 indicators · domain, url, ip:port · newest 2026-06-10$/);

      await vscode.commands.executeCommand('workbench.action.closePanel');
      await vscode.commands.executeCommand('kqlHunt.indicators.focus');
      await api.revealIndicatorRow(sources[0], 1);
      await api.revealIndicatorRow(sources[1], 1);
      await api.revealIndicatorRow(families[1], 1);
      // Collapsing the folders pane gives the Indicators view the height of the side bar.
      await requestScreenshot({
        name: 'indicators-view',
        clickBefore: '.split-view-view:has(.explorer-folders-view) .pane-header .title',
        waitFor: '.monaco-list-row:has-text("emotet-c2.example")',
      });
    });

    it('copies a family defanged', async () => {
      const values = await vscode.commands.executeCommand<string[]>('kqlHunt.indicators.copyDefanged', await familyRow('Emotet'));
      assert.deepEqual(values, ['emotet-c2[.]example', 'hxxp://emotet-drop[.]example/load.php', '198[.]51[.]100[.]23:443']);
      assert.equal(await vscode.env.clipboard.readText(), values.join('\n'));
    });

    it('reveals an indicator at its line', async () => {
      const [indicator] = await api.indicatorRows(await familyRow('Emotet'));
      assert.equal(indicator.kind, 'indicator');
      const editor = await vscode.commands.executeCommand<vscode.TextEditor>('kqlHunt.indicators.reveal', indicator);
      assert.ok(editor.document.uri.fsPath.endsWith(join('intel', 'threatfox-export.csv')));
      assert.equal(editor.selection.start.line, indicator.line! - 1);
      assert.match(editor.document.lineAt(editor.selection.start.line).text, /emotet-c2\.example/);
    });

    it('coverage view shows the CLI matrix', async () => {
      await closeEditorsWithoutSaving();
      const rendered = new Promise<CoverageMatrix>((resolve) => {
        const subscription = api.onDidRenderCoverage((matrix) => {
          subscription.dispose();
          resolve(matrix);
        });
      });
      const shown = await api.showCoverage();
      await rendered;
      const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
      const extension = vscode.extensions.getExtension('kql-hunt.kql-hunt')!;
      const cli = spawnSync(process.execPath, [join(extension.extensionPath, 'dist', 'cli.js'), 'coverage', '--format', 'json', '--root', '.', '--intel', 'intel/*.csv', '.'], { cwd: folder, encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
      assert.equal(cli.status, 0, cli.stderr);
      const withoutUris = { ...shown, cells: shown.cells.map((cell) => ({ ...cell, hunts: cell.hunts.map(({ uri: _uri, ...hunt }) => hunt) })) };
      assert.deepEqual(withoutUris, JSON.parse(cli.stdout));
      assert.ok(shown.hunts >= 5, `the view found ${shown.hunts} hunts`);
      assert.equal(api.coverageView()?.matrix, shown);
      assert.match(api.coverageView()?.html ?? '', /role="grid"/);
      await requestScreenshot({ name: 'coverage', waitFor: 'iframe.webview.ready' });
    });

    it('insert hunt here fills an empty cell', async () => {
      const before = api.coverageView()!.matrix;
      const empty = before.cells.find((cell) => cell.set === 'ThreatFox - Emotet' && cell.table === 'DnsEvents');
      assert.equal(empty?.state, 'missing');
      const result = await api.insertCoverageHunt('ThreatFox - Emotet', 'DnsEvents', workspaceFile('examples/linux-hunts.kql'));
      assert.equal(result.applied, true, result.message);
      const cell = api.coverageView()!.matrix.cells.find((candidate) => candidate.set === 'ThreatFox - Emotet' && candidate.table === 'DnsEvents');
      assert.equal(cell?.hunts.length, 1);
      assert.equal(cell.hunts[0].file, 'examples/linux-hunts.kql');
    });

    it('hover on a table names its connector', async () => {
      const editor = await openFile('examples/mirai-commonsecuritylog.kql');
      const position = positionOf(editor.document, 'CommonSecurityLog\n', 3);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, position);
      const text = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
      assert.match(text, /Ensure one of its 99 data connectors is enabled: Common Event Format \(CEF\) via AMA, Common Event Format \(CEF\) and 97 more\./);
    });

    it('workspace scan checks closed files with progress', async () => {
      await closeEditorsWithoutSaving();
      const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
      const generated = join(folder, 'generated');
      mkdirSync(generated, { recursive: true });
      for (let index = 0; index < 60; index++) writeFileSync(join(generated, `hunt-${index}.kql`), `// Generated hunt ${index}\nDeviceNetworkEvents\n| project RemotePrt\n`);
      try {
        const statuses: ScanStatus[] = [];
        const subscription = api.onDidChangeScanStatus((status) => statuses.push(status));
        const scanning = new Promise<void>((resolve) => {
          const started = api.onDidChangeScanStatus((status) => {
            if (status.state !== 'scanning' || status.done < 2) return;
            started.dispose();
            resolve();
          });
        });
        await configuration().update('lint.workspaceBudgetMs', 20, vscode.ConfigurationTarget.Workspace);
        await configuration().update('lint.scope', 'workspace', vscode.ConfigurationTarget.Workspace);
        await scanning;
        await requestScreenshot({ name: 'workspace-scan-progress', waitFor: '#workbench\\.parts\\.statusbar' });

        const paused = await vscode.commands.executeCommand<ScanStatus>('kqlHunt.pauseScan');
        assert.equal(paused.state, 'paused');
        assert.ok(paused.done < paused.total, `the scan ended before the pause (${paused.done}/${paused.total})`);
        await configuration().update('lint.workspaceBudgetMs', 1000, vscode.ConfigurationTarget.Workspace);
        const idle = new Promise<void>((resolve) => {
          const done = api.onDidChangeScanStatus((status) => {
            if (status.state !== 'idle') return;
            done.dispose();
            resolve();
          });
        });
        const resumed = await vscode.commands.executeCommand<ScanStatus>('kqlHunt.scanWorkspace');
        assert.equal(resumed.state, 'scanning');
        await idle;
        subscription.dispose();
        assert.ok(statuses.some((status) => status.state === 'scanning' && status.total >= 60));

        const typo = await waitForDiagnostics(workspaceFile('examples/typo-column.kql'), hasCode('KS142'));
        assert.equal(typo.length, 1);
        await waitForDiagnostics(vscode.Uri.file(join(generated, 'hunt-59.kql')), hasCode('KS142'));
        await vscode.commands.executeCommand('workbench.actions.view.problems');
        await requestScreenshot({ name: 'workspace-scan', waitFor: '.markers-panel .monaco-list-row:has-text("typo-column.kql")' });
      } finally {
        await configuration().update('lint.scope', undefined, vscode.ConfigurationTarget.Workspace);
        rmSync(generated, { recursive: true, force: true });
      }
      await waitForDiagnostics(workspaceFile('examples/typo-column.kql'), (current) => current.length === 0);
    });
  });
});
