// The linear walk of every heap page, object by object: sizes from maps and length fields,
// fillers and free space skipped, the unused part of allocation areas (LABs) and of the young
// generation skipped, from-space skipped. Each page is read once, in 256 KiB windows, through
// the uncached bulk path. A word that is not a map where an object must start ends that stretch
// of the page; the walk resynchronises at the next valid map word and counts the gap, so a corrupt
// object costs itself, never the rest of the heap.
import type { AddressSpace } from '../../target/address-space.js';
import type { V8Heap } from '../heap/v8-heap.js';
import { findAllocationAreas, type AllocationArea } from './allocation-areas.js';
import { discoverPages, pageLayout, type HeapPage, type HeapPages } from './heap-pages.js';
import { MapTable } from './map-table.js';
import { SizeRules } from './size-rules.js';
import { TargetError } from '../../util/errors.js';

/** Role: what the walk covered, in bytes (they add up to the pages' object areas). */
export interface WalkCoverage {
  readonly pages: number;
  /** Bytes of objects visited. */
  readonly scannedBytes: number;
  /** Fillers, free space, unused allocation areas, unused and from-space young pages. */
  readonly freeBytes: number;
  /** Unreadable (not in the core) or skipped after a corrupt object, inside the pages found. */
  readonly skippedBytes: number;
  /** Readable mappings the core lacks (truncated): heap pages may have been there, unseen. */
  readonly unreadableBytes: number;
  /** Stretches that did not parse (a non-map where an object had to start). */
  readonly corrupt: number;
  /** Objects whose end was found at the next map word (no size formula for their class). */
  readonly resynchronised: number;
  /** Allocation areas confirmed by the walk landing on their top. */
  readonly allocationAreas: number;
  /** Set when the young generation's page order could not be read: stale pages may be counted. */
  readonly youngOrderUnknown: boolean;
}

/** Role: receives each object the walk finds. */
export type ObjectVisitor = (address: number, mapId: number, size: number, page: number) => void;

/** Role: one stretch the walk could not parse, for diagnosis (`previous` is the object before it). */
export interface WalkGap {
  readonly address: number;
  readonly resumedAt: number;
  readonly why: 'not a map' | 'bad size';
  readonly previous?: { readonly address: number; readonly type: number; readonly size: number };
}

const WINDOW = 256 * 1024;
/** Bytes of an object's start that size rules may read. */
const HEADER = 64;

/** Role: the walkable heap of one target: pages, allocation areas, maps and size rules. */
export class HeapWalker {
  readonly pages: HeapPages;
  readonly maps: MapTable;
  readonly sizes: SizeRules;
  private readonly areas: AllocationArea[];
  /** Per page: where the walk of that page must stop (the young generation's frontier). */
  private readonly stopAt: Float64Array;

  constructor(private readonly space: AddressSpace, readonly heap: V8Heap, onProgress?: (what: string) => void) {
    const pl = pageLayout(heap.layout);
    if (typeof pl === 'string') {
      throw new TargetError(`the V8 ${heap.layout.v8Version ?? ''} heap page layout is not known (heap fact ${pl} is missing); see nodescope layout`);
    }
    onProgress?.('finding heap pages');
    this.pages = discoverPages(space, pl);
    if (this.pages.pages.length === 0) throw new TargetError('no V8 heap pages found in this target (is the heap in the core? a core written with coredump_filter 0x33 or more keeps it)');
    onProgress?.('finding allocation areas');
    this.areas = findAllocationAreas(space, this.pages);
    this.maps = new MapTable(heap);
    this.sizes = new SizeRules(heap.layout);
    this.stopAt = new Float64Array(this.pages.pages.length).fill(-1);
    this.youngOrderUnknown = this.planYoungGeneration();
  }

  private readonly youngOrderUnknown: boolean;

  /**
   * Decides which to-space pages are in use: V8 allocates the semi-space in list order, so pages
   * after the one holding the allocation frontier (the highest LAB top) are stale. Returns true
   * when the order is unknown (all to-space pages are then walked).
   */
  private planYoungGeneration(): boolean {
    const ps = this.pages.pages;
    const byRecord = new Map<number, number>();
    ps.forEach((p, i) => byRecord.set(p.record, i));
    const owners = new Map<number, number[]>();
    ps.forEach((p, i) => {
      if (p.kind !== 'to-space') return;
      const g = owners.get(p.owner) ?? [];
      g.push(i);
      owners.set(p.owner, g);
    });
    let unknown = false;
    for (const group of owners.values()) {
      const frontier = this.frontierOf(group);
      if (frontier === undefined) continue;
      this.stopAt[frontier.page] = frontier.top;
      if (group.length === 1) continue;
      const order = listOrder(group, ps, byRecord);
      if (order === undefined) {
        unknown = true;
        continue;
      }
      const at = order.indexOf(frontier.page);
      for (const i of order.slice(at + 1)) this.stopAt[i] = ps[i]!.areaStart;
    }
    return unknown;
  }

