// Own named properties of any JSReceiver, in the order V8 enumerates them: fast mode from the
// Map's DescriptorArray (in-object or PropertyArray fields, constants kept in descriptors,
// AccessorPairs), dictionary mode from a NameDictionary sorted by enumeration index, and the
// global object's GlobalDictionary of PropertyCells. Keys are strings or symbols; bounded loops.
import { isHoleObject } from './hole.js';
import { readString } from './strings.js';
import { decodeTagged, type Tagged } from './tagged.js';
import type { HeapObject, V8Heap } from './v8-heap.js';

/** Role: a decoded property key. */
export type NamedKey =
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'symbol'; readonly address: number; readonly description?: string; readonly isPrivate: boolean }
  | { readonly kind: 'corrupt'; readonly why: string };

/** Role: one own property with its raw value (or AccessorPair halves). */
export interface NamedProperty {
  readonly key: NamedKey;
  /** Data value; undefined when unreadable (the walker could not place the field). */
  readonly value?: Tagged;
  /** Present for accessor properties. */
  readonly accessor?: { readonly getter?: Tagged; readonly setter?: Tagged };
  readonly enumerable: boolean;
}

/** Role: the result of a property walk. */
export interface NamedPropertyWalk {
  readonly mode: 'fast' | 'dictionary' | 'global' | 'unknown';
  readonly entries: readonly NamedProperty[];
  /** Own properties in total (may exceed entries when cut by the limit). */
  readonly total: number;
  /** Why the walk could not read everything, when it could not. */
  readonly corrupt?: string;
}

/** V8 kMaxNumberOfDescriptors. */
const MAX_DESCRIPTORS = 1020;
/** Largest dictionary capacity believed. */
const MAX_CAPACITY = 1 << 24;
/** Longest key text read. */
const MAX_KEY = 1024;
/** V8 src/objects/property-details.h: DONT_ENUM in PropertyAttributes. */
const DONT_ENUM_DEFAULT = 2;

/** Walks up to `limit` own named properties of the JSReceiver `obj`. */
export function ownNamedProperties(heap: V8Heap, obj: HeapObject, limit: number): NamedPropertyWalk {
  const o = heap.layout.opt;
  if (o.Map_bit_field3 === undefined || o.JSReceiver_raw_properties_or_hash === undefined) {
    return { mode: 'unknown', entries: [], total: 0, corrupt: 'layout lacks Map::bit_field3 or JSReceiver::properties' };
  }
  const bf3 = heap.uint(obj.map + o.Map_bit_field3, 4);
  if (bf3 === undefined) return { mode: 'unknown', entries: [], total: 0, corrupt: 'map unreadable' };
  const dict = o.bit_field3_is_dictionary_map_shift !== undefined && ((bf3 >>> o.bit_field3_is_dictionary_map_shift) & 1) === 1;
  if (!dict) return fastProperties(heap, obj, bf3, limit);
  const props = heap.objectField(obj.address, o.JSReceiver_raw_properties_or_hash);
  const typeName = props === undefined ? undefined : heap.layout.types.name(props.type);
  if (props === undefined) return { mode: 'dictionary', entries: [], total: 0, corrupt: 'properties dictionary unreadable' };
  // GLOBAL_DICTIONARY_TYPE has no metadata in Node 20-26: a global object's store is one anyway.
  if (typeName === 'GLOBAL_DICTIONARY_TYPE' || heap.layout.types.name(obj.type) === 'JS_GLOBAL_OBJECT_TYPE') return globalDictionary(heap, props, limit);
  // SwissNameDictionary is used only by V8 builds with V8_ENABLE_SWISS_NAME_DICTIONARY; the official
  // Node 18-26 builds use NameDictionary (checked by test/v8/function-tiers.test.ts on each).
  if (typeName === 'SWISS_NAME_DICTIONARY_TYPE') return { mode: 'dictionary', entries: [], total: 0, corrupt: 'SwissNameDictionary is not supported' };
  // NAME_DICTIONARY_TYPE has no metadata in Node's builds: any other store is checked structurally.
  if (typeName !== undefined && typeName !== 'NAME_DICTIONARY_TYPE' && typeName !== 'FIXED_ARRAY_TYPE') {
    return { mode: 'dictionary', entries: [], total: 0, corrupt: `unexpected properties store ${typeName}` };
  }
  return nameDictionary(heap, props, limit);
}

