import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LruCache } from './lru.js';

test('evicts the least recently used entry, and a fresh hit protects an entry', () => {
  const c = new LruCache<number, string>(2);
  c.set(1, 'a');
  c.set(2, 'b');
  assert.equal(c.get(1), 'a');
  c.set(3, 'c');
  assert.equal(c.get(2), undefined);
  assert.equal(c.get(1), 'a');
  assert.equal(c.get(3), 'c');
  c.set(4, 'd');
  assert.equal(c.get(1), undefined);
  assert.equal(c.size, 2);
});

test('the newest-entry shortcut never returns an evicted value', () => {
  const c = new LruCache<number, string>(1);
  c.set(1, 'a');
  assert.equal(c.get(1), 'a');
  c.set(2, 'b');
  assert.equal(c.get(1), undefined);
  assert.equal(c.get(2), 'b');
});
