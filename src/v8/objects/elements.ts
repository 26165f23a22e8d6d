// Indexed elements of a JSObject/JSArray: the backing store decides the encoding: FixedArray of
// tagged values (the hole marks holey slots), FixedDoubleArray of raw doubles (the hole is a NaN
// bit pattern), or a NumberDictionary for dictionary elements (sorted by index). Bounded.
import type { Tagged } from '../heap/tagged.js';
import type { HeapObject, V8Heap } from '../heap/v8-heap.js';
import { HOLE_NAN_WORD, isHoleObject } from '../heap/hole.js';
import { isEmptyKey } from '../heap/named-properties.js';

/** Role: one element: a tagged value, a raw double, or a run of holes. */
export type ElementValue =
  | { readonly index: number; readonly kind: 'tagged'; readonly value: Tagged | undefined }
  | { readonly index: number; readonly kind: 'double'; readonly value: number }
  | { readonly index: number; readonly kind: 'hole'; readonly count: number };

/** Role: the elements of an object, with the store kind and how many were left out. */
export interface ElementsWalk {
  readonly store: 'fixed' | 'double' | 'dictionary' | 'none';
  readonly items: readonly ElementValue[];
  /** Length of the backing store (fixed/double) or number of entries (dictionary). */
  readonly capacity: number;
  /** Elements not visited because of the limit. */
  readonly more: number;
  readonly corrupt?: string;
}

/** Largest dictionary capacity believed. */
const MAX_CAPACITY = 1 << 24;

/** Whether a tagged value is the hole (HOLE_TYPE object, or the TheHole oddball before V8 12). */
export function isTheHole(heap: V8Heap, t: Tagged | undefined): boolean {
  const o = heap.objectOf(t);
  return o !== undefined && isHoleObject(heap, o);
}

/**
 * Reads up to `limit` elements (holes count one item per run) of `obj`, considering the first
 * `length` indices (a JSArray's length; for other objects the store's length).
 */
export function readElements(heap: V8Heap, obj: HeapObject, limit: number, length?: number): ElementsWalk {
  const at = heap.layout.opt.JSObject_elements;
  if (at === undefined) return { store: 'none', items: [], capacity: 0, more: 0, corrupt: 'layout lacks JSObject::elements' };
  const store = heap.objectField(obj.address, at);
  if (store === undefined) return { store: 'none', items: [], capacity: 0, more: 0, corrupt: 'elements unreadable' };
  const kindMask = heap.layout.opt.bit_field2_elements_kind_mask;
  const kindShift = heap.layout.opt.bit_field2_elements_kind_shift;
  const bf2 = heap.layout.opt.Map_bit_field2 !== undefined ? heap.uint(obj.map + heap.layout.opt.Map_bit_field2, 1) : undefined;
  const kind = bf2 !== undefined && kindMask !== undefined && kindShift !== undefined ? (bf2 & kindMask) >>> kindShift : undefined;
  if (kind !== undefined && kind === heap.layout.opt.elements_dictionary_elements) return numberDictionary(heap, store, limit);
  const n = heap.fixedArrayLength(store.address);
  if (n === undefined) return { store: 'none', items: [], capacity: 0, more: 0, corrupt: 'bad elements length' };
  const count = Math.min(n, length ?? n);
  const data = store.address + heap.layout.req.FixedArray_data;
  const items: ElementValue[] = [];
  const isDouble = store.type === heap.types.FIXED_DOUBLE_ARRAY;
  let i = 0;
  for (; i < count && items.length < limit; i++) {
    if (isDouble) {
      const b = heap.space.tryRead(data + i * 8, 8);
      if (b === undefined) return { store: 'double', items, capacity: n, more: count - i, corrupt: 'elements unreadable' };
      if (b.readUInt32LE(0) === HOLE_NAN_WORD && b.readUInt32LE(4) === HOLE_NAN_WORD) pushHole(items, i);
      else items.push({ index: i, kind: 'double', value: b.readDoubleLE(0) });
      continue;
    }
    const t = heap.word(data + i * 8);
    if (isTheHole(heap, t)) pushHole(items, i);
    else items.push({ index: i, kind: 'tagged', value: t });
  }
  // A trailing run of holes keeps growing past the limit without costing items.
  for (; i < count && items.length === limit && items[items.length - 1]!.kind === 'hole'; i++) {
    if (isDouble) {
      const b = heap.space.tryRead(data + i * 8, 8);
      if (b === undefined || b.readUInt32LE(0) !== HOLE_NAN_WORD || b.readUInt32LE(4) !== HOLE_NAN_WORD) break;
    } else if (!isTheHole(heap, heap.word(data + i * 8))) break;
    pushHole(items, i);
  }
  if (length !== undefined && length > n && items.length < limit) {
    // A JSArray longer than its store: the rest are holes.
    pushHole(items, n, length - n);
    i = length;
  }
  return { store: isDouble ? 'double' : 'fixed', items, capacity: n, more: Math.max(0, (length ?? count) - i) };
}

function pushHole(items: ElementValue[], index: number, count = 1): void {
  const last = items[items.length - 1];
  if (last !== undefined && last.kind === 'hole' && last.index + last.count === index) {
    items[items.length - 1] = { index: last.index, kind: 'hole', count: last.count + count };
  } else items.push({ index, kind: 'hole', count });
}

/**
 * Walks a NumberDictionary: HashTable header {nof, deleted, capacity}, the shape's prefix
 * (max number key), then entries {key (Smi or HeapNumber), value, details} (V8 src/objects/dictionary.h).
 */
function numberDictionary(heap: V8Heap, dict: HeapObject, limit: number): ElementsWalk {
  const o = heap.layout.opt;
  const data = dict.address + heap.layout.req.FixedArray_data;
  const capacity = heap.smiField(data + 16, 0);
  const length = heap.fixedArrayLength(dict.address);
  const prefix = o.numberdictionaryshape_prefix_size ?? 1;
  const entrySize = o.numberdictionaryshape_entry_size ?? 3;
  const start = 3 + prefix;
  if (capacity === undefined || length === undefined || capacity < 0 || capacity > MAX_CAPACITY || start + capacity * entrySize > length) {
    return { store: 'dictionary', items: [], capacity: 0, more: 0, corrupt: 'bad NumberDictionary capacity' };
  }
  const found: { index: number; value: Tagged | undefined }[] = [];
  for (let i = 0; i < capacity; i++) {
    const at = data + (start + i * entrySize) * 8;
    const k = heap.word(at);
    if (k === undefined || isEmptyKey(heap, k)) continue;
    let index: number | undefined;
    if (k.kind === 'smi') index = k.value;
    else {
      const ko = heap.objectOf(k);
      if (ko !== undefined && ko.type === heap.types.HEAP_NUMBER) index = heap.double(ko.address + heap.layout.req.HeapNumber_value);
    }
    if (index === undefined || !Number.isInteger(index) || index < 0) continue;
    found.push({ index, value: heap.word(at + 8) });
  }
  found.sort((a, b) => a.index - b.index);
  const items: ElementValue[] = [];
  let next = 0;
  for (const f of found) {
    if (items.length >= limit) break;
    if (f.index > next) pushHole(items, next, f.index - next);
    items.push({ index: f.index, kind: 'tagged', value: f.value });
    next = f.index + 1;
  }
  return { store: 'dictionary', items, capacity: found.length, more: Math.max(0, found.length - items.filter((x) => x.kind !== 'hole').length) };
}
