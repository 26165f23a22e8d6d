// The malloc heap walk and the leak mark on synthetic memory: a libc data page holding a
// main_arena, and an sbrk heap of hand-made chunks (in use, fastbin, tcache, binned, top).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isNodescopeError } from '../../util/errors.js';
import type { AddressSpace, Mapping } from '../../target/address-space.js';
import { ChunkState, MallocHeapModel } from '../../native/glibc/malloc-heap-model.js';
import { factsLayout, MALLOC_STATE as S, revealPtr } from '../../native/glibc/malloc-facts.js';
import type { GlibcInfo } from '../../native/glibc/glibc-libc.js';
import { markChunks, preview } from './find-leaks.js';

/** Several buffers at base addresses. */
class Space implements AddressSpace {
  constructor(private readonly maps: { start: number; data: Buffer; path?: string }[]) {}
  private find(a: number, n: number): { start: number; data: Buffer } | undefined {
    return this.maps.find((m) => a >= m.start && a + n <= m.start + m.data.length);
  }
  read(a: number, n: number): Buffer {
    const m = this.find(a, n)!;
    return m.data.subarray(a - m.start, a - m.start + n);
  }
  tryRead(a: number, n: number): Buffer | undefined {
    return this.find(a, n) ? this.read(a, n) : undefined;
  }
  isMapped(a: number, n = 1): boolean {
    return this.find(a, n) !== undefined;
  }
  readInto(a: number, t: Uint8Array, o: number, n: number): boolean {
    const b = this.tryRead(a, n);
    if (b) t.set(b, o);
    return b !== undefined;
  }
  mappings(): readonly Mapping[] {
    return this.maps.map((m) => ({ start: m.start, end: m.start + m.data.length, readable: true, writable: true, executable: false, ...(m.path ? { path: m.path } : {}) }));
  }
}

const LIBC = 0x7f0000010000;
const ARENA = LIBC + 0x100;
const HEAP = 0x5555_0000_0000;
const put = (b: Buffer, off: number, v: number): void => {
  b.writeUInt32LE(v % 0x1_0000_0000, off);
  b.writeUInt32LE(Math.floor(v / 0x1_0000_0000), off + 4);
};
const mangle = (pos: number, p: number): number => revealPtr(pos, p);

function build(): { space: Space; chunks: Record<string, number>; top: number } {
  const libc = Buffer.alloc(0x1000);
  const heap = Buffer.alloc(0x1000);
  const chunks: Record<string, number> = {};
  let off = 0;
  const chunk = (name: string, size: number, prevInUse = true): number => {
    chunks[name] = HEAP + off;
    put(heap, off + 8, size | (prevInUse ? 1 : 0));
    const at = off;
    off += size;
    return at;
  };
  const a = chunk('A', 0x30);
  chunk('fast', 0x30);
  const tc = chunk('tcache', 0x290);
  chunk('tentry', 0x20);
  chunk('binned', 0x40);
  const g = chunk('G', 0x30, false); // its P bit clear: `binned` before it is free
  chunk('leak', 0x50);
  chunk('top', 0x1000 - off);
  // main_arena: next is itself, top, one fastbin list (one entry, next mangled NULL).
  put(libc, 0x100 + S.top, chunks.top!);
  put(libc, 0x100 + S.next, ARENA);
  put(libc, 0x100 + S.fastbinsY, chunks.fast!);
  put(heap, chunks.fast! - HEAP + 16, mangle(chunks.fast! + 16, 0));
  // The thread's tcache: counts[0] = 1, entries[0] = the 0x20 chunk's user memory.
  heap.writeUInt16LE(1, tc + 16);
  put(heap, tc + 16 + 128, chunks.tentry! + 16);
  put(heap, chunks.tentry! - HEAP + 16, mangle(chunks.tentry! + 16, 0));
  // Roots: libc data points inside A (interior); A points at G; nothing points at `leak`.
  put(libc, 0x800, chunks.A! + 16 + 8);
  put(heap, a + 16, chunks.G! + 16);
  heap.write('NODESCOPE_LEAK', chunks.leak! - HEAP + 16, 'latin1');
  void g;
  return { space: new Space([{ start: HEAP, data: heap }, { start: LIBC, data: libc, path: '/lib/libc.so.6' }]), chunks, top: chunks.top! };
}

const GLIBC: GlibcInfo = { path: '/lib/libc.so.6', version: '2.36', versionParts: [2, 36], mainArena: ARENA, layout: factsLayout([2, 36]) };

test('the walk tiles the heap and tells in-use, fastbin, tcache, binned and top chunks apart', () => {
  const { space, chunks } = build();
  const m = MallocHeapModel.build(space, GLIBC, []);
  const state = (n: string): number => m.state[m.chunkAt(chunks[n]! + 16)]!;
  assert.equal(m.count, 8);
  assert.equal(state('A'), ChunkState.InUse);
  assert.equal(state('fast'), ChunkState.Fastbin);
  assert.equal(state('tcache'), ChunkState.InUse);
  assert.equal(state('tentry'), ChunkState.Tcache);
  assert.equal(state('binned'), ChunkState.Free);
  assert.equal(state('G'), ChunkState.InUse);
  assert.equal(state('top'), ChunkState.Top);
  assert.equal(m.tcaches, 1);
  const a = m.arenas[0]!;
  assert.equal(a.main, true);
  assert.equal(a.inUse + a.free + a.top, 0x1000);
  assert.deepEqual(m.problems, []);
});

