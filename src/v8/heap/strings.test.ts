import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readString } from './strings.js';
import { SyntheticHeap } from './testing/synthetic-heap.js';

function read(h: SyntheticHeap, address: number, maxLength?: number) {
  const heap = h.heap();
  const o = heap.object(address);
  assert.ok(o, 'object validates');
  return readString(heap, o, maxLength === undefined ? {} : { maxLength });
}

test('sequential one-byte and two-byte strings', () => {
  const h = new SyntheticHeap();
  assert.equal(read(h, h.seqString('bucketize'))?.text, 'bucketize');
  assert.equal(read(h, h.seqString('h\u00e9at \u2603 map', true))?.text, 'h\u00e9at \u2603 map');
  assert.equal(read(h, h.seqString(''))?.text, '');
});

test('cons strings are read in order and cut at maxLength', () => {
  const h = new SyntheticHeap();
  const a = h.seqString('exports.');
  const b = h.seqString('bucketize');
  const c = h.consString(a, b, 17);
  assert.deepEqual(read(h, c), { text: 'exports.bucketize', length: 17, truncated: false });
  assert.deepEqual(read(h, c, 10), { text: 'exports.bu', length: 17, truncated: true });
});

test('a deep cons chain is read iteratively without recursion', () => {
  const h = new SyntheticHeap();
  let s = h.seqString('x');
  for (let i = 1; i < 3000; i++) s = h.consString(s, h.seqString('x'), i + 1);
  const r = read(h, s, 5000);
  assert.equal(r?.length, 3000);
  assert.equal(r?.text, 'x'.repeat(3000));
});

test('a cons cycle ends within the node budget instead of hanging', () => {
  const h = new SyntheticHeap();
  const leaf = h.seqString('ab');
  const c = h.consString(leaf, leaf, 100);
  h.setPointer(c, 24, c);
  const heap = h.heap();
  assert.equal(readString(heap, heap.object(c)!, { maxLength: 100, maxNodes: 50 }), undefined);
});

test('sliced, thin and external strings', () => {
  const h = new SyntheticHeap();
  const parent = h.seqString('lib/heatmap.js:9:28');
  assert.equal(read(h, h.slicedString(parent, 4, 10))?.text, 'heatmap.js');
  assert.equal(read(h, h.thinString(h.seqString('internalized'), 12))?.text, 'internalized');
  assert.equal(read(h, h.externalString('external cached', true))?.text, 'external cached');
  assert.equal(read(h, h.externalString('external via resource', false))?.text, 'external via resource');
});

test('corrupt strings give undefined, not exceptions', () => {
  const h = new SyntheticHeap();
  const s = h.seqString('abc');
  h.setInt32(s, 12, -5);
  assert.equal(read(h, s), undefined);
  const t = h.seqString('abc');
  h.setInt32(t, 12, 1 << 20);
  assert.equal(read(h, t, 1 << 20), undefined);
  const c = h.consString(h.seqString('a'), h.seqString('b'), 2);
  h.setRaw(c, 24, 0xdead0001);
  assert.equal(read(h, c), undefined);
});
