// glibc chunk chains on synthetic memory: a heap the chain tiles exactly is a malloc heap (with
// lookup of the chunk holding an address and in-use bits), a broken chain is not, and an mmapped
// chunk is recognised at the start of its mapping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BufferAddressSpace } from '../target/testing/buffer-address-space.js';
import { MallocHeap, mmappedChunkAt } from './malloc-chunks.js';

const BASE = 0x5555_0000_0000;

/** Chunks of `sizes` bytes tiling a buffer; `free` marks chunks whose successor clears PREV_INUSE. */
function heapOf(sizes: readonly number[], free: ReadonlySet<number> = new Set()): Buffer {
  const total = sizes.reduce((a, b) => a + b, 0);
  const b = Buffer.alloc(total);
  let at = 0;
  sizes.forEach((size, i) => {
    const prevInUse = i === 0 || !free.has(i - 1) ? 1 : 0;
    b.writeBigUInt64LE(BigInt(size | prevInUse), at + 8);
    at += size;
  });
  return b;
}

test('a chain that tiles its mapping is a malloc heap; chunks are found by address', () => {
  const data = heapOf([0x290, 0x40, 0x2010, 0x30], new Set([1]));
  const space = new BufferAddressSpace(BASE, data);
  const mh = MallocHeap.open(space, space.mappings()[0]!);
  assert.ok(mh);
  assert.equal(mh.count, 4);
  assert.deepEqual(mh.containing(BASE + 0x290 + 0x40 + 0x100), { start: BASE + 0x2d0, size: 0x2010, mmapped: false });
  assert.equal(mh.containing(BASE + data.length), undefined);
  assert.equal(mh.inUse(space, 0), true);
  assert.equal(mh.inUse(space, 1), false, 'its successor has PREV_INUSE clear');
  assert.equal(mh.inUse(space, 3), false, 'the top chunk is free');
});

test('a chain that overruns its mapping or has a bad size is not a malloc heap', () => {
  const over = heapOf([0x290, 0x40]);
  over.writeBigUInt64LE(BigInt(0x1000 | 1), 0x290 + 8);
  assert.equal(MallocHeap.open(new BufferAddressSpace(BASE, over), { start: BASE, end: BASE + over.length, readable: true, writable: true, executable: false }), undefined);
  const odd = heapOf([0x290, 0x48]);
  assert.equal(MallocHeap.open(new BufferAddressSpace(BASE, odd), { start: BASE, end: BASE + odd.length, readable: true, writable: true, executable: false }), undefined);
});

test('an mmapped chunk starts its mapping with IS_MMAPPED set', () => {
  const data = Buffer.alloc(0x3000);
  data.writeBigUInt64LE(BigInt(0x3000 | 2), 8);
  const space = new BufferAddressSpace(BASE, data);
  const m = space.mappings()[0]!;
  assert.deepEqual(mmappedChunkAt(space, m, BASE + 0x1234), { start: BASE, size: 0x3000, mmapped: true });
  assert.equal(mmappedChunkAt(space, m, BASE + 0x3000), undefined);
  assert.equal(MallocHeap.open(space, m), undefined, 'an mmapped chunk is not an sbrk heap');
});
