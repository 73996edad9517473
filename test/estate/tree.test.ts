import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../server/src/engine/settings';
import { freshnessPolicy } from '../../server/src/engine/intel/freshness';
import { IntelManager } from '../../server/src/engine/intel/manager';
import { FamilyNode, IndicatorNode, intelTreeChildren, IntelTreeNode, MoreNode, SourceNode, TreeSource } from '../../server/src/engine/intel/tree';
import { builtInSets } from '../../server/src/engine/intel/intelFile';
import { ROOT } from '../helpers/paths';

const policy = freshnessPolicy(DEFAULT_SETTINGS, new Date('2026-07-01T00:00:00Z'));
const FULL = join(ROOT, 'test/fixtures/intel/threatfox-full.csv');

async function loadedSources(files: string[]): Promise<TreeSource[]> {
  const manager = new IntelManager();
  await manager.configure({ files, includeBuiltIn: true, roots: [ROOT] });
  return manager.treeSources();
}

function byKind<K extends IntelTreeNode['kind']>(nodes: IntelTreeNode[], kind: K): Extract<IntelTreeNode, { kind: K }>[] {
  return nodes.filter((node): node is Extract<IntelTreeNode, { kind: K }> => node.kind === kind);
}

describe('indicators tree', () => {
  test('top level lists every source with state', async () => {
    const sources = await loadedSources([FULL, 'missing/feed.csv']);
    const roots = intelTreeChildren(sources, policy) as SourceNode[];
    assert.deepEqual(roots.map((node) => [node.label, node.state]), [
      ['Built-in', 'loaded'],
      ['test/fixtures/intel/threatfox-full.csv', 'loaded'],
      ['missing/feed.csv', 'missing'],
    ]);
    assert.match(roots[0].description ?? '', /^loaded · 3 indicators$/);
    assert.equal(roots[0].file, undefined);
    assert.equal(roots[1].file, FULL);
    assert.match(roots[2].description ?? '', /missing · 0 indicators · 1 problem/);
  });

  test('failed source shows its problems', async () => {
    const sources = await loadedSources(['missing/feed.csv']);
    const missing = intelTreeChildren(sources, policy).find((node) => node.label === 'missing/feed.csv')!;
    const children = intelTreeChildren(sources, policy, missing.id);
    assert.equal(children.length, 1);
    assert.equal(children[0].kind, 'problem');
    assert.match(children[0].label, /does not exist/);
  });

  test('families carry counts, types and newest date', async () => {
    const sources = await loadedSources([FULL]);
    const file = intelTreeChildren(sources, policy)[1];
    const families = byKind(intelTreeChildren(sources, policy, file.id), 'family');
    assert.ok(families.length >= 3, families.map((family) => family.label).join(', '));
    for (const family of families) {
      assert.equal(family.source, FULL);
      assert.ok(family.indicators > 0);
      assert.ok(family.types.length > 0);
      assert.match(family.description ?? '', new RegExp(`^${family.indicators} indicators? · `));
    }
    const emotet = families.find((family) => family.family === 'Emotet')!;
    assert.equal(emotet.set, 'ThreatFox - Emotet');
    assert.ok(emotet.newestFirstSeen, 'Emotet has no first-seen date');
    assert.match(emotet.description ?? '', /newest \d{4}-\d{2}-\d{2}$/);
  });

  test('indicators carry context and line', async () => {
    const sources = await loadedSources([FULL]);
    const file = intelTreeChildren(sources, policy)[1];
    const family = byKind(intelTreeChildren(sources, policy, file.id), 'family')[0];
    const indicators = intelTreeChildren(sources, policy, family.id) as IndicatorNode[];
    assert.equal(indicators.length, family.indicators);
    for (const indicator of indicators) {
      assert.equal(indicator.kind, 'indicator');
      assert.equal(indicator.file, FULL);
      assert.ok(indicator.line && indicator.line > 1, `${indicator.value} has no line`);
      assert.match(indicator.tooltip ?? '', /- family: /);
      assert.match(indicator.tooltip ?? '', new RegExp(`- source: ThreatFox, test/fixtures/intel/threatfox-full.csv:${indicator.line}`));
    }
  });

  test('large families come in pages', () => {
    const indicators = Array.from({ length: 450 }, (_, index) => ({ type: 'ip' as const, value: `198.51.100.${index % 250}`, ip: `198.51.100.${index % 250}`, line: index + 2 }));
    const sources: TreeSource[] = [{ path: '/feeds/big.txt', name: 'big.txt', state: 'loaded', problems: [], sets: [{ family: 'Big', source: 'Feed', origin: '/feeds/big.txt', indicators }] }];
    const family = intelTreeChildren(sources, policy, intelTreeChildren(sources, policy)[0].id)[0] as FamilyNode;
    const first = intelTreeChildren(sources, policy, family.id, 0, 200);
    assert.equal(first.length, 201);
    const more = first[200] as MoreNode;
    assert.equal(more.kind, 'more');
    assert.equal(more.label, '250 more');
    assert.equal(more.offset, 200);
    const second = intelTreeChildren(sources, policy, more.parent, more.offset, 200);
    assert.equal((second[0] as IndicatorNode).line, 202);
    const last = intelTreeChildren(sources, policy, family.id, 400, 200);
    assert.equal(last.length, 50);
    assert.ok(last.every((node) => node.kind === 'indicator'));
  });

  test('built-in rows open no file', () => {
    const sources: TreeSource[] = [{ path: 'built-in', name: 'built-in', state: 'loaded', problems: [], sets: builtInSets() }];
    const family = intelTreeChildren(sources, policy, intelTreeChildren(sources, policy)[0].id)[0];
    assert.equal(family.file, undefined);
    const indicator = intelTreeChildren(sources, policy, family.id)[0] as IndicatorNode;
    assert.equal(indicator.file, undefined);
    assert.equal(indicator.value, '5.39.216.137:8083');
  });

  test('unknown parent gives no rows', async () => {
    const sources = await loadedSources([]);
    assert.deepEqual(intelTreeChildren(sources, policy, 'source:/gone.csv'), []);
  });

  test('duplicate values are a source problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kql-hunt-tree-'));
    const header = '# "ioc_value","ioc_type","malware_printable","confidence_level"\n';
    writeFileSync(join(dir, 'a.csv'), `${header}"198.51.100.7:80", "ip:port", "Gafgyt", "90"\n`);
    writeFileSync(join(dir, 'b.csv'), `${header}"198.51.100.7:80", "ip:port", "Gafgyt", "90"\n`);
    const manager = new IntelManager();
    await manager.configure({ files: ['*.csv'], includeBuiltIn: false, roots: [dir] });
    const roots = intelTreeChildren(manager.treeSources(), policy) as SourceNode[];
    const second = roots.find((node) => node.label === 'b.csv')!;
    assert.equal(second.problems, 1);
    assert.match(intelTreeChildren(manager.treeSources(), policy, second.id)[0].label, /also in a\.csv/);
  });
});