test('the mark reaches A from a root (interior pointer) and G through A; the unreferenced block is a leak', () => {
  const { space, chunks } = build();
  const m = MallocHeapModel.build(space, GLIBC, []);
  const { marked } = markChunks({ space, threads: [] }, m);
  const isMarked = (n: string): boolean => {
    const i = m.chunkAt(chunks[n]! + 16);
    return (marked[i >>> 5]! & (1 << (i & 31))) !== 0;
  };
  assert.equal(isMarked('A'), true);
  assert.equal(isMarked('G'), true);
  assert.equal(isMarked('leak'), false);
  // The tcache struct is referenced by nothing here: unmarked too (a real one hangs off TLS).
  assert.equal(isMarked('tcache'), false);
  assert.equal(preview(space.read(chunks.leak! + 16, 32)), '"NODESCOPE_LEAK"');
  assert.equal(preview(Buffer.from([1, 2, 3, 0xff])), '01 02 03 ff');
});

test('a corrupt size field ends the chain with a problem, not a throw', () => {
  const { space, chunks } = build();
  put(space.read(chunks.G!, 16), 8, 0x31337);
  const m = MallocHeapModel.build(space, GLIBC, []);
  assert.ok(m.problems.some((p) => p.includes('chain broken')));
  assert.ok(m.count < 8);
});

test('a thread arena: its newest heap (arena inside) and an older one ending in fenceposts, linked by prev', () => {
  const MB64 = 64 * 1024 * 1024;
  const h1 = 0x7f00_0000_0000 + 2 * MB64;
  const h0 = 0x7f00_0000_0000 + 5 * MB64;
  const libc = Buffer.alloc(0x1000);
  const heap1 = Buffer.alloc(0x2000);
  const heap0 = Buffer.alloc(0x1000);
  const ar = h1 + 48; // after heap_info (sizeof 48 from glibc 2.35)
  // main_arena: an empty sbrk heap is not needed here; its next is the thread arena, whose next is main.
  put(libc, 0x100 + S.next, ar);
  put(libc, 0x100 + S.top, 0);
  // Newest heap: heap_info {ar_ptr, prev = h0, size}, then malloc_state, then chunks, then top.
  put(heap1, 0, ar);
  put(heap1, 8, h0);
  put(heap1, 16, 0x2000);
  put(heap1, 48 + S.next, ARENA);
  const first1 = Math.ceil((ar + S.size) / 16) * 16 - h1;
  put(heap1, first1 + 8, 0x40 | 1 | 4);
  put(heap1, first1 + 0x40 + 8, 0x50 | 1 | 4);
  const top = h1 + first1 + 0x90;
  put(heap1, first1 + 0x90 + 8, (0x2000 - first1 - 0x90) | 1);
  put(libc, 0x100 + S.top, 0);
  put(heap1, 48 + S.top, top);
  // Older heap: heap_info {ar_ptr, prev = 0, size}, chunks from h0 + 48, a free one, then fenceposts.
  put(heap0, 0, ar);
  put(heap0, 8, 0);
  put(heap0, 16, 0x1000);
  put(heap0, 48 + 8, 0x100 | 1 | 4);
  put(heap0, 48 + 0x100 + 8, 0x200 | 1 | 4);
  put(heap0, 48 + 0x300 + 8, 16); // fencepost (P clear: the 0x200 chunk before it is free)
  const space = new Space([
    { start: h1, data: heap1 },
    { start: h0, data: heap0 },
    { start: LIBC, data: libc, path: '/lib/libc.so.6' },
  ]);
  const m = MallocHeapModel.build(space, { ...GLIBC, layout: { ...GLIBC.layout, heapInfoSizes: [48] } }, []);
  const thread = m.arenas.find((a) => !a.main)!;
  assert.ok(thread, `arenas: ${JSON.stringify(m.arenas)} problems: ${m.problems.join('; ')}`);
  assert.equal(thread.heaps, 2);
  assert.equal(thread.chunks, 5);
  assert.equal(thread.inUse, 0x40 + 0x50 + 0x100);
  assert.equal(thread.free, 0x200);
  assert.equal(thread.top, 0x2000 - first1 - 0x90);
  assert.equal(m.state[m.chunkAt(h0 + 48 + 0x100 + 16)], ChunkState.Free);
});

test('flipped bytes in the heap and the arena: the walk and the mark end, with typed errors at most', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(0xfff), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 32 }), (flips) => {
      const { space } = build();
      for (const [inLibc, off, v] of flips) {
        const base = inLibc ? LIBC : HEAP;
        space.read(base + off, 1)[0] = v;
      }
      try {
        const m = MallocHeapModel.build(space, GLIBC, []);
        markChunks({ space, threads: [] }, m);
        assert.ok(m.count <= 0x1000 / 16);
      } catch (e) {
        if (!isNodescopeError(e)) throw e;
      }
    }),
    { numRuns: 2000 },
  );
});
