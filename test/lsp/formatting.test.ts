import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Diagnostic, TextEdit } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { splitBlocks } from '../../server/src/engine/blocks';
import { TestClient } from '../helpers/lspClient';
import { EXAMPLES, ROOT } from '../helpers/paths';

const FIXTURES = resolve(ROOT, 'test/fixtures/editing');

/** Every example and every realistic multi-hunt fixture, by name. */
const FILES = [
  ...readdirSync(EXAMPLES).filter((name) => name.endsWith('.kql')).map((name) => join(EXAMPLES, name)),
  ...readdirSync(FIXTURES).filter((name) => name.endsWith('.kql')).map((name) => join(FIXTURES, name)),
];

const EDITOR_OPTIONS = { tabSize: 4, insertSpaces: true };

function commentLines(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => line.trim().startsWith('//')).map((line) => line.trim());
}

function trailingComments(text: string): string[] {
  return text
    .split(/\r?\n/)
    .filter((line) => !line.trim().startsWith('//') && line.includes('//'))
    .map((line) => line.slice(line.indexOf('//')).trim());
}

/** Returns the text between consecutive blocks, which is the blank lines that separate hunts. */
function gaps(text: string): string[] {
  const blocks = splitBlocks(text);
  return blocks.slice(1).map((block, index) => text.slice(blocks[index].end, block.start));
}

function errorsOf(diagnostics: Diagnostic[]): string[] {
  return diagnostics.filter((diagnostic) => diagnostic.severity === 1).map((diagnostic) => `${diagnostic.code} ${diagnostic.message}`);
}