/** Decodes a key (a String or a Symbol). */
export function decodeKey(heap: V8Heap, t: Tagged | undefined): NamedKey {
  const k = heap.objectOf(t);
  if (k === undefined) return { kind: 'corrupt', why: 'key is not a heap object' };
  if (heap.isString(k.type)) {
    const s = readString(heap, k, { maxLength: MAX_KEY });
    return s === undefined ? { kind: 'corrupt', why: 'unreadable key string' } : { kind: 'string', text: s.text };
  }
  if (k.type === heap.types.SYMBOL) return decodeSymbol(heap, k);
  return { kind: 'corrupt', why: `key is a ${heap.typeName(k.type)}` };
}

/** Decodes a Symbol: description and the private flag (V8 src/objects/name.tq SymbolFlags bit 0). */
export function decodeSymbol(heap: V8Heap, k: HeapObject): NamedKey & { kind: 'symbol' } {
  const L = heap.layout.opt;
  const flags = L.Symbol_flags !== undefined ? heap.uint(k.address + L.Symbol_flags, 4) : undefined;
  const d = L.Symbol_name !== undefined ? heap.objectField(k.address, L.Symbol_name) : undefined;
  const description = d !== undefined && heap.isString(d.type) ? readString(heap, d, { maxLength: MAX_KEY })?.text : undefined;
  return { kind: 'symbol', address: k.address, ...(description !== undefined ? { description } : {}), isPrivate: ((flags ?? 0) & 1) === 1 };
}

/** Display text of a key: `name`, `[Symbol(desc)]`, or `<corrupt key>`. */
export function keyText(heap: V8Heap, key: NamedKey): string {
  void heap;
  if (key.kind === 'string') return key.text;
  if (key.kind === 'symbol') return `[Symbol(${key.description ?? ''})]`;
  return `<corrupt key: ${key.why}>`;
}

function attributesOf(heap: V8Heap, details: number): { enumerable: boolean; accessor: boolean } {
  const o = heap.layout.opt;
  const attrs = o.prop_attributes_mask !== undefined && o.prop_attributes_shift !== undefined ? (details & o.prop_attributes_mask) >>> o.prop_attributes_shift : 0;
  const dontEnum = o.prop_attributes_DONT_ENUM ?? DONT_ENUM_DEFAULT;
  const kindMask = o.prop_kind_mask ?? 1;
  return { enumerable: (attrs & dontEnum) === 0, accessor: (details & kindMask) === (o.prop_kind_Accessor ?? 1) };
}

function accessorOf(heap: V8Heap, pair: Tagged | undefined): { getter?: Tagged; setter?: Tagged } {
  const p = heap.objectOf(pair);
  if (p === undefined) return {};
  const L = heap.layout.opt;
  const getter = heap.word(p.address + (L.AccessorPair_getter ?? 8));
  const setter = heap.word(p.address + (L.AccessorPair_setter ?? 16));
  return { ...(getter !== undefined ? { getter } : {}), ...(setter !== undefined ? { setter } : {}) };
}

function fastProperties(heap: V8Heap, obj: HeapObject, bf3: number, limit: number): NamedPropertyWalk {
  const o = heap.layout.opt;
  if (o.bit_field3_number_of_own_descriptors_mask === undefined || o.bit_field3_number_of_own_descriptors_shift === undefined) {
    return { mode: 'fast', entries: [], total: 0, corrupt: 'layout lacks the descriptor count' };
  }
  const total = (bf3 & o.bit_field3_number_of_own_descriptors_mask) >>> o.bit_field3_number_of_own_descriptors_shift;
  if (total > MAX_DESCRIPTORS) return { mode: 'fast', entries: [], total: 0, corrupt: `${total} descriptors` };
  if (total === 0) return { mode: 'fast', entries: [], total: 0 };
  const desc = o.Map_instance_descriptors !== undefined ? heap.objectField(obj.map, o.Map_instance_descriptors) : undefined;
  const header = o.DescriptorArray_header_size;
  if (desc === undefined || header === undefined) return { mode: 'fast', entries: [], total, corrupt: 'descriptor array unreadable' };
  const { prop_desc_size: size, prop_desc_key: keyIndex, prop_desc_details: detailsIndex, prop_desc_value: valueIndex } = o;
  if (size === undefined || keyIndex === undefined || detailsIndex === undefined || valueIndex === undefined) return { mode: 'fast', entries: [], total, corrupt: 'the DescriptorArray layout facts are missing (see nodescope layout)' };
  const ts = heap.layout.req.TaggedSize;
  const fields = fieldReader(heap, obj);
  const entries: NamedProperty[] = [];
  for (let i = 0; i < total && entries.length < limit; i++) {
    const base = desc.address + header + i * size * ts;
    const key = decodeKey(heap, heap.word(base + keyIndex * ts));
    const details = heap.word(base + detailsIndex * ts);
    if (details?.kind !== 'smi') {
      entries.push({ key, enumerable: true });
      continue;
    }
    const d = details.value;
    const { enumerable, accessor } = attributesOf(heap, d);
    const slot = heap.word(base + valueIndex * ts);
    if (accessor) {
      entries.push({ key, accessor: accessorOf(heap, slot), enumerable });
      continue;
    }
    const location = o.prop_location_mask !== undefined && o.prop_location_shift !== undefined ? (d & o.prop_location_mask) >>> o.prop_location_shift : o.prop_location_Field;
    if (location === (o.prop_location_Descriptor ?? 1)) {
      entries.push({ key, ...(slot !== undefined ? { value: slot } : {}), enumerable });
      continue;
    }
    const index = o.prop_index_mask !== undefined && o.prop_index_shift !== undefined ? (d & o.prop_index_mask) >>> o.prop_index_shift : -1;
    const value = index < 0 ? undefined : fields(index);
    entries.push({ key, ...(value !== undefined ? { value } : {}), enumerable });
  }
  return { mode: 'fast', entries, total };
}

