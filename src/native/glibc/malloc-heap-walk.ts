// The walk behind MallocHeapModel: the arenas' heaps chunk by chunk, mmapped chunks, then the
// free lists whose chunks the chain shows as allocated (fastbins, tcaches), into typed-array
// columns. Every walk is bounded; a chain that stops making sense ends its heap with a problem.
import { findMapping, type AddressSpace } from '../../target/address-space.js';
import { HEAP_INFO, MALLOC_CHUNK as C, revealPtr, type MallocLayout } from './malloc-facts.js';

/** Role: what a chunk is, as far as malloc's own structures tell. */
export const enum ChunkState {
  InUse = 0,
  /** In a regular bin or unsorted (the next chunk's PREV_INUSE is clear). */
  Free = 1,
  Top = 2,
  Fastbin = 3,
  Tcache = 4,
  /** An mmapped chunk (always in use). */
  Mmapped = 5,
}

/** Role: a range of target memory that holds malloc chunks (a heap, or one mmapped chunk). */
export interface MallocRegion {
  readonly start: number;
  readonly end: number;
}

/** Role: one arena as the walk found it. */
export interface ArenaInfo {
  address: number;
  main: boolean;
  heaps: number;
  systemMem: number;
}

const MAX_CHUNKS = 1 << 26;
const MAX_ARENAS = 1024;
const MAX_HEAPS = 4096;
const MAX_LIST = 1 << 20;
const READ = 1 << 20;

/** Column builder (grown by doubling). */
export class ChunkColumns {
  n = 0;
  start = new Float64Array(4096);
  size = new Float64Array(4096);
  state = new Uint8Array(4096);
  arena = new Uint16Array(4096);

  push(start: number, size: number, state: ChunkState, arena: number): void {
    if (this.n === this.start.length) {
      const grow = <T extends Float64Array | Uint8Array | Uint16Array>(a: T, make: new (n: number) => T): T => {
        const b = new make(a.length * 2);
        b.set(a);
        return b;
      };
      this.start = grow(this.start, Float64Array);
      this.size = grow(this.size, Float64Array);
      this.state = grow(this.state, Uint8Array);
      this.arena = grow(this.arena, Uint16Array);
    }
    this.start[this.n] = start;
    this.size[this.n] = size;
    this.state[this.n] = state;
    this.arena[this.n] = arena;
    this.n++;
  }
}

/** Chunk header address → column index, by binary search over the sorted starts (no Map per chunk). */
class ChunkIndex {
  readonly size: number;
  private readonly starts: Float64Array;
  private readonly order: Int32Array;

  constructor(cols: ChunkColumns) {
    this.size = cols.n;
    const order = Int32Array.from({ length: cols.n }, (_, i) => i).sort((a, b) => cols.start[a]! - cols.start[b]!);
    this.order = order;
    this.starts = Float64Array.from(order, (i) => cols.start[i]!);
  }

  /** The column index of the chunk whose header is at `start`, or undefined. */
  get(start: number): number | undefined {
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.starts[mid]!;
      if (v === start) return this.order[mid];
      if (v < start) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }
}

/** The walk's mutable state (one per build). */
export class Walker {
  readonly cols = new ChunkColumns();
  readonly regions: MallocRegion[] = [];
  readonly problems: string[] = [];
  readonly arenaInfo: ArenaInfo[] = [];
  private readonly buf = Buffer.allocUnsafe(READ);

  private readonly S: MallocLayout['state'];

  constructor(
    private readonly space: AddressSpace,
    private readonly mangled: boolean,
    private readonly layout: MallocLayout,
  ) {
    this.S = layout.state;
  }

  private ptr(a: number): number | undefined {
    const b = this.space.tryRead(a, 8);
    if (b === undefined) return undefined;
    const hi = b.readUInt32LE(4);
    return hi < 0x200000 ? hi * 0x1_0000_0000 + b.readUInt32LE(0) : undefined;
  }

  walkArenas(main: number): void {
    let ar = main;
    const seen = new Set<number>();
    while (!seen.has(ar) && seen.size < MAX_ARENAS) {
      seen.add(ar);
      const idx = this.arenaInfo.length;
      const top = this.ptr(ar + this.S.top);
      const info = { address: ar, main: ar === main, heaps: 0, systemMem: this.ptr(ar + this.S.systemMem) ?? 0 };
      this.arenaInfo.push(info);
      if (top !== undefined && top !== 0) {
        info.heaps = ar === main ? this.walkMainHeap(top, idx) : this.walkThreadHeaps(ar, top, idx);
      } else this.problems.push(`arena 0x${ar.toString(16)}: unreadable top`);
      const next = this.ptr(ar + this.S.next);
      if (next === undefined || next === 0) break;
      ar = next;
    }
  }

