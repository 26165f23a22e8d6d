// The property walker of fast-mode JSObjects: the Map's DescriptorArray gives each own property's
// key and PropertyDetails (kind, location, representation, field index); field values live
// in-object (from the Map's in-object start) or in the PropertyArray. Dictionary-mode objects are
// walked through their NameDictionary in hash-table order (TODO(#3): enumeration order, and the
// SwissNameDictionary / GlobalDictionary variants, for `print`).
import { readString } from './strings.js';
import type { Tagged } from './tagged.js';
import type { HeapObject, V8Heap } from './v8-heap.js';

/** Role: one own property of an object, with its raw value. */
export interface PropertyEntry {
  /** Key: a string name, or undefined when the key is a Symbol or unreadable. */
  readonly key: HeapObject | undefined;
  /** The value (undefined when unreadable); accessors have `accessor: true` and the AccessorPair. */
  readonly value: Tagged | undefined;
  readonly accessor: boolean;
  /** False for DONT_ENUM properties (util.inspect hides them). */
  readonly enumerable: boolean;
}

/** Result of a property walk. */
export interface PropertyWalk {
  readonly entries: readonly PropertyEntry[];
  /** Whether the object is in dictionary mode. */
  readonly dictionary: boolean;
  /** Own properties in total (may exceed entries when cut by `limit`). */
  readonly total: number;
}

/** Most descriptors believed (V8 kMaxNumberOfDescriptors is 1020). */
const MAX_DESCRIPTORS = 1020;

/** Walks up to `limit` own properties of the fast-mode object `obj`, in descriptor order. */
export function ownProperties(heap: V8Heap, obj: HeapObject, limit: number): PropertyWalk | undefined {
  const o = heap.layout.opt;
  const bf3At = o.Map_bit_field3;
  const descAt = o.Map_instance_descriptors;
  const headerSize = o.DescriptorArray_header_size;
  if (bf3At === undefined || descAt === undefined || headerSize === undefined) return undefined;
  if (o.bit_field3_number_of_own_descriptors_mask === undefined || o.bit_field3_number_of_own_descriptors_shift === undefined) return undefined;
  const bf3 = heap.uint(obj.map + bf3At, 4);
  if (bf3 === undefined) return undefined;
  if (o.bit_field3_is_dictionary_map_shift !== undefined && ((bf3 >>> o.bit_field3_is_dictionary_map_shift) & 1) === 1) {
    return dictionaryProperties(heap, obj, limit);
  }
  const total = (bf3 & o.bit_field3_number_of_own_descriptors_mask) >>> o.bit_field3_number_of_own_descriptors_shift;
  if (total > MAX_DESCRIPTORS) return undefined;
  if (total === 0) return { entries: [], dictionary: false, total: 0 };
  const desc = heap.objectField(obj.map, descAt);
  if (desc === undefined) return undefined;
  const size = o.prop_desc_size ?? 3;
  const keyIdx = o.prop_desc_key ?? 0;
  const detailsIdx = o.prop_desc_details ?? 1;
  const valueIdx = o.prop_desc_value ?? 2;
  const entries: PropertyEntry[] = [];
  const fields = fieldReader(heap, obj);
  for (let i = 0; i < total && i < limit; i++) {
    const base = desc.address + headerSize + i * size * 8;
    const keyT = heap.word(base + keyIdx * 8);
    const key = heap.objectOf(keyT);
    const details = heap.word(base + detailsIdx * 8);
    if (details?.kind !== 'smi') {
      entries.push({ key, value: undefined, accessor: false, enumerable: true });
      continue;
    }
    const d = details.value;
    const enumerable = isEnumerable(heap, d);
    const kind = o.prop_kind_mask !== undefined ? d & o.prop_kind_mask : 0;
    const location =
      o.prop_location_mask !== undefined && o.prop_location_shift !== undefined
        ? (d & o.prop_location_mask) >>> o.prop_location_shift
        : (o.prop_location_Field ?? 0);
    if (kind === (o.prop_kind_Accessor ?? 1)) {
      entries.push({ key, value: heap.word(base + valueIdx * 8), accessor: true, enumerable });
      continue;
    }
    if (location === (o.prop_location_Descriptor ?? 1)) {
      entries.push({ key, value: heap.word(base + valueIdx * 8), accessor: false, enumerable });
      continue;
    }
    const index =
      o.prop_index_mask !== undefined && o.prop_index_shift !== undefined ? (d & o.prop_index_mask) >>> o.prop_index_shift : -1;
    entries.push({ key, value: index < 0 ? undefined : fields(index), accessor: false, enumerable });
  }
  return { entries, dictionary: false, total };
}

