import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { Document, isScalar, parse, parseDocument, Scalar } from 'yaml';
import { extractSentinelYaml } from '../../server/src/engine/embedded/sentinelYaml';
import { scalarOffsetMap } from '../../server/src/engine/embedded/yamlScalar';
import { createTestEngine, documentOf, settings } from '../helpers/engine';

const engine = createTestEngine();
after(() => engine.dispose());

const HEADER = 'id: 6f1c7a52-3a8e-4b7e-9c1d-2f4e8a6b9d01\nname: Mapping test\ndescription: Checks positions.\n';

/** A hunting query whose `query` is written as `queryYaml` (the text after `query:`). */
function rule(queryYaml: string, header = HEADER): string {
  return `${header}requiredDataConnectors:\n  - connectorId: MicrosoftThreatProtection\n    dataTypes:\n      - DeviceNetworkEvents\nquery:${queryYaml}\nversion: 1.0.0\n`;
}

/** Analyses a rule and returns, for each Kusto diagnostic, the document text its range covers. */
async function coveredTexts(text: string): Promise<{ code: string; covered: string; line: number }[]> {
  const document = documentOf(text, 'file:///repo/hunting/mapping.yaml');
  const analysis = await engine.analyzeDocument(document, settings());
  return analysis.diagnostics
    .filter((diagnostic) => /^KS/.test(String(diagnostic.code)))
    .map((diagnostic) => ({ code: String(diagnostic.code), covered: document.getText(diagnostic.range), line: diagnostic.range.start.line }));
}

// The same query, with the typo `RemotePrt`, in every scalar style.
const STYLES: Record<string, string> = {
  'literal |': ' |\n  DeviceNetworkEvents\n  | where RemotePrt == 23\n  | project DeviceName',
  'literal |-': ' |-\n  DeviceNetworkEvents\n  | where RemotePrt == 23\n  | project DeviceName',
  'literal |+': ' |+\n  DeviceNetworkEvents\n  | where RemotePrt == 23\n  | project DeviceName\n\n',
  'literal with indentation indicator': ' |4\n      DeviceNetworkEvents\n    | where RemotePrt == 23\n    | project DeviceName',
  'literal indented deeper': ' |\n        DeviceNetworkEvents\n        | where RemotePrt == 23',
  'folded >': ' >\n  DeviceNetworkEvents\n  | where RemotePrt == 23\n  | project DeviceName',
  'folded >- with blank lines': ' >-\n  DeviceNetworkEvents\n\n  | where RemotePrt == 23\n\n\n  | project DeviceName',
  plain: ' DeviceNetworkEvents\n  | where RemotePrt == 23\n  | project DeviceName',
  'plain on one line': ' DeviceNetworkEvents | where RemotePrt == 23',
  'single-quoted': " 'DeviceNetworkEvents\n  | where ActionType == ''x'' or RemotePrt == 23'",
  'double-quoted with escapes': ' "DeviceNetworkEvents\\n| where ActionType == \\"Conn\\\\\\\\ected\\"\\t\\n| where RemotePrt == 23"',
  'double-quoted with escaped line breaks': ' "DeviceNetworkEvents \\\n  | where RemotePrt \\\n  == 23"',
  'double-quoted with unicode escapes': ' "DeviceNetworkEvents | where DeviceName == \\"\\u00e9\\U0001F600\\x41\\" | where RemotePrt == 23"',
};

describe('YAML scalar position mapping', () => {
  for (const [style, queryYaml] of Object.entries(STYLES)) {
    test(`typo maps back exactly: ${style}`, async () => {
      const text = rule(queryYaml);
      assert.equal(typeof (parse(text) as { query: unknown }).query, 'string');
      const found = await coveredTexts(text);
      assert.deepEqual(
        found.map((entry) => [entry.code, entry.covered]),
        [['KS142', 'RemotePrt']],
      );
    });
  }

  test('typo maps back in a CRLF file', async () => {
    const text = rule(STYLES['literal |']).replace(/\n/g, '\r\n');
    const found = await coveredTexts(text);
    assert.deepEqual(found.map((entry) => entry.covered), ['RemotePrt']);
    assert.equal(found[0].line, 9);
  });

  test('typo maps back after a byte order mark', async () => {
    const found = await coveredTexts(`\ufeff${rule(STYLES['double-quoted with escapes'])}`);
    assert.deepEqual(found.map((entry) => entry.covered), ['RemotePrt']);
  });

  test('typo maps back in a nested flow mapping', async () => {
    const text = '{id: 6f1c7a52-3a8e-4b7e-9c1d-2f4e8a6b9d01, name: Flow, description: In flow style.,\n  requiredDataConnectors: [], query: "DeviceNetworkEvents\n    | where RemotePrt == 23"}\n';
    const found = await coveredTexts(text);
    assert.deepEqual(found.map((entry) => entry.covered), ['RemotePrt']);
  });

  test('string with escapes maps to its encoded form', async () => {
    const text = rule(' "DeviceNetworkEvents | where ActionType == \\"a\\tb\\" | project Nope"');
    const document = documentOf(text, 'file:///repo/escapes.yaml');
    const source = extractSentinelYaml(text);
    const region = source.regions[0];
    const literalStart = region.value.indexOf('"a');
    const span = region.map.toDocumentRange(literalStart, literalStart + '"a\tb"'.length);
    const encoded = text.slice(span.start, span.end);
    assert.equal(encoded, '\\"a\\tb\\"');
    assert.equal(parse(`"${encoded}"`), '"a\tb"');
    assert.ok(document.getText().includes(encoded));
  });

  test('placeholders cause no errors', async () => {
    const query = " |\n  let starttime = todatetime('{{StartTimeISO}}');\n  let lookback = {{LookbackDays}};\n  DeviceNetworkEvents\n  | where TimeGenerated between (starttime .. ago({{Lookback}}))\n  | project DeviceName";
    assert.deepEqual(await coveredTexts(rule(query)), []);
  });

  test('placeholder does not hide a real error', async () => {
    const query = " |\n  let starttime = todatetime('{{StartTimeISO}}');\n  DeviceNetworkEvents\n  | where RemotePrt == 23";
    assert.deepEqual((await coveredTexts(rule(query))).map((entry) => entry.covered), ['RemotePrt']);
  });
});

