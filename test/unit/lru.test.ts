import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LruCache } from '../../server/src/engine/util/lru';

describe('least recently used cache', () => {
  test('forgets the oldest entry past its capacity', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.get('a'), 1);
    assert.equal(cache.size, 2);
  });

  test('forgets entries past its weight limit', () => {
    const cache = new LruCache<string, string>(100, { maxWeight: 10, weigh: (key) => key.length });
    cache.set('aaaa', 'x');
    cache.set('bbbb', 'y');
    cache.set('cccc', 'z');
    assert.equal(cache.get('aaaa'), undefined);
    assert.equal(cache.weight, 8);
  });

  test('keeps weight right on replace and delete', () => {
    const cache = new LruCache<string, string>(100, { maxWeight: 100, weigh: (_key, value) => value.length });
    cache.set('a', 'xxx');
    cache.set('a', 'xxxxx');
    assert.equal(cache.weight, 5);
    cache.delete('a');
    assert.equal(cache.weight, 0);
  });
});