  private frontierOf(group: readonly number[]): { page: number; top: number } | undefined {
    let best: { page: number; top: number } | undefined;
    for (const a of this.areas) {
      if (!group.includes(a.page)) continue;
      if (best === undefined || a.top > best.top) best = { page: a.page, top: a.top };
    }
    return best;
  }

  /** Walks every page; `visit` gets each object, `onPage` the pages done (for progress). */
  walk(visit: ObjectVisitor, onPage?: (done: number, total: number) => void, onGap?: (gap: WalkGap) => void): WalkCoverage {
    const cursor = new PageCursor(this.space);
    const cov = { scannedBytes: 0, freeBytes: 0, skippedBytes: 0, corrupt: 0, resynchronised: 0 };
    const landed = new Set<number>();
    const ps = this.pages.pages;
    // Allocation areas by page, sorted by top, with the largest limit for a top found twice.
    const byPage = new Map<number, { top: number; limit: number }[]>();
    for (const a of this.areas) {
      const list = byPage.get(a.page) ?? [];
      const same = list.find((x) => x.top === a.top);
      if (same !== undefined) same.limit = Math.max(same.limit, a.limit);
      else list.push({ top: a.top, limit: a.limit });
      byPage.set(a.page, list);
    }
    for (const list of byPage.values()) list.sort((x, y) => x.top - y.top);
    for (let pi = 0; pi < ps.length; pi++) {
      const p = ps[pi]!;
      if (p.kind === 'from-space') cov.freeBytes += p.areaEnd - p.areaStart;
      else this.walkPage(p, pi, cursor, byPage.get(pi) ?? [], landed, visit, cov, onGap);
      onPage?.(pi + 1, ps.length);
    }
    return { pages: ps.length, ...cov, unreadableBytes: this.pages.unreadableBytes, allocationAreas: landed.size, youngOrderUnknown: this.youngOrderUnknown };
  }

  private walkPage(
    p: HeapPage,
    pi: number,
    cur: PageCursor,
    labs: readonly { top: number; limit: number }[],
    landed: Set<number>,
    visit: ObjectVisitor,
    cov: { scannedBytes: number; freeBytes: number; skippedBytes: number; corrupt: number; resynchronised: number },
    onGap: ((gap: WalkGap) => void) | undefined,
  ): void {
    const stop = this.stopAt[pi]! >= 0 ? this.stopAt[pi]! : p.areaEnd;
    const end = p.areaEnd;
    const maps = this.maps;
    const sizes = this.sizes;
    const fillers = sizes.fillerTypes;
    const readInt32 = (address: number): number | undefined => this.heap.int(address, 4);
    cur.start(end);
    let lab = 0;
    let nextTop = labs.length > 0 ? labs[0]!.top : Infinity;
    let lastMap = -1;
    let lastMapId = -1;
    let prev: { address: number; type: number; size: number } | undefined;
    let a = p.areaStart;
    while (a < end) {
      if (a >= stop) {
        if (a === stop && stop > p.areaStart) landed.add(a);
        cov.freeBytes += end - a;
        return;
      }
      while (a > nextTop) nextTop = ++lab < labs.length ? labs[lab]!.top : Infinity;
      if (a === nextTop) {
        const limit = labs[lab]!.limit;
        nextTop = ++lab < labs.length ? labs[lab]!.top : Infinity;
        if (limit > a) {
          landed.add(a);
          cov.freeBytes += limit - a;
          a = limit;
          continue;
        }
      }
      if (!cur.has(a, HEADER) && !cur.load(a, HEADER)) {
        // Not in the core (omitted or truncated): the rest of the page is unknown.
        cov.skippedBytes += end - a;
        return;
      }
      const off = a - cur.winStart;
      const lo = cur.u32[off >>> 2]!;
      const hi = cur.u32[(off >>> 2) + 1]!;
      let mapId = -1;
      if ((lo & 3) === 1 && hi < 0x8000) {
        const mapAddress = hi * 0x1_0000_0000 + (lo - 1);
        if (mapAddress === lastMap) mapId = lastMapId;
        else {
          mapId = maps.idOf(mapAddress);
          lastMap = mapAddress;
          lastMapId = mapId;
        }
      }
      if (mapId < 0) {
        cov.corrupt++;
        const next = this.resync(a + 8, end, stop, labs, cur);
        onGap?.({ address: a, resumedAt: next, why: 'not a map', ...(prev ? { previous: prev } : {}) });
        cov.skippedBytes += next - a;
        a = next;
        continue;
      }
      const type = maps.type(mapId);
      let size = sizes.size(cur.buf, off, type, maps.instanceSize(mapId), readInt32, a);
      if (size === 0) {
        const next = this.resync(a + sizes.resyncFrom(type), end, stop, labs, cur);
        size = next - a;
        cov.resynchronised++;
      }
      if (size < 8 || size % 8 !== 0 || a + size > end) {
        cov.corrupt++;
        const next = this.resync(a + 8, end, stop, labs, cur);
        onGap?.({ address: a, resumedAt: next, why: 'bad size', previous: { address: a, type, size } });
        cov.skippedBytes += next - a;
        a = next;
        continue;
      }
      if (onGap !== undefined) prev = { address: a, type, size };
      if (fillers.has(type)) cov.freeBytes += size;
      else {
        cov.scannedBytes += size;
        visit(a, mapId, size, pi);
      }
      a += size;
    }
  }