/**
 * Field `index` of a fast object: in-object fields start at Map::inobject_properties_start (in
 * words) up to the instance size; the rest are in the PropertyArray, whose length is bits 0–9 of
 * length_and_hash (V8 src/objects/field-index-inl.h, src/objects/property-array.h).
 */
function fieldReader(heap: V8Heap, obj: HeapObject): (index: number) => Tagged | undefined {
  const o = heap.layout.opt;
  const sizeWords = o.Map_instance_size_in_words !== undefined ? heap.uint(obj.map + o.Map_instance_size_in_words, 1) : undefined;
  const startWords = o.Map_inobject_properties_start !== undefined ? heap.uint(obj.map + o.Map_inobject_properties_start, 1) : undefined;
  const inobject = sizeWords !== undefined && startWords !== undefined && sizeWords >= startWords ? sizeWords - startWords : 0;
  let store: { address: number; length: number } | null | undefined;
  return (index) => {
    if (index < inobject && startWords !== undefined) return heap.word(obj.address + (startWords + index) * heap.layout.req.TaggedSize);
    if (store === undefined) store = propertyArray(heap, obj);
    const i = index - inobject;
    if (store === null || i < 0 || i >= store.length) return undefined;
    return heap.word(store.address + heap.layout.req.FixedArray_data + i * heap.layout.req.TaggedSize);
  };
}

function propertyArray(heap: V8Heap, obj: HeapObject): { address: number; length: number } | null {
  const at = heap.layout.opt.JSReceiver_raw_properties_or_hash;
  const p = at === undefined ? undefined : heap.objectField(obj.address, at);
  if (p === undefined) return null;
  if (p.type === heap.types.PROPERTY_ARRAY) {
    const lh = heap.smiField(p.address, heap.layout.opt.PropertyArray_length_and_hash ?? 8);
    return lh === undefined ? null : { address: p.address, length: lh & 0x3ff };
  }
  const n = heap.fixedArrayLength(p.address);
  return n === undefined ? null : { address: p.address, length: n };
}

/** Index of slot `i` of a HashTable-shaped FixedArray. */
function slotAddress(heap: V8Heap, table: HeapObject, i: number): number {
  return table.address + heap.layout.req.FixedArray_data + i * heap.layout.req.TaggedSize;
}

/** Whether a dictionary key slot is empty (undefined) or deleted (the hole). */
export function isEmptyKey(heap: V8Heap, t: Tagged | undefined): boolean {
  const k = heap.objectOf(t);
  if (k === undefined) return false;
  return heap.oddballKind(k) === heap.layout.req.OddballUndefined || isHoleObject(heap, k);
}

/** The NameDictionary layout from the layout's facts (hash-table.h, dictionary.h), or undefined when one is missing. */
function dictionaryShape(heap: V8Heap): { capacityIndex: number; prefixStart: number; start: number; entrySize: number; valueIndex: number; detailsIndex: number; storageShift: number; ts: number } | undefined {
  const o = heap.layout.opt;
  const { HashTable_capacity_index: capacityIndex, HashTable_prefix_start_index: prefixStart, namedictionaryshape_prefix_size: prefix, namedictionaryshape_entry_size: entrySize } = o;
  const { NameDictionary_entry_value_index: valueIndex, NameDictionary_entry_details_index: detailsIndex, PropertyDetails_storage_shift: storageShift } = o;
  if (capacityIndex === undefined || prefixStart === undefined || prefix === undefined || entrySize === undefined || valueIndex === undefined || detailsIndex === undefined || storageShift === undefined) return undefined;
  return { capacityIndex, prefixStart, start: prefixStart + prefix, entrySize, valueIndex, detailsIndex, storageShift, ts: heap.layout.req.TaggedSize };
}

