// LinearAllocationArea triples in native memory: a {start, top, limit} inside one page is a
// candidate; a sorted run of object addresses (a code registry, say) is not, even where three of
// its entries look like one; a limit repeated after the triple (V8 14's allocator) is fine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BufferAddressSpace } from '../../target/testing/buffer-address-space.js';
import { findAllocationAreas } from './allocation-areas.js';
import { HeapPages } from './heap-pages.js';

const PAGE = 0x40000;
const BASE = 0x20_0000_0000;

function setup(words: readonly number[]): AllocationAreasFound {
  // Page 0 is a heap page; the native words live in the buffer's second page.
  const data = Buffer.alloc(2 * PAGE);
  words.forEach((w, i) => data.writeBigUInt64LE(BigInt(w), PAGE + 0x100 + i * 8));
  const space = new BufferAddressSpace(BASE, data);
  const pages = new HeapPages([{ base: BASE, size: PAGE, areaStart: BASE + 0x200, areaEnd: BASE + PAGE, flags: 0, owner: 1, heap: 2, record: BASE, next: 0, kind: 'old' }], PAGE);
  return findAllocationAreas(space, pages).map((a) => [a.start - BASE, a.top - BASE, a.limit - BASE]);
}
type AllocationAreasFound = [number, number, number][];

test('a triple inside one page is a candidate', () => {
  assert.deepEqual(setup([0x55, BASE + 0x1000, BASE + 0x1800, BASE + 0x4000, 7]), [[0x1000, 0x1800, 0x4000]]);
});

test('a limit repeated after the triple is still a LAB', () => {
  assert.deepEqual(setup([0, BASE + 0x1000, BASE + 0x1800, BASE + 0x4000, BASE + 0x4000]), [[0x1000, 0x1800, 0x4000]]);
});

test('a sorted run of addresses is not, nor are triples out of order or outside a page', () => {
  assert.deepEqual(setup([BASE + 0x1000, BASE + 0x1100, BASE + 0x1200, BASE + 0x1300, BASE + 0x1400]), []);
  assert.deepEqual(setup([0, BASE + 0x2000, BASE + 0x1000, BASE + 0x3000, 0]), []);
  assert.deepEqual(setup([0, BASE + PAGE + 0x10, BASE + PAGE + 0x20, BASE + PAGE + 0x30, 0]), []);
  assert.deepEqual(setup([0, BASE + 0x1001, BASE + 0x1800, BASE + 0x4000, 0]), [], 'tagged, not a LAB');
});