  /** The main arena's sbrk heap: the run of contiguous mappings that ends with the top chunk's. */
  private walkMainHeap(top: number, arena: number): number {
    const maps = this.space.mappings();
    let m = findMapping(maps, top);
    if (m === undefined) {
      this.problems.push(`main arena: top 0x${top.toString(16)} is not mapped`);
      return 0;
    }
    let i = maps.indexOf(m);
    let start = m.start;
    while (i > 0 && maps[i - 1]!.end === start && maps[i - 1]!.path === undefined) start = maps[--i]!.start;
    const end = this.topEnd(top, m.end);
    this.walkChain(start, end, top, arena);
    this.regions.push({ start, end });
    return 1;
  }

  private topEnd(top: number, limit: number): number {
    const sz = this.ptr(top + 8);
    return sz === undefined ? limit : Math.min(limit, top + (sz - (sz % 8)));
  }

  /** A thread arena's heaps: heap_info at each HEAP_MAX_SIZE-aligned heap, newest (the top's) first, then prev. */
  private walkThreadHeaps(ar: number, top: number, arena: number): number {
    let h: number | undefined = top - (top % HEAP_INFO.maxSize);
    let heaps = 0;
    const seen = new Set<number>();
    while (h !== undefined && h !== 0 && heaps < MAX_HEAPS && !seen.has(h)) {
      seen.add(h);
      if (this.ptr(h + HEAP_INFO.arPtr) !== ar) {
        this.problems.push(`arena 0x${ar.toString(16)}: heap 0x${h.toString(16)} is not its own`);
        break;
      }
      const size = this.ptr(h + HEAP_INFO.size) ?? 0;
      const end = Math.min(h + size, h + HEAP_INFO.maxSize);
      let first: number | undefined;
      if (ar > h && ar < end) first = Math.ceil((ar + this.S.size) / C.alignment) * C.alignment;
      else first = this.layout.heapInfoSizes.map((n) => h! + n).find((a) => this.plausibleChunk(a, end));
      if (first !== undefined) {
        this.walkChain(first, h === top - (top % HEAP_INFO.maxSize) ? this.topEnd(top, end) : end, top, arena);
        this.regions.push({ start: h, end });
        heaps++;
      }
      h = this.ptr(h + HEAP_INFO.prev);
    }
    return heaps;
  }

  private plausibleChunk(a: number, end: number): boolean {
    const sz = this.ptr(a + 8);
    if (sz === undefined) return false;
    const s = sz - (sz % 8);
    return s >= C.minSize && s % C.alignment === 0 && a + s <= end;
  }

  /** Walks chunks from `start` until `end`, the top chunk or the first header that is not a chunk. */
  private walkChain(start: number, end: number, top: number, arena: number): void {
    const cols = this.cols;
    let a = start;
    let winStart = -1;
    let winLen = 0;
    let prev = -1;
    for (;;) {
      if (cols.n >= MAX_CHUNKS) {
        this.problems.push(`more than ${MAX_CHUNKS} chunks`);
        return;
      }
      if (a < winStart || a + 16 > winStart + winLen) {
        const len = Math.min(READ, Math.max(16, end + 16 - a));
        if (!this.space.readInto(a, this.buf, 0, len)) {
          if (!this.space.readInto(a, this.buf, 0, 16)) {
            this.problems.push(`chain stops at unreadable 0x${a.toString(16)}`);
            return;
          }
          winLen = 16;
        } else winLen = len;
        winStart = a;
      }
      const off = a - winStart;
      const raw = this.buf.readUInt32LE(off + 12) * 0x1_0000_0000 + this.buf.readUInt32LE(off + 8);
      const flags = raw % 8;
      const sz = raw - flags;
      // This header's PREV_INUSE tells the state of the chunk before it.
      if (prev >= 0 && cols.state[prev] === ChunkState.InUse && (flags & C.PREV_INUSE) === 0) cols.state[prev] = ChunkState.Free;
      if (a === top) {
        cols.push(a, Math.max(0, Math.min(sz, end - a)), ChunkState.Top, arena);
        return;
      }
      if (a >= end) return;
      if (sz < C.minSize || sz % C.alignment !== 0 || a + sz > end || (flags & C.IS_MMAPPED) !== 0) {
        // A heap's fenceposts (size 16, then 0) end it; anything else is a broken chain.
        if (sz !== 16) this.problems.push(`chain broken at 0x${a.toString(16)} (size field 0x${raw.toString(16)})`);
        return;
      }
      prev = cols.n;
      cols.push(a, sz, ChunkState.InUse, arena);
      a += sz;
    }
  }

