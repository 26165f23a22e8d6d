// Finds the V8 heap's pages in a target: every 256 KiB-aligned address of an anonymous readable
// mapping whose chunk record (the page header before V8 13, its off-page metadata since) names
// that address as its own and has sane area bounds. Field offsets are rows of the layout (heap
// facts); a page that does not validate is not a page. Reads 96 bytes per candidate, uncached.
import type { AddressSpace, Mapping } from '../../target/address-space.js';
import type { V8Layout } from '../layout/v8-layout.js';

/** Role: what a page holds, as far as the walk is concerned. */
export type PageKind = 'to-space' | 'from-space' | 'old' | 'read-only';

/** Role: one V8 heap page (or large-object chunk) found in the target. */
export interface HeapPage {
  /** Chunk address (page-aligned). */
  readonly base: number;
  readonly size: number;
  readonly areaStart: number;
  readonly areaEnd: number;
  readonly flags: number;
  /** The space that owns the page (a pointer: identity only). */
  readonly owner: number;
  /** The Heap the page belongs to (one per isolate; 0 for the shared read-only space). */
  readonly heap: number;
  /** Address of the chunk record (the page itself before V8 13, its metadata since). */
  readonly record: number;
  /** Record address of the next page of the same space list (0 when last or unknown). */
  readonly next: number;
  readonly kind: PageKind;
}

/** Role: the heap's pages, sorted by address, with lookup by address. */
export class HeapPages {
  private readonly byNumber = new Map<number, number>();

  constructor(
    readonly pages: readonly HeapPage[],
    readonly pageSize: number,
    /** Bytes of readable anonymous mappings the target does not have (a truncated core): pages may have been there. */
    readonly unreadableBytes = 0,
  ) {
    pages.forEach((p, i) => {
      // Large chunks span several page numbers; each maps to the chunk.
      for (let n = Math.floor(p.base / pageSize); n * pageSize < p.base + p.size; n++) this.byNumber.set(n, i);
    });
  }

  /** Index of the page whose chunk holds `address`, or -1. */
  indexOf(address: number): number {
    const i = this.byNumber.get(Math.floor(address / this.pageSize));
    if (i === undefined) return -1;
    const p = this.pages[i]!;
    return address >= p.base && address < p.base + p.size ? i : -1;
  }

  /** Whether `address` lies inside some page's object area. */
  inArea(address: number): boolean {
    const i = this.indexOf(address);
    return i >= 0 && address >= this.pages[i]!.areaStart && address < this.pages[i]!.areaEnd;
  }
}

/** Role: the page-header fields that the layout must provide (names of heap facts). */
export interface PageLayout {
  readonly pageSize: number;
  readonly flags: number;
  readonly metadata: number | undefined;
  readonly self: number;
  readonly size: number;
  readonly heap: number;
  readonly areaStart: number;
  readonly areaEnd: number;
  readonly owner: number;
  readonly listNext: number | undefined;
  readonly fromBit: number;
  readonly toBit: number;
}

/** The page layout of `layout`, or the name of the first heap fact it lacks. */
export function pageLayout(layout: V8Layout): PageLayout | string {
  const o = layout.opt;
  const need = {
    pageSize: o.Page_size,
    flags: o.MemoryChunk_flags,
    self: o.Chunk_self,
    size: o.Chunk_size,
    heap: o.Chunk_heap,
    areaStart: o.Chunk_area_start,
    areaEnd: o.Chunk_area_end,
    owner: o.Chunk_owner,
    fromBit: o.MemoryChunk_FROM_PAGE_bit,
    toBit: o.MemoryChunk_TO_PAGE_bit,
  };
  const names: Record<keyof typeof need, string> = {
    pageSize: 'Page_size',
    flags: 'MemoryChunk_flags',
    self: 'Chunk_self',
    size: 'Chunk_size',
    heap: 'Chunk_heap',
    areaStart: 'Chunk_area_start',
    areaEnd: 'Chunk_area_end',
    owner: 'Chunk_owner',
    fromBit: 'MemoryChunk_FROM_PAGE_bit',
    toBit: 'MemoryChunk_TO_PAGE_bit',
  };
  for (const [k, v] of Object.entries(need)) if (v === undefined) return names[k as keyof typeof need];
  return { ...(need as { [K in keyof typeof need]: number }), metadata: o.MemoryChunk_metadata, listNext: o.Chunk_list_next };
}

