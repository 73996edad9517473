import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { extractMarkdown } from '../../server/src/engine/embedded/markdown';
import { createTestEngine, documentOf, settings } from '../helpers/engine';

const engine = createTestEngine();
after(() => engine.dispose());

async function analyse(text: string) {
  const document = documentOf(text, 'file:///repo/docs/guide.md');
  const analysis = await engine.analyzeDocument(document, settings());
  return { document, analysis, covered: analysis.diagnostics.map((diagnostic) => ({ code: String(diagnostic.code), text: document.getText(diagnostic.range), line: diagnostic.range.start.line })) };
}

describe('Markdown KQL fences', () => {
  test('kql, kusto and KQL fences are checked', async () => {
    const text = [
      '# Guide',
      '',
      '```kql',
      'DeviceNetworkEvents | project Nope1',
      '```',
      '',
      '```kusto',
      'DeviceNetworkEvents | project Nope2',
      '```',
      '',
      '```KQL title="third"',
      'DeviceNetworkEvents | project Nope3',
      '```',
    ].join('\n');
    const { covered } = await analyse(text);
    assert.deepEqual(
      covered.map((entry) => [entry.code, entry.text, entry.line]),
      [
        ['KS142', 'Nope1', 3],
        ['KS142', 'Nope2', 7],
        ['KS142', 'Nope3', 11],
      ],
    );
  });

  test('other fences and indented code are ignored', async () => {
    const text = '```bash\nDeviceNetworkEvents | project Nope\n```\n\n~~~\nDeviceNetworkEvents | project Nope\n~~~\n\n    DeviceNetworkEvents | project Nope\n';
    const { analysis } = await analyse(text);
    assert.equal(analysis.source.kind, 'other');
    assert.deepEqual(analysis.diagnostics, []);
  });

  test('fence in a list item maps past its indentation', async () => {
    const text = '1. Run this:\n\n   ```kql\n   DeviceNetworkEvents\n   | project Nope\n   ```\n';
    const { covered } = await analyse(text);
    assert.deepEqual(covered.map((entry) => [entry.text, entry.line]), [['Nope', 4]]);
  });

  test('fence in a block quote maps past the markers', async () => {
    const text = '> Quoted:\n>\n> ~~~kusto\n> DeviceNetworkEvents\n> | project Nope\n> ~~~\n';
    const { covered } = await analyse(text);
    assert.deepEqual(covered.map((entry) => [entry.text, entry.line]), [['Nope', 4]]);
  });

  test('fence with several hunts splits at blank lines', async () => {
    const text = '```kql\nDeviceNetworkEvents | take 1\n\nDeviceNetworkEvents | project Nope\n```\n';
    const { analysis, covered } = await analyse(text);
    assert.equal(analysis.blocks.length, 2);
    assert.deepEqual(covered.map((entry) => entry.text), ['Nope']);
  });

  test('CRLF Markdown maps exactly', async () => {
    const text = '# Guide\r\n\r\n```kql\r\nDeviceNetworkEvents\r\n| project Nope\r\n```\r\n';
    const { covered } = await analyse(text);
    assert.deepEqual(covered.map((entry) => [entry.text, entry.line]), [['Nope', 4]]);
  });

  test('unclosed fence is one error on its opening line', async () => {
    const text = '# Guide\n\n```kql\nDeviceNetworkEvents\n| take 10\n\nMore prose that is read as KQL now.\n';
    const { covered } = await analyse(text);
    const unclosed = covered.filter((entry) => entry.code === 'markdown-fence-unclosed');
    assert.equal(unclosed.length, 1);
    assert.equal(unclosed[0].line, 2);
    assert.equal(unclosed[0].text, '```kql');
  });

  test('closed fence gets no unclosed error', () => {
    const source = extractMarkdown('```kql\nT | take 1\n```\n');
    assert.deepEqual(source.problems, []);
    assert.equal(source.regions.length, 1);
    assert.ok(source.regions[0].map.exact);
  });

  test('Markdown without KQL fences is not checked', async () => {
    const { analysis } = await analyse('# Notes\n\nNothing to see.\n\n```sh\nnpm test\n```\n');
    assert.equal(analysis.source.kind, 'other');
    assert.deepEqual(analysis.diagnostics, []);
  });

  test('every fence character round trips', () => {
    const text = '- item\n\n  ```kql\n  let a = "x";\n    T | where b == a\n  ```\n\n> ```kql\n> Q\n>\n> | take 1\n> ```\n';
    const source = extractMarkdown(text);
    for (const region of source.regions) {
      assert.ok(region.map.exact);
      for (let index = 0; index < region.value.length; index++) {
        if (region.value[index] === '\n') continue;
        const span = region.map.toDocumentRange(index, index + 1);
        assert.equal(text.slice(span.start, span.end), region.value[index]);
      }
    }
  });
});