  /** mmapped chunks: at the start of writable anonymous mappings outside every heap, one after another. */
  walkMmapped(): void {
    const heaps = [...this.regions];
    for (const m of this.space.mappings()) {
      if (!m.writable || m.path !== undefined) continue;
      if (heaps.some((r) => r.start < m.end && m.start < r.end)) continue;
      let a = m.start;
      for (let k = 0; k < 4096 && a + 16 <= m.end; k++) {
        const b = this.space.tryRead(a, 16);
        if (b === undefined) break;
        const prevSize = b.readUInt32LE(4) * 0x1_0000_0000 + b.readUInt32LE(0);
        const raw = b.readUInt32LE(12) * 0x1_0000_0000 + b.readUInt32LE(8);
        const flags = raw % 8;
        const sz = raw - flags;
        if (prevSize !== 0 || flags !== C.IS_MMAPPED || sz < 4096 || sz % 4096 !== 0 || a + sz > m.end) break;
        this.cols.push(a, sz, ChunkState.Mmapped, 0xffff);
        this.regions.push({ start: a, end: a + sz });
        a += sz;
      }
    }
  }

  /** Fastbin lists of the arena at `ar` (fd at chunk + 16, mangled from glibc 2.32). */
  /** Fastbin lists of every arena walked (after all heaps are, so one index serves them all). */
  markFastbins(): void {
    for (const a of this.arenaInfo) this.markFastbinsOf(a.address);
  }

  private markFastbinsOf(ar: number): void {
    const byStart = this.index();
    for (let i = 0; i < this.S.nfastbins; i++) {
      let p = this.ptr(ar + this.S.fastbinsY + 8 * i);
      for (let n = 0; p !== undefined && p !== 0 && n < MAX_LIST; n++) {
        const k = byStart.get(p);
        if (k === undefined || this.cols.state[k] !== ChunkState.InUse) break;
        this.cols.state[k] = ChunkState.Fastbin;
        const stored = this.ptr(p + 16);
        if (stored === undefined) break;
        p = this.mangled ? revealPtr(p + 16, stored) : stored;
      }
    }
  }

  private indexCache: ChunkIndex | undefined;
  /** The chunks by header address (sorted once the walk has found them all). */
  private index(): ChunkIndex {
    if (this.indexCache === undefined || this.indexCache.size !== this.cols.n) this.indexCache = new ChunkIndex(this.cols);
    return this.indexCache;
  }

  /**
   * Each thread's tcache_perthread_struct (malloc.c: uint16 counts[64] then 64 entry pointers from
   * 2.30, a 0x290-byte chunk; uint8 counts before, 0x250): an in-use chunk of that size whose
   * entries are user pointers of chunks of their bin's size. Its lists' chunks are free.
   */
  markTcaches(): number {
    const structSize = this.layout.tcacheChunkSize;
    const width = this.layout.tcacheCountBytes;
    if (structSize === undefined || width === undefined) return 0;
    const wide = width === 2;
    const countsBytes = 64 * width;
    const byStart = this.index();
    let found = 0;
    const n = this.cols.n;
    for (let c = 0; c < n; c++) {
      if (this.cols.size[c] !== structSize || this.cols.state[c] !== ChunkState.InUse) continue;
      const user = this.cols.start[c]! + C.userOffset;
      const b = this.space.tryRead(user, countsBytes + 64 * 8);
      if (b === undefined) continue;
      const lists: { bin: number; head: number; count: number }[] = [];
      let ok = true;
      for (let bin = 0; bin < 64 && ok; bin++) {
        const count = wide ? b.readUInt16LE(2 * bin) : b[bin]!;
        const hi = b.readUInt32LE(countsBytes + 8 * bin + 4);
        const head = hi * 0x1_0000_0000 + b.readUInt32LE(countsBytes + 8 * bin);
        if (head === 0) {
          if (count !== 0 && wide) ok = false;
          continue;
        }
        const k = byStart.get(head - C.userOffset);
        // tidx2usize: bin i holds chunks of 32 + 16·i bytes.
        if (k === undefined || count === 0 || this.cols.size[k] !== C.minSize + 16 * bin) ok = false;
        else lists.push({ bin, head, count });
      }
      if (!ok || lists.length === 0) continue;
      found++;
      for (const l of lists) {
        let e = l.head;
        for (let i = 0; i < Math.min(l.count, MAX_LIST) && e !== 0; i++) {
          const k = byStart.get(e - C.userOffset);
          if (k === undefined || this.cols.size[k] !== C.minSize + 16 * l.bin) break;
          if (this.cols.state[k] === ChunkState.InUse) this.cols.state[k] = ChunkState.Tcache;
          const stored = this.ptr(e);
          if (stored === undefined) break;
          e = this.mangled ? revealPtr(e, stored) : stored;
        }
      }
    }
    return found;
  }
}
