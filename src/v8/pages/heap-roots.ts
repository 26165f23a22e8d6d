// The roots of a postmortem mark, as close to V8's own as a core allows: each thread's registers
// and live stack (scanned conservatively), each Isolate object (its roots table, builtins and
// thread-local state; bounded by its malloc chunk), the strong global handles (GlobalHandles
// NodeBlocks: 256 nodes of {object, class_id, index, flags, data, callback}, found by their
// index bytes; V8 src/handles/global-handles.cc), the microtask queues' ring buffers and the
// read-only space. Native memory at large is not a root: stale words in freed or recycled
// malloc memory (GC worklists, say) would keep garbage alive.
import { MallocHeap, mmappedChunkAt, type MallocChunk } from '../../native/malloc-chunks.js';
import { findMapping, type AddressSpace } from '../../target/address-space.js';
import type { Thread } from '../../target/target.js';
import type { ObjectTable } from './object-table.js';

/** Role: where a root was found. */
export type RootKind = 'register' | 'stack' | 'isolate' | 'global handle' | 'microtask queue' | 'read-only';

/** Role: the roots: one entry per distinct object a root points at (the first root found). */
export interface HeapRoots {
  readonly target: Uint32Array;
  readonly kind: readonly RootKind[];
  /** Address of the root word (0 for registers and read-only objects). */
  readonly at: Float64Array;
  /** Thread id for stack and register roots, else -1. */
  readonly tid: Int32Array;
  readonly count: number;
}

/** Role: what the root finder needs from outside the heap: threads and native symbols. */
export interface RootInputs {
  readonly threads: readonly Thread[];
  /** Address in the target of MicrotaskQueue's vtable (+16, as objects hold it). */
  readonly microtaskQueueVtable?: number;
  /** v8::internal::MicrotaskQueue::k{RingBuffer,Capacity,Start,Size}Offset. */
  readonly microtaskQueueOffsets?: { readonly ringBuffer: number; readonly capacity: number; readonly start: number; readonly size: number };
}

/** GlobalHandles NodeBlock: 256 nodes of 32 bytes; index byte at +10, flags at +11 (state in bits 0–1). */
const NODES = 256;
const NODE_SIZE = 32;
const NODE_INDEX = 10;
const NODE_FLAGS = 11;
const NODE_NORMAL = 1;
const CHUNK = 4 << 20;

/** Finds the roots of `table`'s heap. */
export function findRoots(space: AddressSpace, table: ObjectTable, inputs: RootInputs): HeapRoots {
  const seen = new Set<number>();
  const target: number[] = [];
  const kind: RootKind[] = [];
  const at: number[] = [];
  const tid: number[] = [];
  const highs = pageHighs(table);
  const add = (j: number, k: RootKind, where: number, t: number): void => {
    if (j < 0 || seen.has(j)) return;
    seen.add(j);
    target.push(j);
    kind.push(k);
    at.push(where);
    tid.push(t);
  };
  const resolve = (lo: number, hi: number): number => ((lo & 3) === 1 && hi < 1 << 15 && highs[hi] === 1 ? table.indexOf(hi * 0x1_0000_0000 + (lo - 1)) : -1);
  const buf = Buffer.allocUnsafe(CHUNK);
  const u32 = new Uint32Array(buf.buffer, buf.byteOffset, CHUNK >>> 2);
  const scan = (start: number, end: number, k: RootKind, t: number): void => {
    for (let a = start; a < end; a += CHUNK) {
      const len = Math.min(CHUNK, end - a);
      if (!space.readInto(a, buf, 0, len)) continue;
      for (let w = 0; w + 1 < len >>> 2; w += 2) {
        const lo = u32[w]!;
        if ((lo & 3) !== 1) continue;
        const j = resolve(lo, u32[w + 1]!);
        if (j >= 0) add(j, k, a + w * 4, t);
      }
    }
  };
  const maps = space.mappings();
  for (const th of inputs.threads) {
    for (const v of Object.values(th.regs.all)) {
      if (v < 0n || v >= 1n << 47n) continue;
      const x = Number(v);
      add(resolve(x % 0x1_0000_0000, Math.floor(x / 0x1_0000_0000)), 'register', 0, th.tid);
    }
  }
  for (const th of inputs.threads) {
    const m = findMapping(maps, th.regs.rsp);
    if (m !== undefined) scan(th.regs.rsp - (th.regs.rsp % 8), m.end, 'stack', th.tid);
  }
  for (const iso of isolateChunks(space, table)) scan(iso.start + 16, iso.start + iso.size, 'isolate', -1);
  scanGlobalHandles(space, table, resolve, add);
  if (inputs.microtaskQueueVtable !== undefined && inputs.microtaskQueueOffsets !== undefined) {
    scanMicrotaskQueues(space, table, inputs.microtaskQueueVtable, inputs.microtaskQueueOffsets, resolve, add);
  }
  table.walker.pages.pages.forEach((p, pi) => {
    if (p.kind !== 'read-only') return;
    for (let i = table.pageFirst[pi]!; i < table.pageFirst[pi + 1]!; i++) add(i, 'read-only', 0, -1);
  });
  return { target: Uint32Array.from(target), kind, at: Float64Array.from(at), tid: Int32Array.from(tid), count: target.length };
}