/**
 * Walks a NameDictionary: HashTable header {nof, deleted, capacity} at slots 0–2, then the shape's
 * prefix, then entries {key, value, details} (V8 src/objects/dictionary.h, hash-table.h); sorted by
 * the enumeration index in bits 8… of the details (DictionaryStorageField, property-details.h).
 */
function nameDictionary(heap: V8Heap, dict: HeapObject, limit: number): NamedPropertyWalk {
  const shape = dictionaryShape(heap);
  if (shape === undefined) return { mode: 'dictionary', entries: [], total: 0, corrupt: 'the NameDictionary layout facts are missing (see nodescope layout)' };
  const capacity = heap.smiField(slotAddress(heap, dict, shape.capacityIndex), 0);
  const length = heap.fixedArrayLength(dict.address);
  const { entrySize, start, storageShift, ts } = shape;
  if (capacity === undefined || length === undefined || capacity < 0 || capacity > MAX_CAPACITY || start + capacity * entrySize > length) {
    return { mode: 'dictionary', entries: [], total: 0, corrupt: 'bad NameDictionary capacity' };
  }
  const found: { order: number; p: NamedProperty }[] = [];
  for (let i = 0; i < capacity; i++) {
    const at = slotAddress(heap, dict, start + i * entrySize);
    const keyT = heap.word(at);
    if (keyT === undefined) return { mode: 'dictionary', entries: [], total: 0, corrupt: 'NameDictionary unreadable' };
    if (isEmptyKey(heap, keyT)) continue;
    const value = heap.word(at + shape.valueIndex * ts);
    const details = heap.word(at + shape.detailsIndex * ts);
    const d = details?.kind === 'smi' ? details.value : 0;
    const { enumerable, accessor } = attributesOf(heap, d);
    const key = decodeKey(heap, keyT);
    const p: NamedProperty = accessor ? { key, accessor: accessorOf(heap, value), enumerable } : { key, ...(value !== undefined ? { value } : {}), enumerable };
    found.push({ order: d >>> storageShift, p });
  }
  found.sort((a, b) => a.order - b.order);
  return { mode: 'dictionary', entries: found.slice(0, limit).map((f) => f.p), total: found.length };
}

/**
 * Walks a GlobalDictionary, whose entries are single slots holding PropertyCells {name,
 * property_details_raw, value} (V8 src/objects/property-cell.tq). Its shape's prefix size has no
 * metadata and differs by version (V8 src/objects/dictionary.h), so every slot after the HashTable
 * header is scanned: prefix slots hold Smis, never cells.
 */
function globalDictionary(heap: V8Heap, dict: HeapObject, limit: number): NamedPropertyWalk {
  const shape = dictionaryShape(heap);
  const o = heap.layout.opt;
  if (shape === undefined || o.PropertyCell_name === undefined || o.PropertyCell_details === undefined || o.PropertyCell_value === undefined) {
    return { mode: 'global', entries: [], total: 0, corrupt: 'the GlobalDictionary layout facts are missing (see nodescope layout)' };
  }
  const capacity = heap.smiField(slotAddress(heap, dict, shape.capacityIndex), 0);
  const length = heap.fixedArrayLength(dict.address);
  if (capacity === undefined || length === undefined || capacity < 0 || capacity > MAX_CAPACITY || shape.prefixStart + capacity > length) {
    return { mode: 'global', entries: [], total: 0, corrupt: 'bad GlobalDictionary capacity' };
  }
  const found: { order: number; p: NamedProperty }[] = [];
  const storageShift = shape.storageShift;
  for (let i = shape.prefixStart; i < length; i++) {
    const cell = heap.objectOf(heap.word(slotAddress(heap, dict, i)));
    if (cell === undefined || heap.layout.types.name(cell.type) !== 'PROPERTY_CELL_TYPE') continue;
    const key = decodeKey(heap, heap.word(cell.address + o.PropertyCell_name));
    const details = heap.smiField(cell.address, o.PropertyCell_details) ?? 0;
    const value = heap.word(cell.address + o.PropertyCell_value);
    const { enumerable, accessor } = attributesOf(heap, details);
    const p: NamedProperty = accessor ? { key, accessor: accessorOf(heap, value), enumerable } : { key, ...(value !== undefined ? { value } : {}), enumerable };
    found.push({ order: details >>> storageShift, p });
  }
  found.sort((a, b) => a.order - b.order);
  return { mode: 'global', entries: found.slice(0, limit).map((f) => f.p), total: found.length };
}

