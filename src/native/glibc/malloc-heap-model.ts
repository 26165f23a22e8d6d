// glibc's malloc heap of a target, walked once: the main arena's sbrk heap and each thread
// arena's heaps chunk by chunk (malloc.c's chunk chain, stopped at the top chunk or a heap's
// fenceposts), mmapped chunks at the start of anonymous mappings, and the free lists whose
// chunks look allocated to the chain (fastbins, each tcache_perthread_struct's entries). Chunks
// are columns of typed arrays sorted by address, not objects. The walk itself is
// malloc-heap-walk.ts; this is the model it leaves and the queries on it.
import type { AddressSpace, Mapping } from '../../target/address-space.js';
import { TargetError } from '../../util/errors.js';
import { MALLOC_CHUNK as C, safeLinking } from './malloc-facts.js';
import { ChunkState, Walker, type ArenaInfo, type ChunkColumns, type MallocRegion } from './malloc-heap-walk.js';
import type { GlibcInfo } from './glibc-libc.js';
import { findMainArena } from './main-arena-scan.js';

export { ChunkState, type MallocRegion } from './malloc-heap-walk.js';

/** Role: one arena's totals. */
export interface ArenaSummary {
  readonly address: string;
  readonly main: boolean;
  readonly heaps: number;
  readonly chunks: number;
  /** Bytes of chunks in use (headers included). */
  readonly inUse: number;
  /** Bytes of free chunks, fastbin and tcache entries included, top excluded. */
  readonly free: number;
  readonly top: number;
  /** Bytes the arena got from the system (malloc_state.system_mem). */
  readonly systemMem: number;
}

/** Role: every malloc chunk of the target, with its state, arena and the regions that hold them. */
export class MallocHeapModel {
  readonly count: number;
  /** Chunk header addresses, ascending. */
  readonly start: Float64Array;
  /** Chunk sizes (flags cleared). */
  readonly size: Float64Array;
  readonly state: Uint8Array;
  /** Index into `arenas` (mmapped chunks: 0xffff). */
  readonly arena: Uint16Array;
  /** Regions sorted by start (heaps and mmapped chunks). */
  readonly regions: readonly MallocRegion[];
  readonly arenas: readonly ArenaSummary[];
  /** How many tcache_perthread_structs were found and walked. */
  readonly tcaches: number;
  /** Where a heap's chain stopped before its end (corrupt or unreadable), if anywhere. */
  readonly problems: readonly string[];

  private constructor(cols: ChunkColumns, regions: MallocRegion[], info: readonly ArenaInfo[], tcaches: number, problems: string[]) {
    const n = cols.n;
    const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => cols.start[a]! - cols.start[b]!);
    this.count = n;
    this.start = Float64Array.from(order, (i) => cols.start[i]!);
    this.size = Float64Array.from(order, (i) => cols.size[i]!);
    this.state = Uint8Array.from(order, (i) => cols.state[i]!);
    this.arena = Uint16Array.from(order, (i) => cols.arena[i]!);
    this.regions = regions.sort((a, b) => a.start - b.start);
    this.arenas = summaries(this, info);
    this.tcaches = tcaches;
    this.problems = problems;
  }

  /** Role: walks the heap of `glibc` in `space`; a TargetError when no arena can be found. */
  static build(space: AddressSpace, glibc: GlibcInfo, libcMappings: readonly Mapping[]): MallocHeapModel {
    const main = glibc.mainArena ?? findMainArena(space, libcMappings);
    if (main === undefined) throw new TargetError(`malloc heap: glibc ${glibc.version}'s main_arena was not found (install libc6-dbg for its symbol)`, 'UNSUPPORTED');
    const w = new Walker(space, safeLinking(glibc.versionParts), glibc.layout);
    w.walkArenas(main);
    w.walkMmapped();
    w.markFastbins();
    const tcaches = w.markTcaches();
    return new MallocHeapModel(w.cols, w.regions, w.arenaInfo, tcaches, w.problems);
  }

  /** Role: the chunk whose user memory [start+16, start+size) holds `address`, or −1. */
  chunkAt(address: number): number {
    const s = this.start;
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (s[mid]! <= address) lo = mid + 1;
      else hi = mid - 1;
    }
    if (hi < 0) return -1;
    const st = s[hi]!;
    return address >= st + C.userOffset && address < st + this.size[hi]! ? hi : -1;
  }

  /** Role: whether chunk `i` is allocated (in use in an arena, or mmapped). */
  allocated(i: number): boolean {
    const st = this.state[i]!;
    return st === ChunkState.InUse || st === ChunkState.Mmapped;
  }

  /** Role: the usable bytes of allocated chunk `i` (malloc_usable_size). */
  usable(i: number): number {
    return this.size[i]! - (this.state[i] === ChunkState.Mmapped ? 2 * 8 : C.usableOverhead);
  }
}

function summaries(m: MallocHeapModel, info: readonly ArenaInfo[]): ArenaSummary[] {
  const sums = info.map(() => ({ chunks: 0, inUse: 0, free: 0, top: 0 }));
  for (let i = 0; i < m.count; i++) {
    const s = sums[m.arena[i]!];
    if (s === undefined) continue;
    s.chunks++;
    const st = m.state[i]!;
    if (st === ChunkState.InUse) s.inUse += m.size[i]!;
    else if (st === ChunkState.Top) s.top += m.size[i]!;
    else s.free += m.size[i]!;
  }
  return info.map((a, i) => ({ address: `0x${a.address.toString(16)}`, main: a.main, heaps: a.heaps, systemMem: a.systemMem, ...sums[i]! }));
}
