// The page walk on synthetic pages (V8 12.4's page header): pages are found by their chunk
// record, objects are visited once each with their sizes, fillers and free space are free, the
// unused part of an allocation area is skipped (its stale object is not visited), a corrupt word
// costs only its own stretch, and young pages after the allocation frontier are not walked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SyntheticHeap } from '../heap/testing/synthetic-heap.js';
import { HeapWalker, type WalkGap } from './heap-walk.js';
import { discoverPages, pageLayout } from './heap-pages.js';

/** Node 22's values for what the walk reads, plus V8's version (12.4: in-page headers). */
const PAGE_METADATA = {
  _ZN2v88internal7Version6major_E: 12,
  _ZN2v88internal7Version6minor_E: 4,
  v8dbg_class_Map__instance_size_in_words__char: 8,
  v8dbg_type_ByteArray__BYTE_ARRAY_TYPE: 186,
  v8dbg_type_FeedbackVector__FEEDBACK_VECTOR_TYPE: 258,
  v8dbg_type_FreeSpace__FREE_SPACE_TYPE: 260,
  v8dbg_type_WeakFixedArray__WEAK_FIXED_ARRAY_TYPE: 247,
  v8dbg_type_Symbol__SYMBOL_TYPE: 128,
  v8dbg_FirstContextType: 190,
  v8dbg_LastContextType: 199,
};

const PAGE = 0x40000;
const AREA = 0x200;
const TO_PAGE = 1 << 4;

interface Built {
  readonly h: SyntheticHeap;
  readonly objects: number[];
  readonly stale: number;
}

/** Writes a V8 12.4 chunk header at page `index` of the buffer (flags, self, size, heap, area, owner, next). */
function header(h: SyntheticHeap, index: number, flags: number, areaEnd: number, owner: number, next = 0): number {
  const base = h.base + index * PAGE;
  h.setRaw(base, 0, flags);
  h.setRaw(base, 8, base);
  h.setRaw(base, 16, PAGE);
  h.setRaw(base, 24, 0x7000_0000);
  h.setRaw(base, 32, base + AREA);
  h.setRaw(base, 40, areaEnd);
  h.setRaw(base, 72, owner);
  h.setRaw(base, 0x108, next);
  return base;
}

/** A synthetic heap whose maps are 80-byte objects, as V8's are (Map::kSize). */
function pagedHeap(): SyntheticHeap {
  const h = new SyntheticHeap(PAGE_METADATA, AREA);
  h.data.writeUInt8(10, h.metaMap - h.base + 8);
  return h;
}

/** One old page: objects, a filler, free space, a LAB with a stale object in it, more objects. */
function build(): Built {
  const h = pagedHeap();
  const objects: number[] = [];
  const jsObject = h.sizedMap(h.type('JS_OBJECT_TYPE'), 4);
  const fixed = h.sizedMap(h.type('FIXED_ARRAY_TYPE'), 0);
  const oneFiller = h.sizedMap(259, 1);
  const free = h.sizedMap(260, 0);
  const str = h.sizedMap(h.type('SEQ_ONE_BYTE_STRING_TYPE'), 0);
  objects.push(h.metaMap, jsObject, fixed, oneFiller, free, str);
  objects.push(h.objectWithMap(jsObject, 32));
  const arr = h.objectWithMap(fixed, 16 + 3 * 8);
  h.setSmi(arr, 8, 3);
  objects.push(arr);
  h.objectWithMap(oneFiller, 8);
  const s = h.objectWithMap(str, 24);
  h.setInt32(s, 12, 5);
  objects.push(s);
  const fs = h.objectWithMap(free, 64);
  h.setSmi(fs, 8, 64);
  // A LAB: allocated up to `top`, the rest (with a stale object) unused up to `limit`.
  const top = h.base + h.used;
  const stale = h.objectWithMap(jsObject, 32);
  h.alloc(96);
  const limit = h.base + h.used;
  objects.push(h.objectWithMap(jsObject, 32));
  const end = h.base + h.used;
  header(h, 0, 0, end, 0x7100_0000);
  // The LinearAllocationArea {start, top, limit} in native memory (past the page).
  const lab = h.base + 3 * PAGE + 0x100;
  h.setRaw(lab, 0, top - 64);
  h.setRaw(lab, 8, top);
  h.setRaw(lab, 16, limit);
  return { h, objects, stale };
}

test('pages are found by their chunk record, and nothing else is a page', () => {
  const { h } = build();
  const pl = pageLayout(h.layout);
  assert.notEqual(typeof pl, 'string', `layout facts: ${String(pl)}`);
  const pages = discoverPages(h.heap().space, pl as Exclude<typeof pl, string>);
  assert.equal(pages.pages.length, 1);
  assert.equal(pages.pages[0]!.base, h.base);
  assert.equal(pages.pages[0]!.areaStart, h.base + AREA);
  assert.equal(pages.pages[0]!.kind, 'old');
  assert.equal(pages.indexOf(h.base + 0x1000), 0);
  assert.equal(pages.indexOf(h.base + PAGE), -1);
});

test('the walk visits every object once, skips fillers, free space and the unused LAB', () => {
  const { h, objects, stale } = build();
  const heap = h.heap();
  const w = new HeapWalker(heap.space, heap);
  const seen: number[] = [];
  const cov = w.walk((a) => seen.push(a));
  assert.deepEqual(seen, objects);
  assert.ok(!seen.includes(stale), 'the stale object past the LAB top is not visited');
  assert.equal(cov.corrupt, 0);
  assert.equal(cov.allocationAreas, 1);
  assert.equal(cov.freeBytes, 8 + 64 + 128);
  assert.equal(cov.scannedBytes + cov.freeBytes, h.used - AREA);
});

test('a corrupt word ends its stretch only: the walk resumes at the next map word', () => {
  const { h, objects } = build();
  // Break the map word of the JS object after the maps: it and nothing else is lost.
  const broken = objects[6]!;
  h.setRaw(broken, 0, 0x1234_5678);
  const heap = h.heap();
  const gaps: WalkGap[] = [];
  const seen: number[] = [];
  const cov = new HeapWalker(heap.space, heap).walk((a) => seen.push(a), undefined, (g) => gaps.push(g));
  assert.equal(cov.corrupt, 1);
  assert.equal(gaps.length, 1);
  assert.equal(gaps[0]!.address, broken);
  assert.deepEqual(seen, objects.filter((o) => o !== broken));
});

test('to-space pages after the allocation frontier are stale and not walked', () => {
  const h = pagedHeap();
  const jsObject = h.sizedMap(h.type('JS_OBJECT_TYPE'), 4);
  const live = h.objectWithMap(jsObject, 32);
  const top = h.base + h.used;
  h.alloc(64);
  // Page 0 (maps and one object, then the LAB) → page 1 (a stale object) in list order.
  const owner = 0x7200_0000;
  const p1 = h.base + PAGE;
  header(h, 0, TO_PAGE, h.base + h.used, owner, p1);
  header(h, 1, TO_PAGE, p1 + AREA + 32, owner);
  h.setPointer(p1 + AREA, 0, jsObject);
  const lab = h.base + 3 * PAGE;
  h.setRaw(lab, 0, live);
  h.setRaw(lab, 8, top);
  h.setRaw(lab, 16, top + 64);
  const heap = h.heap();
  const seen: number[] = [];
  const cov = new HeapWalker(heap.space, heap).walk((a) => seen.push(a));
  assert.deepEqual(seen, [h.metaMap, jsObject, live]);
  assert.equal(cov.youngOrderUnknown, false);
  assert.equal(cov.allocationAreas, 1);
});
