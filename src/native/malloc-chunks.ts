// glibc malloc chunks of a target (glibc malloc/malloc.c, x86-64): a chunk is {prev_size, size |
// A|M|P} then user memory; the main arena's chunks tile the sbrk heap from its first byte to the
// top chunk, and each large allocation is one mmapped chunk (IS_MMAPPED) at the start of its own
// mapping. Only the chain is read here: enough to bound an object (V8's Isolate) or to list a
// heap's chunks. A chain that does not tile its mapping exactly is not a malloc heap.
import type { AddressSpace, Mapping } from '../target/address-space.js';

/** Role: one malloc chunk: its header address and size (user memory starts 16 bytes in). */
export interface MallocChunk {
  readonly start: number;
  readonly size: number;
  readonly mmapped: boolean;
}

const PREV_INUSE = 1;
const IS_MMAPPED = 2;
const FLAGS = 7;
/** Most chunks one heap may have before we stop believing the chain. */
const MAX_CHUNKS = 1 << 26;
const READ = 1 << 20;

/** Role: the chunks of one sbrk-style malloc heap (a mapping the chunk chain tiles exactly). */
export class MallocHeap {
  private constructor(readonly mapping: Mapping, private readonly starts: Float64Array, private readonly sizes: Float64Array) {}

  /** Walks the chunk chain of `m`; undefined when it does not tile the mapping. */
  static open(space: AddressSpace, m: Mapping): MallocHeap | undefined {
    const starts: number[] = [];
    const sizes: number[] = [];
    const buf = Buffer.allocUnsafe(READ + 16);
    let winStart = -1;
    let winLen = 0;
    let a = m.start;
    while (a < m.end) {
      if (starts.length >= MAX_CHUNKS) return undefined;
      if (a < winStart || a + 16 > winStart + winLen) {
        const len = Math.min(READ + 16, m.end - a);
        if (len < 16 || !space.readInto(a, buf, 0, len)) return undefined;
        winStart = a;
        winLen = len;
      }
      const off = a - winStart;
      const size = buf.readUInt32LE(off + 12) * 0x1_0000_0000 + buf.readUInt32LE(off + 8);
      const sz = size - (size % 8);
      if (sz < 32 || sz % 16 !== 0 || a + sz > m.end || (size & IS_MMAPPED) !== 0) return undefined;
      starts.push(a);
      sizes.push(sz);
      a += sz;
    }
    return starts.length >= 2 ? new MallocHeap(m, Float64Array.from(starts), Float64Array.from(sizes)) : undefined;
  }

  /** Number of chunks. */
  get count(): number {
    return this.starts.length;
  }

  /** Chunk `i`. */
  chunk(i: number): MallocChunk {
    return { start: this.starts[i]!, size: this.sizes[i]!, mmapped: false };
  }

  /** The chunk whose bytes hold `address`, or undefined. */
  containing(address: number): MallocChunk | undefined {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid]! <= address) lo = mid + 1;
      else hi = mid - 1;
    }
    if (hi < 0 || address >= this.starts[hi]! + this.sizes[hi]!) return undefined;
    return this.chunk(hi);
  }

  /**
   * Whether chunk `i` is allocated as far as the chain tells: the next chunk's PREV_INUSE bit
   * (tcache and fastbin frees keep it set; the top chunk counts as free).
   */
  inUse(space: AddressSpace, i: number): boolean {
    if (i + 1 >= this.starts.length) return false;
    const b = space.tryRead(this.starts[i + 1]! + 8, 4);
    return b !== undefined && (b.readUInt32LE(0) & PREV_INUSE) === PREV_INUSE;
  }
}

/** The mmapped chunk that starts its mapping and holds `address`, or undefined. */
export function mmappedChunkAt(space: AddressSpace, m: Mapping, address: number): MallocChunk | undefined {
  const b = space.tryRead(m.start, 16);
  if (b === undefined) return undefined;
  const size = b.readUInt32LE(12) * 0x1_0000_0000 + b.readUInt32LE(8);
  if ((size & IS_MMAPPED) === 0) return undefined;
  const sz = size - (size & FLAGS);
  if (sz < 4096 || m.start + sz > m.end || address >= m.start + sz) return undefined;
  return { start: m.start, size: sz, mmapped: true };
}
