// Entries of JSMap/JSSet (an OrderedHashMap/OrderedHashSet) and of JSWeakMap/JSWeakSet (an
// EphemeronHashTable). Both tables are FixedArray-shaped; their instance types have no metadata
// in most Node builds, so the tables are checked structurally. Bounded by the caller's limit.
import type { Tagged } from '../heap/tagged.js';
import type { HeapObject, V8Heap } from '../heap/v8-heap.js';
import { isEmptyKey } from '../heap/named-properties.js';
import { isTheHole } from './elements.js';

/** Role: the entries of a collection (values absent for sets). */
export interface CollectionWalk {
  readonly size: number;
  readonly entries: readonly { readonly key: Tagged | undefined; readonly value?: Tagged | undefined }[];
  readonly corrupt?: string;
}

/** Largest table believed. */
const MAX_TABLE = 1 << 26;

/**
 * Reads a JSMap/JSSet table: OrderedHashTable slots 0–2 are {number of elements, number of
 * deleted elements, number of buckets}, then the buckets, then entries {key, [value,] chain};
 * deleted entries hold the hole as key (V8 src/objects/ordered-hash-table.h).
 */
export function orderedHashEntries(heap: V8Heap, coll: HeapObject, isMap: boolean, limit: number): CollectionWalk {
  const at = heap.layout.opt.JSCollection_table;
  const table = at === undefined ? undefined : heap.objectField(coll.address, at);
  if (table === undefined) return { size: 0, entries: [], corrupt: 'table unreadable' };
  const data = table.address + heap.layout.req.FixedArray_data;
  const length = heap.fixedArrayLength(table.address);
  const nof = heap.smiField(data, 0);
  const deleted = heap.smiField(data + 8, 0);
  const buckets = heap.smiField(data + 16, 0);
  const entrySize = isMap ? 3 : 2;
  if (length === undefined || nof === undefined || deleted === undefined || buckets === undefined || nof < 0 || deleted < 0 || buckets < 0) {
    return { size: 0, entries: [], corrupt: 'bad OrderedHashTable header' };
  }
  const used = nof + deleted;
  if (used > MAX_TABLE || 3 + buckets + used * entrySize > length) return { size: nof, entries: [], corrupt: 'OrderedHashTable counts exceed its length' };
  const first = data + (3 + buckets) * 8;
  const entries: { key: Tagged | undefined; value?: Tagged | undefined }[] = [];
  for (let i = 0; i < used && entries.length < limit; i++) {
    const key = heap.word(first + i * entrySize * 8);
    if (isTheHole(heap, key)) continue;
    entries.push(isMap ? { key, value: heap.word(first + i * entrySize * 8 + 8) } : { key });
  }
  return { size: nof, entries };
}

/**
 * Reads a JSWeakMap/JSWeakSet table: an EphemeronHashTable, a HashTable with header {nof,
 * deleted, capacity}, no prefix, entries {key, value}; empty keys are undefined, deleted ones the
 * hole (V8 src/objects/hash-table.h; a WeakSet stores `true` as each value).
 */
export function ephemeronEntries(heap: V8Heap, coll: HeapObject, limit: number): CollectionWalk {
  const at = heap.layout.opt.JSWeakCollection_table;
  const table = at === undefined ? undefined : heap.objectField(coll.address, at);
  if (table === undefined) return { size: 0, entries: [], corrupt: 'table unreadable' };
  const data = table.address + heap.layout.req.FixedArray_data;
  const length = heap.fixedArrayLength(table.address);
  const nof = heap.smiField(data, 0);
  const capacity = heap.smiField(data + 16, 0);
  if (length === undefined || nof === undefined || capacity === undefined || capacity < 0 || capacity > MAX_TABLE || 3 + capacity * 2 > length) {
    return { size: 0, entries: [], corrupt: 'bad EphemeronHashTable header' };
  }
  const entries: { key: Tagged | undefined; value?: Tagged | undefined }[] = [];
  for (let i = 0; i < capacity && entries.length < limit; i++) {
    const key = heap.word(data + (3 + i * 2) * 8);
    if (key === undefined || isEmptyKey(heap, key)) continue;
    entries.push({ key, value: heap.word(data + (3 + i * 2) * 8 + 8) });
  }
  return { size: nof, entries };
}