/** Whether the map at `map` is a dictionary-mode map (Map::bit_field3 is_dictionary_map). */
export function isDictionaryMap(heap: V8Heap, map: number): boolean | undefined {
  const o = heap.layout.opt;
  if (o.Map_bit_field3 === undefined || o.bit_field3_is_dictionary_map_shift === undefined) return undefined;
  const bf3 = heap.uint(map + o.Map_bit_field3, 4);
  return bf3 === undefined ? undefined : ((bf3 >>> o.bit_field3_is_dictionary_map_shift) & 1) === 1;
}

/**
 * The raw key words of a fast-mode map's own descriptors, in order (up to `limit`), without
 * reading any object: keys alone name a census group. Undefined when the map is unreadable.
 */
export function fastMapKeys(heap: V8Heap, map: number, limit: number): Tagged[] | undefined {
  const o = heap.layout.opt;
  if (o.Map_bit_field3 === undefined || o.bit_field3_number_of_own_descriptors_mask === undefined || o.bit_field3_number_of_own_descriptors_shift === undefined) return undefined;
  const bf3 = heap.uint(map + o.Map_bit_field3, 4);
  if (bf3 === undefined) return undefined;
  const total = (bf3 & o.bit_field3_number_of_own_descriptors_mask) >>> o.bit_field3_number_of_own_descriptors_shift;
  if (total > MAX_DESCRIPTORS) return undefined;
  if (total === 0) return [];
  const desc = o.Map_instance_descriptors !== undefined ? heap.objectField(map, o.Map_instance_descriptors) : undefined;
  const header = o.DescriptorArray_header_size;
  if (desc === undefined || header === undefined) return undefined;
  if (o.prop_desc_size === undefined || o.prop_desc_key === undefined) return undefined;
  const size = o.prop_desc_size * heap.layout.req.TaggedSize;
  const n = Math.min(total, limit);
  const b = heap.space.tryRead(desc.address + header, n * size);
  if (b === undefined) return undefined;
  const keyAt = o.prop_desc_key * heap.layout.req.TaggedSize;
  const out: Tagged[] = [];
  for (let i = 0; i < n; i++) out.push(decodeTagged(b.readUInt32LE(i * size + keyAt), b.readUInt32LE(i * size + keyAt + 4)));
  return out;
}

/**
 * The raw key words of a dictionary-mode object's NameDictionary in enumeration order (up to
 * `limit`), read in one piece; undefined when the dictionary is unreadable or not one.
 */
export function dictionaryKeys(heap: V8Heap, obj: HeapObject, limit: number): Tagged[] | undefined {
  const o = heap.layout.opt;
  if (o.JSReceiver_raw_properties_or_hash === undefined) return undefined;
  const dict = heap.objectField(obj.address, o.JSReceiver_raw_properties_or_hash);
  if (dict === undefined) return undefined;
  const length = heap.fixedArrayLength(dict.address);
  const shape = dictionaryShape(heap);
  if (length === undefined || length > MAX_CAPACITY || shape === undefined) return undefined;
  const { entrySize, start, storageShift, ts } = shape;
  const b = heap.space.tryRead(dict.address + heap.layout.req.FixedArray_data, length * ts);
  if (b === undefined || length < shape.prefixStart) return undefined;
  const word = (i: number): Tagged => decodeTagged(b.readUInt32LE(i * ts), b.readUInt32LE(i * ts + 4));
  const cap = word(shape.capacityIndex);
  if (cap.kind !== 'smi' || cap.value < 0 || start + cap.value * entrySize > length) return undefined;
  const found: { order: number; key: Tagged }[] = [];
  for (let i = 0; i < cap.value; i++) {
    const at = start + i * entrySize;
    const key = word(at);
    if (key.kind !== 'heap' || isEmptyKey(heap, key)) continue;
    const details = word(at + shape.detailsIndex);
    found.push({ order: details.kind === 'smi' ? details.value >>> storageShift : 0, key });
  }
  found.sort((a, b2) => a.order - b2.order);
  return found.slice(0, limit).map((f) => f.key);
}
