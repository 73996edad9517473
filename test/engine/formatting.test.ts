import assert from 'node:assert/strict';
import fc from 'fast-check';
import { after, describe, test } from 'node:test';
import { splitBlocks } from '../../server/src/engine/blocks';
import { formatDocument, lineBreakOf } from '../../server/src/engine/editing/formatting';
import { applyEdits, createTestEngine, documentOf, errorsOf, settings, analyzeText } from '../helpers/engine';

const engine = createTestEngine();
after(() => engine.dispose());

// Realistic hunts written loosely (odd spacing, one-line pipes, blank lines inside, trailing
// comments), from which random documents are built.
const HUNTS = [
  '// Telnet scans\nDeviceNetworkEvents | where RemotePort in (23, 2323) | summarize count() by RemoteIP',
  '// Mirai payload servers\nlet malicious_ips = dynamic(["5.39.216.137", "5.175.215.102"]);\nDeviceNetworkEvents\n| where RemoteIP in (malicious_ips)   // known servers\n| project Timestamp, DeviceName, RemoteIP',
  'let ports = dynamic([8082, 8083, 456]);\n\nDeviceNetworkEvents\n|where RemotePort in (ports)\n\n| summarize Devices=dcount(DeviceId) by RemotePort',
  '// Busybox droppers\n// wget and chmod in one line\nDeviceProcessEvents\n| where FileName =~ "busybox"\n// both words\n| where ProcessCommandLine has_all ("wget","chmod")',
  'CommonSecurityLog|where DeviceAction in~ ("deny","drop")|summarize Denied=count() by SourceIP|where Denied>100',
  '// Failed telnet logons\nlet failed = (window: timespan) { DeviceLogonEvents | where Timestamp > ago(window) | where ActionType == "LogonFailed" };\nfailed(1d)\n| summarize Attempts = count() by RemoteIP',
  'Syslog\n| where ProcessName == "busybox"\n| extend Host = Computer,\n    Message = substring(SyslogMessage, 0, 200)\n| project TimeGenerated, Host, Message',
];

const documentArbitrary = fc.record({
  hunts: fc.array(fc.constantFrom(...HUNTS), { minLength: 1, maxLength: 5 }),
  gaps: fc.array(fc.constantFrom('\n\n', '\n\n\n', '\n  \n', '\n\n\n\n'), { minLength: 5, maxLength: 5 }),
  lineBreak: fc.constantFrom('\n', '\r\n'),
  header: fc.boolean(),
  finalBreak: fc.boolean(),
});

function buildDocument(input: { hunts: string[]; gaps: string[]; lineBreak: string; header: boolean; finalBreak: boolean }): string {
  let text = input.header ? '// Hunts for the Linux fleet\n\n' : '';
  input.hunts.forEach((hunt, index) => {
    text += hunt + (index < input.hunts.length - 1 ? input.gaps[index] : '');
  });
  if (input.finalBreak) text += '\n';
  return text.replace(/\n/g, input.lineBreak);
}

async function format(text: string): Promise<string> {
  const outcome = await formatDocument(engine, documentOf(text), { tabSize: 4, insertSpaces: true }, settings());
  assert.deepEqual(outcome.skipped, []);
  return applyEdits(text, outcome.edits);
}

function comments(text: string): string[] {
  return (text.match(/\/\/[^\r\n]*/g) ?? []).map((comment) => comment.trimEnd());
}

describe('formatting properties', () => {
  test('random documents keep hunts, comments and breaks', async () => {
    await fc.assert(
      fc.asyncProperty(documentArbitrary, async (input) => {
        const text = buildDocument(input);
        const formatted = await format(text);

        const before = splitBlocks(text);
        const afterFormat = splitBlocks(formatted);
        assert.equal(afterFormat.length, before.length);
        for (let index = 1; index < before.length; index++) {
          assert.equal(formatted.slice(afterFormat[index - 1].end, afterFormat[index].start), text.slice(before[index - 1].end, before[index].start));
        }
        assert.deepEqual(comments(formatted), comments(text));
        // A one-line document has no line break to keep; the formatter then writes LF.
        if (/[\r\n]/.test(text)) {
          assert.equal(lineBreakOf(formatted), input.lineBreak);
          assert.equal(formatted.split(input.lineBreak === '\n' ? /\r\n/ : /(?<!\r)\n/).length, 1, 'mixed line breaks');
        }
        assert.equal(await format(formatted), formatted, 'second format changed the text');
      }),
      { numRuns: 25 },
    );
  });

  test('formatted hunts analyse without new errors', async () => {
    for (const hunt of HUNTS) {
      const formatted = await format(hunt);
      assert.deepEqual(errorsOf(await analyzeText(engine, formatted)), errorsOf(await analyzeText(engine, hunt)), formatted);
    }
  });
});
