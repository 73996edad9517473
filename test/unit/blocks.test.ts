import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { splitBlocks } from '../../server/src/engine/blocks';

function blockTexts(text: string): string[] {
  return splitBlocks(text).map((block) => block.text);
}

describe('block splitting', () => {
  test('blank line separates two queries', () => {
    const texts = blockTexts('T1\n| take 1\n\nT2\n| take 2\n');
    assert.deepEqual(texts, ['T1\n| take 1', 'T2\n| take 2']);
  });

  test('several blank lines and trailing spaces still separate', () => {
    const texts = blockTexts('T1 | take 1\n  \n\t\n\nT2 | take 2');
    assert.deepEqual(texts, ['T1 | take 1', 'T2 | take 2']);
  });

  test('blank line before a pipe keeps the hunt whole', () => {
    const texts = blockTexts('DeviceNetworkEvents\n| where RemotePort == 80\n\n| take 10\n');
    assert.equal(texts.length, 1);
    assert.equal(texts[0], 'DeviceNetworkEvents\n| where RemotePort == 80\n\n| take 10');
  });

  test('blank line after a let statement keeps the hunt whole', () => {
    const texts = blockTexts('let ips = dynamic(["1.2.3.4"]);\n\nDeviceNetworkEvents\n| where RemoteIP in (ips)');
    assert.equal(texts.length, 1);
  });

  test('blank line inside open brackets keeps the hunt whole', () => {
    const texts = blockTexts('union (\n  T1 | take 1\n\n), (T2 | take 1)');
    assert.equal(texts.length, 1);
  });

  test('line ending in a pipe continues across a blank line', () => {
    const texts = blockTexts('T1 |\n\nwhere x == 1');
    assert.equal(texts.length, 1);
  });

  test('line ending in and continues across a blank line', () => {
    const texts = blockTexts('T1\n| where a == 1 and\n\nb == 2');
    assert.equal(texts.length, 1);
  });

  test('multi-line string with a blank line stays in one block', () => {
    const text = 'print q = ```\nfirst\n\nsecond\n```\n\nT2';
    const texts = blockTexts(text);
    assert.deepEqual(texts, ['print q = ```\nfirst\n\nsecond\n```', 'T2']);
  });

  test('comment paragraph before a query is the query header', () => {
    const texts = blockTexts('// Hunt one\n// by the SOC\n\nT1 | take 1\n\n// Hunt two\nT2 | take 2');
    assert.deepEqual(texts, ['// Hunt one\n// by the SOC\n\nT1 | take 1', '// Hunt two\nT2 | take 2']);
  });

  test('comment between hunts starts the second hunt', () => {
    const blocks = splitBlocks('T1\n| take 1\n\n// second\nT2\n| take 2');
    assert.equal(blocks.length, 2);
    assert.equal(blocks[1].startLine, 3);
  });

  test('directive paragraph stays its own comment-only block', () => {
    const blocks = splitBlocks('// kql-hunt: environment=defender\n\nT1 | take 1');
    assert.equal(blocks.length, 2);
    assert.equal(blocks[0].commentOnly, true);
    assert.equal(blocks[1].commentOnly, false);
  });

  test('brackets inside strings and comments do not count', () => {
    const blocks = splitBlocks('T1 | where a == "(((" // ((((\n\nT2');
    assert.equal(blocks.length, 2);
    assert.equal(blocks[0].maxDepth, 0);
  });

  test('escaped quote does not end a string', () => {
    const blocks = splitBlocks('T1 | where a == "x\\"(" \n\nT2');
    assert.equal(blocks.length, 2);
  });

  test('verbatim string ends at its quote despite a backslash', () => {
    const blocks = splitBlocks('T1 | where a matches regex @"\\d(" \n\nT2');
    assert.equal(blocks.length, 2);
  });

  test('CRLF document keeps exact offsets', () => {
    const text = 'T1\r\n| take 1\r\n\r\nT2\r\n| take 2\r\n';
    const blocks = splitBlocks(text);
    assert.equal(blocks.length, 2);
    assert.equal(text.slice(blocks[1].start, blocks[1].end), 'T2\r\n| take 2');
    assert.equal(blocks[1].startLine, 3);
    assert.equal(blocks[1].endLine, 4);
  });

  test('block offsets point into the document', () => {
    const text = '\n\n  T1 | take 1\n\nT2';
    for (const block of splitBlocks(text)) assert.equal(text.slice(block.start, block.end), block.text);
  });

  test('nesting depth is measured per block', () => {
    const blocks = splitBlocks('print ((((1))))\n\nprint (2)');
    assert.equal(blocks[0].maxDepth, 4);
    assert.equal(blocks[1].maxDepth, 1);
  });

  test('empty document has no blocks', () => {
    assert.deepEqual(splitBlocks(''), []);
    assert.deepEqual(splitBlocks('\n \n'), []);
  });
});