/** Whether PropertyDetails `d` lack the DONT_ENUM attribute. */
function isEnumerable(heap: V8Heap, d: number): boolean {
  const o = heap.layout.opt;
  if (o.prop_attributes_mask === undefined || o.prop_attributes_shift === undefined || o.prop_attributes_DONT_ENUM === undefined) return true;
  return (((d & o.prop_attributes_mask) >>> o.prop_attributes_shift) & o.prop_attributes_DONT_ENUM) === 0;
}

/** Most hash-table capacity believed for a property dictionary. */
const MAX_DICTIONARY_CAPACITY = 1 << 22;

/**
 * Properties of a dictionary-mode object: its properties slot holds a NameDictionary, a
 * HashTable (V8 src/objects/hash-table.h: number of elements at index 0, capacity at index 2,
 * the shape's prefix from v8dbg_namedictionary_prefix_start_index, then entries of
 * {key, value, details}); empty slots hold undefined or the hole.
 */
function dictionaryProperties(heap: V8Heap, obj: HeapObject, limit: number): PropertyWalk | undefined {
  const o = heap.layout.opt;
  const at = o.JSReceiver_raw_properties_or_hash;
  if (at === undefined || o.namedictionary_prefix_start_index === undefined || o.namedictionaryshape_prefix_size === undefined) return undefined;
  const dict = heap.objectField(obj.address, at);
  // NAME_DICTIONARY_TYPE has no v8dbg_type_ symbol: the table is recognised by its shape.
  if (dict === undefined || heap.isString(dict.type) || heap.isJSReceiver(dict.type)) return undefined;
  const length = heap.fixedArrayLength(dict.address);
  const elements = heap.fixedArrayGet(dict.address, 0);
  const capacity = heap.fixedArrayGet(dict.address, 2);
  if (length === undefined || elements?.kind !== 'smi' || capacity?.kind !== 'smi') return undefined;
  const entrySize = o.namedictionaryshape_entry_size ?? 3;
  const first = o.namedictionary_prefix_start_index + o.namedictionaryshape_prefix_size;
  const cap = capacity.value;
  // A HashTable's length is exactly its prefix plus capacity × entry size, capacity a power of 2.
  if (cap <= 0 || cap > MAX_DICTIONARY_CAPACITY || (cap & (cap - 1)) !== 0 || first + cap * entrySize !== length) return undefined;
  const entries: PropertyEntry[] = [];
  for (let i = 0; i < cap && entries.length < limit; i++) {
    const base = first + i * entrySize;
    const key = heap.objectOf(heap.fixedArrayGet(dict.address, base));
    if (key === undefined || !(heap.isString(key.type) || key.type === heap.types.SYMBOL)) continue;
    const details = heap.fixedArrayGet(dict.address, base + 2);
    const d = details?.kind === 'smi' ? details.value : 0;
    const accessor = o.prop_kind_mask !== undefined && (d & o.prop_kind_mask) === (o.prop_kind_Accessor ?? 1);
    entries.push({ key, value: heap.fixedArrayGet(dict.address, base + 1), accessor, enumerable: isEnumerable(heap, d) });
  }
  return { entries, dictionary: true, total: Math.max(elements.value, entries.length) };
}