  /** The first address ≥ `from` where an object may start: a valid map word, a LAB top, or the end. */
  private resync(from: number, end: number, stop: number, labs: readonly { top: number }[], cur: PageCursor): number {
    for (let x = from; x < end; x += 8) {
      if (x >= stop || labs.some((l) => l.top === x)) return x;
      if (!cur.has(x, 8) && !cur.load(x, 8)) return end;
      const w = (x - cur.winStart) >>> 2;
      const lo = cur.u32[w]!;
      if ((lo & 3) !== 1) continue;
      const hi = cur.u32[w + 1]!;
      if (hi >= 0x8000) continue;
      if (this.maps.idOf(hi * 0x1_0000_0000 + (lo - 1)) >= 0) return x;
    }
    return end;
  }
}

/** Role: a 256 KiB window over the page being walked, refilled as the walk moves on. */
class PageCursor {
  readonly buf: Buffer;
  readonly u32: Uint32Array;
  winStart = 0;
  winLen = 0;
  private end = 0;

  constructor(private readonly space: AddressSpace) {
    const ab = new ArrayBuffer(WINDOW + HEADER);
    this.buf = Buffer.from(ab);
    this.u32 = new Uint32Array(ab);
  }

  /** Starts a page whose object area ends at `end`. */
  start(end: number): void {
    this.end = end;
    this.winStart = 0;
    this.winLen = 0;
  }

  /** Whether [a, a + need) (cut at the page end) is in the window. */
  has(a: number, need: number): boolean {
    return a >= this.winStart && Math.min(a + need, this.end) <= this.winStart + this.winLen;
  }

  /** Moves the window to start at `a`; false when not even `need` bytes there are readable. */
  load(a: number, need: number): boolean {
    const len = Math.min(WINDOW + HEADER, this.end - a);
    this.winStart = a;
    this.winLen = readPrefix(this.space, a, this.buf, len);
    return this.winLen >= Math.min(need, this.end - a);
  }
}

/** Pages of one semi-space in list order, or undefined when the links do not form one chain. */
function listOrder(group: readonly number[], ps: readonly HeapPage[], byRecord: ReadonlyMap<number, number>): number[] | undefined {
  const members = new Set(group);
  const pointedAt = new Set<number>();
  for (const i of group) {
    const n = byRecord.get(ps[i]!.next);
    if (n !== undefined && members.has(n)) pointedAt.add(n);
  }
  const heads = group.filter((i) => !pointedAt.has(i));
  if (heads.length !== 1) return undefined;
  const order: number[] = [];
  for (let i: number | undefined = heads[0]; i !== undefined && members.has(i) && order.length <= group.length; i = byRecord.get(ps[i]!.next)) order.push(i);
  return order.length === group.length ? order : undefined;
}

/** Reads up to `len` bytes at `a` into `buf`, returning how many leading bytes were readable. */
function readPrefix(space: AddressSpace, a: number, buf: Buffer, len: number): number {
  if (space.readInto(a, buf, 0, len)) return len;
  // Find the readable prefix (a truncated core, a page the dump left out) in 4 KiB steps.
  let got = 0;
  for (let step = 4096; got < len; ) {
    const n = Math.min(step, len - got);
    if (!space.readInto(a + got, buf, got, n)) break;
    got += n;
  }
  return got;
}