describe('formatting over stdio', () => {
  const client = new TestClient();
  before(() => client.initialize());
  after(() => client.shutdown());

  let counter = 0;
  async function format(text: string, options = EDITOR_OPTIONS): Promise<string> {
    const uri = `file:///formatting/document-${counter++}.kql`;
    client.open(uri, text);
    const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options });
    client.close(uri);
    return TextDocument.applyEdits(TextDocument.create(uri, 'kql', 1, text), edits);
  }

  async function diagnosticsOf(text: string): Promise<Diagnostic[]> {
    const uri = `file:///formatting/analysed-${counter++}.kql`;
    const published = client.waitForDiagnostics(uri);
    client.open(uri, text);
    const diagnostics = await published;
    client.close(uri);
    return diagnostics;
  }

  for (const file of FILES) {
    for (const lineBreak of ['\n', '\r\n']) {
      const label = `${basename(file)} with ${lineBreak === '\n' ? 'LF' : 'CRLF'}`;
      const original = readFileSync(file, 'utf8').replace(/\r?\n/g, lineBreak);

      test(`${label} formats idempotently`, async () => {
        const once = await format(original);
        const twice = await format(once);
        assert.equal(twice, once);
      });

      test(`${label} keeps comments and hunt gaps`, async () => {
        const formatted = await format(original);
        assert.deepEqual(commentLines(formatted), commentLines(original));
        assert.deepEqual(trailingComments(formatted), trailingComments(original));
        assert.equal(splitBlocks(formatted).length, splitBlocks(original).length);
        assert.deepEqual(gaps(formatted), gaps(original));
      });

      test(`${label} keeps its line endings`, async () => {
        const formatted = await format(original);
        if (lineBreak === '\n') assert.ok(!formatted.includes('\r'), JSON.stringify(formatted));
        else assert.ok(!/[^\r]\n/.test(formatted), JSON.stringify(formatted));
      });
    }

    test(`${basename(file)} formatted adds no errors`, async () => {
      const original = readFileSync(file, 'utf8');
      const formatted = await format(original);
      assert.deepEqual(errorsOf(await diagnosticsOf(formatted)), errorsOf(await diagnosticsOf(original)), formatted);
    });
  }

  test('one-line hunts stay on one line', async () => {
    const text = '// Telnet\nDeviceNetworkEvents | where RemotePort == 23 | take 10\n\n// SSH\nDeviceNetworkEvents   |   where RemotePort==22';
    assert.equal(await format(text), '// Telnet\nDeviceNetworkEvents | where RemotePort == 23 | take 10\n\n// SSH\nDeviceNetworkEvents | where RemotePort == 22');
  });

  test('blank lines inside a hunt stay', async () => {
    const text = 'let ports = dynamic([23, 2323]);\n\nDeviceNetworkEvents\n|   where RemotePort in (ports)\n\n| take 10';
    assert.equal(await format(text), 'let ports = dynamic([23, 2323]);\n\nDeviceNetworkEvents\n| where RemotePort in(ports)\n\n| take 10');
  });

  test('hunt with a syntax error is left alone', async () => {
    const broken = 'DeviceNetworkEvents\n| where RemotePort ==\n|   take 10';
    const text = `${broken}\n\n// Fine\nDeviceNetworkEvents |   take 1`;
    assert.equal(await format(text), `${broken}\n\n// Fine\nDeviceNetworkEvents | take 1`);
  });

  test('range formatting formats touched hunts only', async () => {
    const uri = 'file:///formatting/range.kql';
    const text = 'DeviceNetworkEvents |   take 1\n\nDeviceProcessEvents |   take 2\n\nDeviceFileEvents |   take 3';
    client.open(uri, text);
    const edits = await client.request<TextEdit[]>('textDocument/rangeFormatting', {
      textDocument: { uri },
      range: { start: { line: 2, character: 5 }, end: { line: 2, character: 6 } },
      options: EDITOR_OPTIONS,
    });
    assert.equal(TextDocument.applyEdits(TextDocument.create(uri, 'kql', 1, text), edits), 'DeviceNetworkEvents |   take 1\n\nDeviceProcessEvents | take 2\n\nDeviceFileEvents |   take 3');
  });

  test('format hunt command formats one hunt', async () => {
    const uri = 'file:///formatting/hunt-command.kql';
    client.open(uri, 'DeviceNetworkEvents |   take 1\n\n// Second\nDeviceProcessEvents\n|   take 2\n');
    const result = await client.request<{ applied: boolean }>('workspace/executeCommand', {
      command: 'kqlHunt.server.formatHunt',
      arguments: [{ uri, position: { line: 4, character: 2 } }],
    });
    assert.equal(result.applied, true);
    assert.equal(client.text(uri), 'DeviceNetworkEvents |   take 1\n\n// Second\nDeviceProcessEvents\n| take 2\n');
  });

  test('format hunt command reports a formatted hunt', async () => {
    const uri = 'file:///formatting/hunt-done.kql';
    client.open(uri, 'DeviceNetworkEvents | take 1');
    const result = await client.request<{ applied: boolean; message: string }>('workspace/executeCommand', {
      command: 'kqlHunt.server.formatHunt',
      arguments: [{ uri, position: { line: 0, character: 2 } }],
    });
    assert.deepEqual(result, { applied: false, message: 'The hunt is already formatted.' });
  });

  test('editor tabs indent with tabs', async () => {
    const text = 'let f = (n: long) { DeviceNetworkEvents\n| take n };\nf(1)';
    const formatted = await format(text, { tabSize: 4, insertSpaces: false });
    assert.match(formatted, /\n\tDeviceNetworkEvents\n\t\| take n\n/);
  });

  describe('formatting settings', () => {
    async function withSettings(section: Record<string, unknown>, run: () => Promise<void>): Promise<void> {
      client.configuration = section;
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { kqlHunt: section } });
      try {
        await run();
      } finally {
        client.configuration = {};
        await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { kqlHunt: {} } });
      }
    }

    test('pipe placement newLine breaks every pipe', async () => {
      await withSettings({ formatting: { pipePlacement: 'newLine' } }, async () => {
        assert.equal(await format('DeviceNetworkEvents | where RemotePort == 23 | take 10'), 'DeviceNetworkEvents\n| where RemotePort == 23\n| take 10');
      });
    });

    test('pipe placement asIs keeps pipes in place', async () => {
      await withSettings({ formatting: { pipePlacement: 'asIs' } }, async () => {
        const text = 'DeviceNetworkEvents\n| where RemotePort == 23 | take 10';
        assert.equal(await format(text), text);
      });
    });

    test('hunt over the nesting limit is left alone', async () => {
      const deep = `print   x=${'('.repeat(12)}1${')'.repeat(12)}`;
      await withSettings({ analysis: { maxNestingDepth: 10 } }, async () => {
        assert.equal(await format(`${deep}\n\nDeviceNetworkEvents |   take 1`), `${deep}\n\nDeviceNetworkEvents | take 1`);
      });
    });

    test('indentation size overrides the editor', async () => {
      const text = 'let f = (n: long) { DeviceNetworkEvents\n| take n };\nf(1)';
      await withSettings({ formatting: { indentationSize: 2 } }, async () => {
        assert.match(await format(text, { tabSize: 8, insertSpaces: true }), /\n {2}DeviceNetworkEvents\n {2}\| take n\n/);
      });
      assert.match(await format(text, { tabSize: 8, insertSpaces: true }), /\n {8}DeviceNetworkEvents\n {8}\| take n\n/);
    });
  });
});
