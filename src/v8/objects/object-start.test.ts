import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SyntheticHeap } from '../heap/testing/synthetic-heap.js';
import { locateObject } from './object-start.js';
import { objectSize } from './object-size.js';

function fixedArray(s: SyntheticHeap, length: number): number {
  const a = s.object(s.type('FIXED_ARRAY_TYPE'), 16 + 8 * length);
  s.setSmi(a, 8, length);
  for (let i = 0; i < length; i++) s.setSmi(a, 16 + 8 * i, i);
  return a;
}

test('an address inside a FixedArray is placed at its offset', () => {
  const s = new SyntheticHeap();
  const before = s.seqString('hello world');
  const arr = fixedArray(s, 4);
  const heap = s.heap();
  assert.equal(objectSize(heap, heap.object(arr)!), 48);
  assert.equal(objectSize(heap, heap.object(before)!), 32);
  assert.deepEqual(locateObject(heap, arr + 24), { kind: 'inside', address: arr + 24, object: arr, type: s.type('FIXED_ARRAY_TYPE'), offset: 24, size: 48 });
  assert.equal(locateObject(heap, before + 20).kind, 'inside');
  const start = locateObject(heap, arr + 1);
  assert.equal(start.kind, 'object');
});

test('addresses outside objects and outside the space are told apart', () => {
  const s = new SyntheticHeap();
  const arr = fixedArray(s, 2);
  const heap = s.heap();
  // Past the array: never claimed to be inside it (the fake layout cannot size Maps, so the
  // answer may be 'maybe-inside' one of the maps allocated first).
  const past = locateObject(heap, arr + 4096);
  assert.ok(past.kind === 'no-object' || (past.kind === 'maybe-inside' && past.object !== arr), past.kind);
  assert.equal(locateObject(heap, 0x10).kind, 'unmapped');
});

test('a map pointer stored in a field does not end the backward search early', () => {
  const s = new SyntheticHeap();
  const arr = fixedArray(s, 6);
  // Slot 1 holds a pointer to a map: it looks like an object start, but a 16-byte one.
  s.setPointer(arr, 24, s.mapOf(s.type('HEAP_NUMBER_TYPE')));
  const heap = s.heap();
  const w = locateObject(heap, arr + 56);
  assert.equal(w.kind, 'inside');
  assert.equal(w.kind === 'inside' ? w.object : 0, arr);
});
