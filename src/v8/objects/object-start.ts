// Where an address lies relative to heap objects (mdb_v8's ::v8whatis): the start of an object,
// inside one (found by searching backwards for a word that points to a valid Map, then checking
// the candidate's size covers the address), in mapped memory that holds no object, or unmapped.
import type { V8Heap } from '../heap/v8-heap.js';
import { objectSize } from './object-size.js';

/** Role: the answer of locateObject, as plain data. */
export type ObjectLocation =
  | { readonly kind: 'object'; readonly address: number; readonly object: number; readonly type: number }
  | { readonly kind: 'inside'; readonly address: number; readonly object: number; readonly type: number; readonly offset: number; readonly size: number }
  | { readonly kind: 'maybe-inside'; readonly address: number; readonly object: number; readonly type: number; readonly offset: number }
  | { readonly kind: 'no-object'; readonly address: number; readonly mapping?: string }
  | { readonly kind: 'unmapped'; readonly address: number };

/** How far back the search looks (bytes); larger objects live in large-object pages. */
const MAX_BACK = 1 << 20;
/** Bytes read per backward step. */
const STEP = 4096;

/** Locates `address` (tagged or untagged) relative to the heap objects around it. */
export function locateObject(heap: V8Heap, address: number, maxBack = MAX_BACK): ObjectLocation {
  const untagged = address % 8 === 1 ? address - 1 : address;
  if (!heap.space.isMapped(untagged, 1)) return { kind: 'unmapped', address };
  const here = heap.object(untagged);
  if (here !== undefined) return { kind: 'object', address, object: untagged, type: here.type };
  const aligned = untagged - (untagged % 8);
  // The search stays inside the readable range around the address (objects never span a gap).
  const floor = Math.max(readableStart(heap, untagged), aligned - maxBack);
  let guess: ObjectLocation | undefined;
  for (let hi = aligned; hi > floor; hi -= STEP) {
    const lo = Math.max(floor, hi - STEP);
    const buf = heap.space.tryRead(lo, hi - lo + 8);
    if (buf === undefined) break;
    for (let off = buf.length - 8; off >= 0; off -= 8) {
      const w0 = buf.readUInt32LE(off);
      if ((w0 & 3) !== 1) continue;
      const cand = lo + off;
      const o = heap.object(cand);
      if (o === undefined) continue;
      const size = objectSize(heap, o);
      if (size !== undefined) {
        // A candidate that ends before the address may be a map pointer stored in a field of the
        // real container, so the search goes on until one covers the address.
        if (cand + size > untagged) return { kind: 'inside', address, object: cand, type: o.type, offset: untagged - cand, size };
      } else if (guess === undefined) {
        guess = { kind: 'maybe-inside', address, object: cand, type: o.type, offset: untagged - cand };
      }
    }
  }
  return guess ?? { kind: 'no-object', address, ...mappingName(heap, untagged) };
}

function mappingName(heap: V8Heap, address: number): { mapping?: string } {
  const m = heap.space.mappings().find((x) => x.start <= address && address < x.end);
  return m?.path !== undefined ? { mapping: m.path } : {};
}

/** Start of the run of contiguous readable mappings that holds `address`. */
function readableStart(heap: V8Heap, address: number): number {
  const maps = heap.space.mappings();
  let i = maps.findIndex((m) => m.start <= address && address < m.end);
  if (i < 0) return address - (address % 8);
  let start = maps[i]!.start;
  while (i > 0 && maps[i - 1]!.end === start && maps[i - 1]!.readable) start = maps[--i]!.start;
  return start;
}