const STRINGIFY_STYLES = ['BLOCK_LITERAL', 'BLOCK_FOLDED', 'PLAIN', 'QUOTE_SINGLE', 'QUOTE_DOUBLE'] as const;

// Query-like text: identifiers, operators, quotes, escapes, tabs, blank lines and non-ASCII.
const queryText = fc
  .array(fc.constantFrom('T', '| where ', 'x == ', '"a\\"b"', "'c'", ' ', '  ', '\t', '\n', '\n\n', 'é', '😀', '#', ': ', '\\', '{{P}}', '-', '[1, 2]'), { minLength: 1, maxLength: 30 })
  .map((parts) => parts.join(''));

describe('YAML scalar maps, property-based', () => {
  test('every character of the value maps to its source', () => {
    fc.assert(
      fc.property(queryText, fc.constantFrom(...STRINGIFY_STYLES), fc.integer({ min: 0, max: 3 }), (value, style, depth) => {
        const document = new Document({});
        const scalar = new Scalar(value);
        scalar.type = style;
        let container: Record<string, unknown> = { query: scalar };
        for (let level = 0; level < depth; level++) container = { [`level${level}`]: container };
        document.contents = document.createNode(container);
        const text = document.toString({ lineWidth: 24, minContentWidth: 8 });

        const parsed = parseDocument(text, { keepSourceTokens: true });
        let node = parsed.contents as unknown as { get(key: string, keepScalar: true): unknown };
        for (let level = depth - 1; level >= 0; level--) node = node.get(`level${level}`, true) as typeof node;
        const query = node.get('query', true) as Scalar;
        // The stringifier itself can write a value that reads back as something else (`-` as a list).
        fc.pre(isScalar(query) && typeof query.value === 'string');
        const resolved = query.value as string;
        const map = scalarOffsetMap(query.srcToken as never, resolved);
        assert.ok(map.exact, `not aligned: ${JSON.stringify(text)}`);

        for (let index = 0; index < resolved.length; index++) {
          const span = map.toDocumentRange(index, index + 1);
          const source = text.slice(span.start, span.end);
          const char = resolved[index];
          // A character copied from the source maps to itself; others map to the escape or line break that produced them.
          if (source.length === 1 && !/[\r\n]/.test(source)) assert.equal(source, char, `${JSON.stringify(text)} at ${index}`);
          assert.ok(span.end > span.start || char === '\n', `${JSON.stringify(text)} at ${index}`);
        }
      }),
      { numRuns: 400 },
    );
  });

  test('document offsets map back to the same character', () => {
    fc.assert(
      fc.property(queryText, fc.constantFrom(...STRINGIFY_STYLES), (value, style) => {
        const document = new Document({});
        const scalar = new Scalar(value);
        scalar.type = style;
        document.contents = document.createNode({ query: scalar });
        const text = document.toString({ lineWidth: 24, minContentWidth: 8 });
        const query = parseDocument(text, { keepSourceTokens: true }).get('query', true) as Scalar;
        fc.pre(isScalar(query) && typeof query.value === 'string');
        const map = scalarOffsetMap(query.srcToken as never, query.value as string);
        for (let index = 0; index < (query.value as string).length; index++) {
          const span = map.toDocumentRange(index, index + 1);
          if (span.end - span.start === 1) assert.equal(map.toKql(span.start), index);
        }
      }),
      { numRuns: 300 },
    );
  });
});
