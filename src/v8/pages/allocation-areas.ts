// Finds V8's linear allocation areas (LABs): the bump-pointer regions [top, limit) of each
// allocator, which a core leaves unfilled (V8 fills them only when it makes the heap iterable).
// A LAB is a V8 LinearAllocationArea {start, top, limit} (V8 src/heap/linear-allocation-area.h,
// three untagged words, start ≤ top ≤ limit) somewhere in native memory; we scan writable memory
// outside the heap pages for such triples that point into one page. Candidates are only trusted
// where the page walk lands exactly on their `top`.
import type { AddressSpace } from '../../target/address-space.js';
import type { HeapPages } from './heap-pages.js';

/** Role: one candidate linear allocation area. */
export interface AllocationArea {
  readonly start: number;
  readonly top: number;
  readonly limit: number;
  /** Index of the page holding it. */
  readonly page: number;
  /** Where the triple was found. */
  readonly at: number;
}

const CHUNK = 4 << 20;

/** Scans native writable memory for LinearAllocationArea triples; `onProgress` gets bytes scanned. */
export function findAllocationAreas(space: AddressSpace, pages: HeapPages, onProgress?: (bytes: number) => void): AllocationArea[] {
  // User-space addresses are below 2^47, so the upper half of a page address is below 2^15.
  const highs = new Uint8Array(1 << 15);
  for (const p of pages.pages) {
    for (let a = p.base; a < p.base + p.size; a += 0x1_0000_0000) highs[Math.floor(a / 0x1_0000_0000)] = 1;
    highs[Math.floor((p.base + p.size - 1) / 0x1_0000_0000)] = 1;
  }
  const out: AllocationArea[] = [];
  const buf = Buffer.allocUnsafe(CHUNK);
  const u32 = new Uint32Array(buf.buffer, buf.byteOffset, CHUNK / 4);
  let scanned = 0;
  for (const range of nativeRanges(space, pages)) {
    for (let at = range.start; at < range.end; at += CHUNK - 48) {
      const len = Math.min(CHUNK, range.end - at);
      if (!space.readInto(at, buf, 0, len)) continue;
      scanAreas(u32, len, at, highs, pages, out);
      scanned += len;
      onProgress?.(scanned);
      if (at + len >= range.end) break;
    }
  }
  return dedupe(out);
}

function scanAreas(u32: Uint32Array, len: number, base: number, highs: Uint8Array, pages: HeapPages, out: AllocationArea[]): void {
  const words = len >>> 3;
  const value = (i: number): number => u32[2 * i + 1]! * 0x1_0000_0000 + u32[2 * i]!;
  for (let i = 0; i + 2 < words; i++) {
    const lo = u32[2 * i]!;
    if ((lo & 7) !== 0 || lo === 0) continue;
    const hi = u32[2 * i + 1]!;
    if (hi >= 1 << 15 || highs[hi] === 0) continue;
    const start = hi * 0x1_0000_0000 + lo;
    const pi = pages.indexOf(start);
    if (pi < 0) continue;
    const p = pages.pages[pi]!;
    if (start < p.areaStart || start > p.areaEnd) continue;
    const top = value(i + 1);
    const limit = value(i + 2);
    if (top < start || limit < top || top % 8 !== 0 || limit % 8 !== 0 || limit > p.areaEnd) continue;
    // A sorted run of object addresses (a code registry, a worklist) is not a LAB: the words
    // around the triple must not continue a strictly increasing run inside the same page. (The
    // allocator state after a LAB may repeat its limit, V8 14's MainAllocator does.)
    if (i > 0) {
      const before = value(i - 1);
      if (before % 8 === 0 && before >= p.areaStart && before < start) continue;
    }
    if (i + 3 < words) {
      const after = value(i + 3);
      if (after % 8 === 0 && after > limit && after <= p.areaEnd) continue;
    }
    out.push({ start, top, limit, page: pi, at: base + i * 8 });
  }
}

/** Writable memory that is not a heap page: where V8 keeps its allocators' state. */
function nativeRanges(space: AddressSpace, pages: HeapPages): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const ps = pages.pages;
  let pi = 0;
  for (const m of space.mappings()) {
    if (!m.readable || !m.writable) continue;
    let cur = m.start;
    while (pi < ps.length && ps[pi]!.base + ps[pi]!.size <= cur) pi++;
    for (let j = pi; j < ps.length && ps[j]!.base < m.end; j++) {
      const p = ps[j]!;
      if (p.base > cur) out.push({ start: cur, end: p.base });
      cur = Math.max(cur, p.base + p.size);
    }
    if (cur < m.end) out.push({ start: cur, end: m.end });
  }
  return out;
}

function dedupe(areas: AllocationArea[]): AllocationArea[] {
  const seen = new Set<string>();
  return areas.filter((a) => {
    const k = `${a.top}:${a.limit}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