/**
 * Field `index` of an object: in-object fields start at Map::inobject_properties_start (in
 * words) and number instance_size − start; later ones are in the PropertyArray
 * (V8 src/objects/field-index-inl.h, src/objects/property-array.h: LengthField is bits 0–9).
 */
function fieldReader(heap: V8Heap, obj: HeapObject): (index: number) => Tagged | undefined {
  const o = heap.layout.opt;
  const sizeWords = o.Map_instance_size_in_words !== undefined ? heap.uint(obj.map + o.Map_instance_size_in_words, 1) : undefined;
  const startWords = o.Map_inobject_properties_start !== undefined ? heap.uint(obj.map + o.Map_inobject_properties_start, 1) : undefined;
  const inobject = sizeWords !== undefined && startWords !== undefined && sizeWords >= startWords ? sizeWords - startWords : 0;
  let propertyArray: { address: number; length: number } | null | undefined;
  return (index) => {
    if (index < inobject && startWords !== undefined) return heap.word(obj.address + (startWords + index) * 8);
    if (propertyArray === undefined) propertyArray = readPropertyArray(heap, obj);
    if (propertyArray === null) return undefined;
    const i = index - inobject;
    if (i < 0 || i >= propertyArray.length) return undefined;
    return heap.word(propertyArray.address + heap.layout.req.FixedArray_data + i * 8);
  };
}

function readPropertyArray(heap: V8Heap, obj: HeapObject): { address: number; length: number } | null {
  const at = heap.layout.opt.JSReceiver_raw_properties_or_hash;
  if (at === undefined) return null;
  const p = heap.objectField(obj.address, at);
  if (p === undefined) return null;
  if (p.type === heap.types.PROPERTY_ARRAY) {
    const lh = heap.smiField(p.address, heap.layout.opt.PropertyArray_length_and_hash ?? 8);
    return lh === undefined ? null : { address: p.address, length: lh & 0x3ff };
  }
  if (p.type === heap.types.FIXED_ARRAY) {
    const n = heap.fixedArrayLength(p.address);
    return n === undefined ? null : { address: p.address, length: n };
  }
  return null;
}

/**
 * The constructor name of an object, as util.inspect finds it: the own `constructor` property of
 * its prototype (fast-mode prototypes), else the constructor of its map, found by following back
 * pointers to the root map (V8 src/objects/map.h: constructor_or_back_pointer). The map's
 * constructor alone would name the base function for instances of derived classes.
 */
export function constructorName(heap: V8Heap, obj: HeapObject, nameOf: (fn: HeapObject) => string | undefined): string | undefined {
  const protoAt = heap.layout.opt.Map_prototype;
  const proto = protoAt === undefined ? undefined : heap.objectField(obj.map, protoAt);
  if (proto !== undefined && heap.isJSReceiver(proto.type)) {
    const walk = ownProperties(heap, proto, 64);
    for (const e of walk?.entries ?? []) {
      if (e.accessor || e.key === undefined || !heap.isString(e.key.type)) continue;
      if (readString(heap, e.key, { maxLength: 12 })?.text !== 'constructor') continue;
      const fn = heap.objectOf(e.value);
      if (fn !== undefined && heap.isJSFunction(fn.type)) {
        const n = nameOf(fn);
        if (n) return n;
      }
      break;
    }
  }
  return mapConstructorName(heap, obj, nameOf);
}

/** The name of the constructor recorded in the object's root map. */
export function mapConstructorName(heap: V8Heap, obj: HeapObject, nameOf: (fn: HeapObject) => string | undefined): string | undefined {
  const at = heap.layout.opt.Map_constructor_or_back_pointer;
  if (at === undefined) return undefined;
  let map = obj.map;
  for (let depth = 0; depth < 256; depth++) {
    const c = heap.objectField(map, at);
    if (c === undefined) return undefined;
    if (c.type === heap.types.MAP) {
      map = c.address;
      continue;
    }
    return heap.isJSFunction(c.type) ? nameOf(c) : undefined;
  }
  return undefined;
}
