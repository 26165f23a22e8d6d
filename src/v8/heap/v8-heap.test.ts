import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTagged } from './tagged.js';
import { previewValue } from './preview.js';
import { SyntheticHeap } from './testing/synthetic-heap.js';

test('Smis keep their value in the upper half; pointers end in tag 1', () => {
  assert.deepEqual(decodeTagged(0, 281), { kind: 'smi', value: 281 });
  assert.deepEqual(decodeTagged(0, 0xffffffff), { kind: 'smi', value: -1 });
  assert.deepEqual(decodeTagged(0x12345679, 0x7f), { kind: 'heap', address: 0x7f12345678 });
  assert.deepEqual(decodeTagged(0x1234567b, 0x7f), { kind: 'weak', address: 0x7f12345678 });
  assert.equal(decodeTagged(2, 0).kind, 'invalid');
  assert.equal(decodeTagged(1, 0xffff0000).kind, 'invalid');
});

test('objects validate only when their map has the meta map', () => {
  const h = new SyntheticHeap();
  const s = h.seqString('ok');
  const heap = h.heap();
  assert.equal(heap.object(s)?.type, h.type('SEQ_ONE_BYTE_STRING_TYPE'));
  const bogus = h.alloc(16);
  h.setPointer(bogus, 0, s);
  assert.equal(h.heap().object(bogus), undefined, 'a string is not a map');
  assert.equal(heap.object(s + 4), undefined, 'misaligned');
  assert.equal(heap.object(0x10), undefined, 'unmapped');
});

test('previews of immediates, oddballs, numbers and strings', () => {
  const h = new SyntheticHeap();
  const heap = () => h.heap();
  const undef = h.oddball(4);
  const nul = h.oddball(3);
  const tru = h.oddball(1);
  const num = h.heapNumber(-0.5);
  const long = h.seqString('x'.repeat(100));
  const p = (addr: number) => previewValue(heap(), { kind: 'heap', address: addr });
  assert.deepEqual(previewValue(heap(), { kind: 'smi', value: 1320886447 }), { type: 'number', preview: '1320886447' });
  assert.equal(p(undef).preview, 'undefined');
  assert.equal(p(nul).type, 'null');
  assert.equal(p(tru).preview, 'true');
  assert.equal(p(num).preview, '-0.5');
  assert.equal(p(long).preview, `"${'x'.repeat(40)}"… (100 chars)`);
  assert.equal(previewValue(heap(), { kind: 'heap', address: 0x10 }).preview, '<not a heap object>');
  assert.equal(previewValue(heap(), undefined).type, 'unreadable');
});
