import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { Diagnostic } from 'vscode-languageserver-protocol/node';
import type { ScanStatus } from '../../server/src/protocol';
import { TestClient } from '../helpers/lspClient';

// The workspace scan through a real LSP client: closed files get findings, .gitignore is
// respected, files created, changed and deleted while the scan runs are followed, and the scan
// shows cancellable work-done progress.

const FILES = 40;

/** Returns a hunt with one unknown column. The comment makes each file's text, and so its analysis, its own. */
function typoHunt(index: number): string {
  return `// Hunt number ${index}\nDeviceNetworkEvents\n| project RemotePrt\n`;
}

function createWorkspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'kql-hunt-scan-'));
  mkdirSync(join(root, 'hunts'));
  mkdirSync(join(root, 'ignored'));
  mkdirSync(join(root, 'docs'));
  writeFileSync(join(root, '.gitignore'), 'ignored/\n');
  for (let index = 0; index < FILES; index++) writeFileSync(join(root, 'hunts', `hunt-${String(index).padStart(3, '0')}.kql`), typoHunt(index));
  writeFileSync(join(root, 'ignored', 'skip.kql'), typoHunt(999));
  writeFileSync(join(root, 'docs', 'guide.md'), '# Guide\n\n```kql\nDeviceProcessEvents\n| project FileNam\n```\n');
  writeFileSync(join(root, 'docs', 'notes.md'), '# Notes without KQL\n');
  return root;
}

const uriOf = (path: string): string => pathToFileURL(path).href;
const hasCode = (code: string) => (diagnostics: Diagnostic[]) => diagnostics.some((diagnostic) => diagnostic.code === code);

function waitForScan(client: TestClient, predicate: (status: ScanStatus) => boolean, timeoutMs = 60000): Promise<ScanStatus> {
  return client.waitForNotification<ScanStatus>('kqlHunt/scanStatus', predicate, timeoutMs);
}

describe('workspace scan', () => {
  const root = createWorkspace();
  const hunt = (index: number): string => join(root, 'hunts', `hunt-${String(index).padStart(3, '0')}.kql`);
  const client = new TestClient({ rootPath: root, watchFiles: true, workDoneProgress: true });

  before(async () => {
    await client.initialize();
  });
  after(async () => {
    await client.shutdown();
    rmSync(root, { recursive: true, force: true });
  });

  test('open files scope scans nothing', async () => {
    const status = await client.request<ScanStatus>('kqlHunt/scanWorkspace', {});
    assert.equal(status.state, 'off');
    assert.equal(client.diagnostics.size, 0);
  });

  test('workspace scope checks closed files', async () => {
    const idle = waitForScan(client, (status) => status.state === 'idle' && status.published === FILES + 1);
    await client.setConfiguration({ lint: { scope: 'workspace' } });
    await idle;

    for (let index = 0; index < FILES; index++) {
      const diagnostics = client.diagnostics.get(uriOf(hunt(index)));
      assert.ok(diagnostics, `hunt ${index} has no diagnostics`);
      assert.ok(hasCode('KS142')(diagnostics), `hunt ${index} has no KS142`);
    }
    const guide = client.diagnostics.get(uriOf(join(root, 'docs', 'guide.md')));
    assert.ok(guide, 'the Markdown file has no diagnostics');
    assert.ok(hasCode('KS142')(guide), 'the Markdown fence was not checked');
    assert.equal(guide.find((diagnostic) => diagnostic.code === 'KS142')!.range.start.line, 4);
  });

  test('gitignored and KQL-free files get nothing', () => {
    assert.equal(client.diagnostics.get(uriOf(join(root, 'ignored', 'skip.kql'))), undefined);
    assert.equal(client.diagnostics.get(uriOf(join(root, 'docs', 'notes.md'))), undefined);
  });

  test('progress begins as cancellable and ends', () => {
    const begin = client.progress.find((event) => event.value.kind === 'begin' && event.value.title === 'KQL Hunt: checking the workspace');
    assert.ok(begin, 'no progress began');
    assert.equal(begin.value.cancellable, true);
    assert.ok(client.progress.some((event) => event.token === begin.token && event.value.kind === 'end'));
  });

  test('opened then closed file is checked from disk', async () => {
    const uri = uriOf(hunt(0));
    const clean = client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length === 0);
    client.open(uri, 'DeviceNetworkEvents\n| project RemotePort\n');
    await clean;
    const fromDisk = client.waitForDiagnostics(uri, hasCode('KS142'));
    client.close(uri);
    await fromDisk;
  });

  test('open files scope clears closed files', async () => {
    const uri = uriOf(hunt(2));
    const cleared = client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length === 0);
    const off = waitForScan(client, (status) => status.state === 'off');
    await client.setConfiguration({ lint: { scope: 'openFiles' } });
    await Promise.all([cleared, off]);
  });
});