/** Per upper address half: whether a heap page lies there (a fast filter for pointer candidates). */
export function pageHighs(table: ObjectTable): Uint8Array {
  const highs = new Uint8Array(1 << 15);
  for (const p of table.walker.pages.pages) {
    for (let a = p.base; a < p.base + p.size; a += 0x1_0000_0000) highs[Math.floor(a / 0x1_0000_0000)] = 1;
    highs[Math.floor((p.base + p.size - 1) / 0x1_0000_0000)] = 1;
  }
  return highs;
}

/** The malloc chunk of each Isolate: pages name their Heap, which lives inside the Isolate. */
function isolateChunks(space: AddressSpace, table: ObjectTable): MallocChunk[] {
  const heaps = new Set<number>();
  for (const p of table.walker.pages.pages) if (p.heap !== 0) heaps.add(p.heap);
  const out: MallocChunk[] = [];
  const opened = new Map<number, MallocHeap | null>();
  for (const h of heaps) {
    const m = findMapping(space.mappings(), h);
    if (m === undefined) continue;
    let mh = opened.get(m.start);
    if (mh === undefined) {
      mh = MallocHeap.open(space, m) ?? null;
      opened.set(m.start, mh);
    }
    const c = mh?.containing(h) ?? mmappedChunkAt(space, m, h);
    if (c !== undefined && !out.some((x) => x.start === c.start)) out.push(c);
  }
  return out;
}

/** Strong nodes of every GlobalHandles NodeBlock in native memory. */
function scanGlobalHandles(space: AddressSpace, table: ObjectTable, resolve: (lo: number, hi: number) => number, add: (j: number, k: RootKind, at: number, t: number) => void): void {
  const buf = Buffer.allocUnsafe(CHUNK + NODES * NODE_SIZE);
  const pages = table.walker.pages;
  for (const m of space.mappings()) {
    if (!m.readable || !m.writable || m.path !== undefined) continue;
    if (pages.indexOf(m.start) >= 0) continue;
    for (let a = m.start; a < m.end; a += CHUNK) {
      const len = Math.min(CHUNK + NODES * NODE_SIZE, m.end - a);
      if (!space.readInto(a, buf, 0, len)) continue;
      const limit = Math.min(CHUNK, len - NODES * NODE_SIZE);
      for (let o = 0; o <= limit; o += 16) {
        if (buf[o + NODE_INDEX] !== 0 || buf[o + NODE_SIZE + NODE_INDEX] !== 1 || buf[o + 2 * NODE_SIZE + NODE_INDEX] !== 2) continue;
        let block = true;
        for (let i = 3; i < NODES && block; i++) block = buf[o + i * NODE_SIZE + NODE_INDEX] === i;
        if (!block) continue;
        for (let i = 0; i < NODES; i++) {
          const n = o + i * NODE_SIZE;
          if ((buf[n + NODE_FLAGS]! & 3) !== NODE_NORMAL) continue;
          add(resolve(buf.readUInt32LE(n), buf.readUInt32LE(n + 4)), 'global handle', a + n, -1);
        }
        o += NODES * NODE_SIZE - 16;
      }
    }
  }
}

/** The pending tasks of every MicrotaskQueue (V8 src/execution/microtask-queue.h: ring_buffer_[(start_ + i) % capacity_]). */
function scanMicrotaskQueues(
  space: AddressSpace,
  table: ObjectTable,
  vtable: number,
  off: { ringBuffer: number; capacity: number; start: number; size: number },
  resolve: (lo: number, hi: number) => number,
  add: (j: number, k: RootKind, at: number, t: number) => void,
): void {
  const lo = vtable % 0x1_0000_0000;
  const hi = Math.floor(vtable / 0x1_0000_0000);
  const buf = Buffer.allocUnsafe(CHUNK);
  const pages = table.walker.pages;
  const word = (a: number): number | undefined => {
    const b = space.tryRead(a, 8);
    return b === undefined ? undefined : b.readUInt32LE(4) * 0x1_0000_0000 + b.readUInt32LE(0);
  };
  for (const m of space.mappings()) {
    if (!m.readable || !m.writable || pages.indexOf(m.start) >= 0) continue;
    for (let a = m.start; a < m.end; a += CHUNK) {
      const len = Math.min(CHUNK, m.end - a);
      if (!space.readInto(a, buf, 0, len)) continue;
      for (let o = 0; o + 8 <= len; o += 8) {
        if (buf.readUInt32LE(o) !== lo || buf.readUInt32LE(o + 4) !== hi) continue;
        const q = a + o;
        const ring = word(q + off.ringBuffer);
        const cap = word(q + off.capacity);
        const start = word(q + off.start);
        const size = word(q + off.size);
        if (ring === undefined || cap === undefined || start === undefined || size === undefined || cap > 1 << 24 || size > cap) continue;
        for (let i = 0; i < size; i++) {
          const slot = ring + ((start + i) % cap) * 8;
          const b = space.tryRead(slot, 8);
          if (b !== undefined) add(resolve(b.readUInt32LE(0), b.readUInt32LE(4)), 'microtask queue', slot, -1);
        }
      }
    }
  }
}
