import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cellDescription, coverageHtml } from '../../client/src/coverageHtml';
import { CoverageMatrix } from '../../server/src/engine/coverage/types';

const MATRIX: CoverageMatrix = {
  families: [
    { set: 'ThreatFox - Mirai', family: 'Mirai', source: 'ThreatFox', indicators: 3 },
    { set: 'ThreatFox - <Emotet>', family: '<Emotet>', source: 'ThreatFox', indicators: 2 },
  ],
  tables: ['CommonSecurityLog', 'DeviceNetworkEvents'],
  cells: [
    { set: 'ThreatFox - Mirai', table: 'CommonSecurityLog', state: 'complete', huntable: true, hunts: [{ file: 'a.kql', uri: 'file:///w/a.kql', line: 1, name: 'csl', missingIndicators: 0, missingExclusions: [], errors: [] }] },
    { set: 'ThreatFox - Mirai', table: 'DeviceNetworkEvents', state: 'gaps', huntable: true, hunts: [{ file: 'b.kql', line: 4, name: '</script><script>alert(1)</script>', missingIndicators: 1, missingExclusions: ['tar-backup'], errors: [] }] },
    { set: 'ThreatFox - <Emotet>', table: 'CommonSecurityLog', state: 'missing', huntable: true, hunts: [] },
  ],
  files: 2,
  hunts: 2,
};

function cellsOf(html: string): { attributes: string; text: string }[] {
  return [...html.matchAll(/<td ([^>]*)>([^<]*)<\/td>/g)].map((match) => ({ attributes: match[1], text: match[2] }));
}

describe('coverage view html', () => {
  const html = coverageHtml(MATRIX, 'n0nce');

  test('strict content security policy', () => {
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-n0nce'; script-src 'nonce-n0nce';">/);
    assert.equal([...html.matchAll(/<script /g)].length, [...html.matchAll(/<script nonce="n0nce"/g)].length);
    assert.equal([...html.matchAll(/<style /g)].length, [...html.matchAll(/<style nonce="n0nce"/g)].length);
  });

  test('no remote resources', () => {
    assert.doesNotMatch(html, /https?:\/\//);
    assert.doesNotMatch(html, /\bsrc="/);
  });

  test('a grid with headers', () => {
    assert.match(html, /<table id="grid" role="grid" aria-label="[^"]+" aria-rowcount="3" aria-colcount="3">/);
    assert.equal([...html.matchAll(/<th scope="col"/g)].length, 3);
    assert.equal([...html.matchAll(/<th scope="row"/g)].length, 2);
  });

  test('cells show the shared labels', () => {
    assert.deepEqual(
      cellsOf(html).map((cell) => cell.text),
      ['✓ 1', '! 1', '·', ''],
    );
  });

  test('one cell is in the tab order', () => {
    const cells = cellsOf(html);
    assert.equal(cells.filter((cell) => cell.attributes.includes('tabindex="0"')).length, 1);
    assert.match(cells[0].attributes, /tabindex="0"/);
    assert.ok(cells.every((cell) => /role="gridcell"/.test(cell.attributes) && /data-row="\d" data-column="\d"/.test(cell.attributes)));
  });

  test('cells have accessible names', () => {
    const cells = cellsOf(html);
    assert.match(cells[0].attributes, /aria-label="ThreatFox - Mirai on CommonSecurityLog: hunted with every indicator and exclusion by 1 hunt"/);
    assert.match(cells[2].attributes, /aria-label="ThreatFox - &lt;Emotet&gt; on CommonSecurityLog: no hunt yet; press Enter to insert one"/);
    assert.equal(cellDescription('S', 'T', undefined), 'S on T: no hunt, and no template can write one');
  });

  test('text from hunts is escaped', () => {
    assert.doesNotMatch(html, /<script>alert/);
    assert.match(html, /\\u003c\/script>\\u003cscript>alert\(1\)\\u003c\/script>/);
    assert.match(html, /&lt;\/script&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });

  test('uses the editor theme variables', () => {
    assert.match(html, /var\(--vscode-editor-background\)/);
    assert.match(html, /var\(--vscode-focusBorder\)/);
    assert.doesNotMatch(html.replace(/var\([^)]*\)/g, ''), /#[0-9a-f]{3,6}\b/i);
  });
});
