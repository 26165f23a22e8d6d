// glibc malloc's layout on x86-64 as data, each fact with its source (glibc malloc/malloc.c and
// malloc/arena.c, releases 2.27 to 2.40). The debug file checks them where installed: the size
// of its `main_arena` symbol must equal MALLOC_STATE.size (see glibc-libc.ts).

/** Role: struct malloc_state (malloc.c), glibc ≥ 2.27 (have_fastchunks added in 2.27). */
export const MALLOC_STATE = Object.freeze({
  /** mfastbinptr fastbinsY[NFASTBINS]: after mutex, flags, have_fastchunks (3 ints) and padding. */
  fastbinsY: 16,
  /** NFASTBINS = fastbin_index(request2size(MAX_FAST_SIZE)) + 1 = 10 on 64-bit. */
  nfastbins: 10,
  top: 96,
  lastRemainder: 104,
  /** mchunkptr bins[NBINS * 2 - 2], NBINS = 128. */
  bins: 112,
  /** struct malloc_state *next: after bins (254 words) and binmap (4 ints). */
  next: 2160,
  /** INTERNAL_SIZE_T system_mem: after next, next_free and attached_threads. */
  systemMem: 2184,
  /** sizeof(struct malloc_state). */
  size: 2200,
});

/** Role: struct malloc_chunk (malloc.c): prev_size, size | A|M|P, then user memory. */
export const MALLOC_CHUNK = Object.freeze({
  /** Offset of user memory (chunk2mem: 2 * SIZE_SZ). */
  userOffset: 16,
  /** MINSIZE on 64-bit. */
  minSize: 32,
  /** MALLOC_ALIGNMENT = 2 * SIZE_SZ. */
  alignment: 16,
  PREV_INUSE: 1,
  IS_MMAPPED: 2,
  NON_MAIN_ARENA: 4,
  /** An in-use chunk's usable bytes: size − SIZE_SZ (it may use the next chunk's prev_size). */
  usableOverhead: 8,
  /** struct tcache_entry: next, then key (2.29+); key is tcache_key (2.34+), the tcache pointer before. */
  tcacheKeyOffset: 8,
});

/**
 * Role: arena.c's heaps of non-main arenas: each is HEAP_MAX_SIZE-aligned (2 × DEFAULT_MMAP_
 * THRESHOLD_MAX = 64 MiB on 64-bit) and starts with heap_info {ar_ptr, prev, size, mprotect_size,
 * pagesize (2.35+), pad}; sizeof(heap_info) is 32 before 2.35 and 48 from 2.35.
 */
export const HEAP_INFO = Object.freeze({
  maxSize: 64 * 1024 * 1024,
  arPtr: 0,
  prev: 8,
  size: 16,
  headerSizes: [48, 32] as const,
});

/** Role: whether fastbin and tcache next pointers are mangled (safe-linking, glibc 2.32+: PROTECT_PTR). */
export function safeLinking(version: readonly [number, number]): boolean {
  return version[0] > 2 || (version[0] === 2 && version[1] >= 32);
}

/** Role: REVEAL_PTR of malloc.c: a stored next pointer at `pos` decoded ((pos >> 12) ^ stored). */
export function revealPtr(pos: number, stored: number): number {
  const p = Math.floor(pos / 4096);
  // XOR of two 53-bit numbers, in 32-bit halves.
  const lo = ((p % 0x1_0000_0000) ^ (stored % 0x1_0000_0000)) >>> 0;
  const hi = (Math.floor(p / 0x1_0000_0000) ^ Math.floor(stored / 0x1_0000_0000)) >>> 0;
  return hi * 0x1_0000_0000 + lo;
}

/** Role: the malloc layout a walk uses: from the debug file's DWARF when installed, else the facts above. */
export interface MallocLayout {
  /** Where the layout came from, for the output. */
  readonly source: string;
  readonly state: { readonly fastbinsY: number; readonly nfastbins: number; readonly top: number; readonly next: number; readonly systemMem: number; readonly size: number };
  /** sizeof(heap_info) candidates (one when known from DWARF). */
  readonly heapInfoSizes: readonly number[];
  /** Chunk size of a tcache_perthread_struct (request2size of its sizeof), per glibc release when not from DWARF. */
  readonly tcacheChunkSize?: number;
  /** Bytes per tcache count (uint16 from 2.30, uint8 before). */
  readonly tcacheCountBytes?: number;
}

/** Role: the documented layout (the facts above) for a glibc release. */
export function factsLayout(version: readonly [number, number]): MallocLayout {
  const wide = version[0] > 2 || version[1] >= 30;
  return {
    source: 'documented layout of glibc 2.27+ (malloc/malloc.c, malloc/arena.c)',
    state: { fastbinsY: MALLOC_STATE.fastbinsY, nfastbins: MALLOC_STATE.nfastbins, top: MALLOC_STATE.top, next: MALLOC_STATE.next, systemMem: MALLOC_STATE.systemMem, size: MALLOC_STATE.size },
    heapInfoSizes: HEAP_INFO.headerSizes,
    tcacheChunkSize: wide ? 0x290 : 0x250,
    tcacheCountBytes: wide ? 2 : 1,
  };
}

/** Role: request2size of malloc.c: the chunk size malloc gives a request of `n` bytes. */
export function request2size(n: number): number {
  return Math.max(MALLOC_CHUNK.minSize, Math.ceil((n + 8) / MALLOC_CHUNK.alignment) * MALLOC_CHUNK.alignment);
}