// A server of its own, so that no analysis is cached and the scan is slow enough to change
// files while it runs and to cancel it.
describe('workspace scan while it runs', () => {
  const root = createWorkspace();
  const hunt = (index: number): string => join(root, 'hunts', `hunt-${String(index).padStart(3, '0')}.kql`);
  const client = new TestClient({ rootPath: root, watchFiles: true, workDoneProgress: true });
  client.configuration = { lint: { scope: 'workspace', workspaceBudgetMs: 20 } };

  after(async () => {
    await client.shutdown();
    rmSync(root, { recursive: true, force: true });
  });

  before(() => client.initialize());

  test('files created, changed and deleted while scanning', async () => {
    await client.waitForDiagnostics(uriOf(hunt(1)), hasCode('KS142'), 60000);

    const created = join(root, 'hunts', 'created.kql');
    writeFileSync(created, typoHunt(1000));
    const createdFindings = client.waitForDiagnostics(uriOf(created), hasCode('KS142'));
    client.fileEvent(created, 1);

    const changed = hunt(0);
    writeFileSync(changed, 'DeviceNetworkEvents\n| project RemotePort\n');
    const changedClean = client.waitForDiagnostics(uriOf(changed), (diagnostics) => diagnostics.length === 0);
    client.fileEvent(changed, 2);

    const deleted = hunt(1);
    rmSync(deleted);
    const deletedCleared = client.waitForDiagnostics(uriOf(deleted), (diagnostics) => diagnostics.length === 0);
    client.fileEvent(deleted, 3);

    const ignored = join(root, 'ignored', 'new.kql');
    writeFileSync(ignored, typoHunt(1001));
    client.fileEvent(ignored, 1);

    await Promise.all([createdFindings, changedClean, deletedCleared]);
    const status = await client.request<ScanStatus>('kqlHunt/scanWorkspace', {});
    assert.equal(status.state, 'scanning', 'the scan ended before the file events were followed');
    assert.equal(client.diagnostics.get(uriOf(ignored)), undefined);
  });

  test('cancel pauses and Scan Workspace resumes', async () => {
    await waitForScan(client, (status) => status.state === 'scanning', 60000);

    const begin = client.progress.find((event) => event.value.kind === 'begin');
    assert.ok(begin, 'the scan shows no progress');
    const paused = waitForScan(client, (status) => status.state === 'paused');
    await client.connection.sendNotification('window/workDoneProgress/cancel', { token: begin.token });
    const pausedStatus = await paused;
    assert.ok(pausedStatus.done < pausedStatus.total, 'the scan finished before the cancel');
    await client.waitForProgress((event) => event.token === begin.token && event.value.kind === 'end');

    const idle = waitForScan(client, (status) => status.state === 'idle', 120000);
    const resumed = await client.request<ScanStatus>('kqlHunt/scanWorkspace', {});
    assert.equal(resumed.state, 'scanning');
    // The file under analysis when the pause came finishes, so one more may be done.
    assert.ok(resumed.done >= pausedStatus.done, `resumed at ${resumed.done}, paused at ${pausedStatus.done}`);
    assert.ok(resumed.done <= pausedStatus.done + 1, `resumed at ${resumed.done}, paused at ${pausedStatus.done}`);
    await idle;
    const published = [...client.diagnostics].filter(([uri, diagnostics]) => uri.includes('/hunts/') && diagnostics.length > 0);
    assert.equal(published.length, FILES - 1, 'every hunt but the cleaned one has findings');
  });
});