/** Largest chunk believed (V8 caps large objects well below this). */
const MAX_CHUNK = 2 ** 36;
/** Bytes of a chunk record read per candidate (covers every known field). */
const RECORD_BYTES = 0x110 + 8;

/** Finds every heap page of the target. */
export function discoverPages(space: AddressSpace, pl: PageLayout): HeapPages {
  const found: HeapPage[] = [];
  let unreadable = 0;
  const head = Buffer.alloc(16);
  const rec = Buffer.alloc(RECORD_BYTES);
  const word = (b: Buffer, off: number): number => b.readUInt32LE(off + 4) * 0x1_0000_0000 + b.readUInt32LE(off);
  for (const m of space.mappings()) {
    if (!m.readable || m.path !== undefined) continue;
    for (let a = Math.ceil(m.start / pl.pageSize) * pl.pageSize; a + 256 <= m.end; a += pl.pageSize) {
      if (!space.readInto(a, head, 0, 16)) {
        unreadable += Math.min(pl.pageSize, m.end - a);
        continue;
      }
      const p = readPage(space, m, a, pl, head, rec, word);
      if (p === undefined) continue;
      found.push(p);
      // A large chunk's tail pages are part of it, not candidates.
      if (p.size > pl.pageSize) a += Math.floor((p.size - 1) / pl.pageSize) * pl.pageSize;
    }
  }
  found.sort((x, y) => x.base - y.base);
  return new HeapPages(found, pl.pageSize, unreadable);
}

function readPage(
  space: AddressSpace,
  m: Mapping,
  a: number,
  pl: PageLayout,
  head: Buffer,
  rec: Buffer,
  word: (b: Buffer, off: number) => number,
): HeapPage | undefined {
  let record = a;
  if (pl.metadata !== undefined) {
    record = word(head, pl.metadata);
    if (record === 0 || record % 8 !== 0 || !Number.isSafeInteger(record)) return undefined;
  }
  if (!space.readInto(record, rec, 0, RECORD_BYTES) && !space.readInto(record, rec, 0, Math.max(pl.owner, pl.areaEnd, pl.self) + 8)) return undefined;
  const self = word(rec, pl.self);
  const size = word(rec, pl.size);
  const areaStart = word(rec, pl.areaStart);
  const areaEnd = word(rec, pl.areaEnd);
  const flags = pl.metadata !== undefined ? word(head, pl.flags) : word(rec, pl.flags);
  // Before V8 12 the self word is the reservation's region; read-only pages have none.
  const readOnlyHeader = self === 0 && pl.metadata === undefined && !m.writable;
  if (self !== a && !readOnlyHeader) return undefined;
  if (size < 4096 || size > MAX_CHUNK || size % 8 !== 0) return undefined;
  if (areaStart < a + 16 || areaStart > areaEnd || areaEnd > a + size || areaStart % 8 !== 0 || areaEnd % 8 !== 0) return undefined;
  const next = pl.listNext !== undefined && pl.listNext + 8 <= RECORD_BYTES ? word(rec, pl.listNext) : 0;
  const kind: PageKind = !m.writable ? 'read-only' : hasBit(flags, pl.fromBit) ? 'from-space' : hasBit(flags, pl.toBit) ? 'to-space' : 'old';
  return { base: a, size, areaStart, areaEnd, flags, owner: word(rec, pl.owner), heap: word(rec, pl.heap), record, next, kind };
}

/** Whether bit `n` of a flags word (possibly above 2^32) is set. */
function hasBit(flags: number, n: number): boolean {
  return Math.floor(flags / 2 ** n) % 2 === 1;
}
