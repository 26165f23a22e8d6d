// Names the references from one heap object to another, the way DevTools' retainers panel reads
// them: a property name (from the holder's map descriptors, its PropertyArray or its properties
// dictionary), an element index, a context variable (from the Context's ScopeInfo), a Map or Set
// entry, or an internal field (map, prototype, code, …; names from the metadata's class fields).
// A backing store (properties, elements, a collection's table) is folded into the JS object that
// owns it, so `RequestContext.url` reads as one edge.
import type { HeapGraph } from '../../v8/pages/heap-graph.js';
import type { ObjectTable } from '../../v8/pages/object-table.js';
import { decodeKey, fastMapKeys, keyText } from '../../v8/heap/named-properties.js';
import type { HeapObject, V8Heap } from '../../v8/heap/v8-heap.js';
import { contextVariableSlots } from '../../v8/objects/context-chain.js';
import { previewValue } from '../../v8/heap/preview.js';
import type { Tagged } from '../../v8/heap/tagged.js';

/** Role: one named reference (the documented `edge` of refs and path). */
export interface EdgeName {
  readonly kind: 'property' | 'element' | 'context' | 'entry' | 'internal' | 'weak';
  readonly name: string | number;
}

/** Role: a reference from a holder (after folding backing stores into their owner). */
export interface NamedRef {
  /** Object index of the holder as shown (the owner of a folded backing store). */
  readonly holder: number;
  /** Object index of the object whose slot holds the pointer (the backing store when folded). */
  readonly via: number;
  readonly edge: EdgeName;
}

/** Most bytes of a holder searched for the pointer (huge arrays are read up to this). */
const MAX_SCAN = 64 << 20;

/** Role: names references between objects of one census, with the graph to find owners. */
export class EdgeNamer {
  private readonly heap: V8Heap;
  private readonly backingTypes: ReadonlySet<number>;

  constructor(private readonly table: ObjectTable, private readonly graph: HeapGraph) {
    this.heap = table.walker.heap;
    const t = this.heap.layout.types;
    const o = this.heap.layout.opt;
    const backing = new Set<number>();
    for (const n of ['PROPERTY_ARRAY_TYPE', 'FIXED_ARRAY_TYPE', 'FIXED_DOUBLE_ARRAY_TYPE']) {
      const v = t.value(n);
      if (v !== undefined) backing.add(v);
    }
    const fixed = this.heap.types.FIXED_ARRAY;
    if (fixed !== undefined && o.LastFixedArrayType !== undefined) for (let v = fixed; v <= o.LastFixedArrayType; v++) backing.add(v);
    this.backingTypes = backing;
  }

  /** The named references from `holder` to `target` (several when it holds it more than once). */
  refs(holder: number, target: number): NamedRef[] {
    const offsets = this.slotsPointingAt(holder, target);
    const cell = this.globalPropertyCell(holder);
    if (cell !== undefined) return offsets.map(() => ({ holder: cell.owner, via: holder, edge: { kind: 'property', name: cell.name } }));
    const owner = this.backingTypes.has(this.table.type(holder)) ? this.ownerOf(holder) : undefined;
    return offsets.map((off) => {
      if (owner !== undefined) {
        const e = this.nameInBackingStore(owner.index, owner.field, holder, off);
        if (e !== undefined) return { holder: owner.index, via: holder, edge: e };
      }
      return { holder, via: holder, edge: this.nameSlot(holder, off) };
    });
  }

  /**
   * A global variable's PropertyCell (V8 src/objects/property-cell.tq {name, details, value}):
   * the global object that owns its GlobalDictionary, and the variable's name.
   */
  private globalPropertyCell(i: number): { owner: number; name: string } | undefined {
    const heap = this.heap;
    if (heap.layout.types.name(this.table.type(i)) !== 'PROPERTY_CELL_TYPE') return undefined;
    for (const dict of this.graph.holders(i)) {
      const owner = this.ownerOf(dict);
      if (owner === undefined || owner.field !== 'properties') continue;
      return { owner: owner.index, name: keyPreview(heap, heap.word(this.table.address(i) + 8)) };
    }
    return undefined;
  }

  /** Offsets of the words of `holder` that hold a strong pointer to `target`. */
  slotsPointingAt(holder: number, target: number): number[] {
    const a = this.table.address(holder);
    const size = Math.min(this.table.size(holder), MAX_SCAN);
    const t = this.table.address(target) + 1;
    const lo = t % 0x1_0000_0000;
    const hi = Math.floor(t / 0x1_0000_0000);
    const b = this.heap.space.tryRead(a, size);
    if (b === undefined) return [];
    const out: number[] = [];
    for (let off = 0; off + 8 <= size; off += 8) if (b.readUInt32LE(off) === lo && b.readUInt32LE(off + 4) === hi) out.push(off);
    return out;
  }

  /** The JS object whose properties, elements or table field holds the backing store `i`. */
  private ownerOf(i: number): { index: number; field: 'properties' | 'elements' | 'table' } | undefined {
    const heap = this.heap;
    const o = heap.layout.opt;
    const fields: ['properties' | 'elements' | 'table', number | undefined][] = [
      ['properties', o.JSReceiver_raw_properties_or_hash],
      ['elements', o.JSObject_elements],
      ['table', o.JSCollection_table],
    ];
    for (const h of this.graph.holders(i)) {
      if (!heap.isJSReceiver(this.table.type(h))) continue;
      for (const [field, off] of fields) {
        if (off === undefined) continue;
        if (field === 'table' && !isCollection(heap, this.table.type(h))) continue;
        if (this.slotsPointingAt(h, i).includes(off)) return { index: h, field };
      }
    }
    return undefined;
  }

  private nameInBackingStore(owner: number, field: 'properties' | 'elements' | 'table', store: number, off: number): EdgeName | undefined {
    const heap = this.heap;
    const data = heap.layout.req.FixedArray_data;
    const storeType = this.table.type(store);
    if (field === 'elements') {
      if (storeType === heap.types.FIXED_ARRAY || storeType === heap.types.FIXED_DOUBLE_ARRAY) return off >= data ? { kind: 'element', name: (off - data) / 8 } : undefined;
      // A NumberDictionary: entries {key, value, details} after the 3-slot header and prefix.
      const key = heap.word(this.table.address(store) + off - 8);
      return key?.kind === 'smi' ? { kind: 'element', name: key.value } : { kind: 'element', name: `[${(off - data) / 8}]` };
    }
    if (field === 'table') {
      // OrderedHashMap entries {key, value, chain}; a value's key is the slot before it.
      const key = heap.word(this.table.address(store) + off - 8);
      return { kind: 'entry', name: keyPreview(heap, key) };
    }
    if (storeType === heap.types.PROPERTY_ARRAY) {
      const ownerObj = this.objectAt(owner);
      const index = (off - data) / 8;
      const name = fieldName(heap, ownerObj, undefined, index);
      return { kind: 'property', name: name ?? `[${index}]` };
    }
    // A NameDictionary: entries {key, value, details}; the key is the slot before the value.
    return { kind: 'property', name: keyPreview(heap, heap.word(this.table.address(store) + off - 8)) };
  }

  private nameSlot(holder: number, off: number): EdgeName {
    const heap = this.heap;
    const type = this.table.type(holder);
    if (off === 0) return { kind: 'internal', name: 'map' };
    const o = heap.layout.opt;
    if (heap.isJSReceiver(type)) {
      if (off === o.JSReceiver_raw_properties_or_hash) return { kind: 'internal', name: 'properties' };
      if (off === o.JSObject_elements) return { kind: 'internal', name: 'elements' };
      const obj = this.objectAt(holder);
      const name = fieldName(heap, obj, off, undefined);
      if (name !== undefined) return { kind: 'property', name };
    }
    const ctxFirst = o.FirstContextType;
    const ctxLast = o.LastContextType;
    if (ctxFirst !== undefined && ctxLast !== undefined && type >= ctxFirst && type <= ctxLast) {
      const v = contextVariableSlots(heap, this.objectAt(holder))?.find((x) => x.offset === off);
      if (v !== undefined) return { kind: 'context', name: v.name };
      return { kind: 'internal', name: this.contextSlotName(holder, off) };
    }
    const field = this.classField(type, off);
    if (field !== undefined) return { kind: 'internal', name: field };
    const data = heap.layout.req.FixedArray_data;
    if (this.backingTypes.has(type) && off >= data) return { kind: 'element', name: (off - data) / 8 };
    return { kind: 'internal', name: `[${off}]` };
  }

  /** scope_info, previous, or for a native context the global object's slots; else `slot N`. */
  private contextSlotName(holder: number, off: number): string {
    const heap = this.heap;
    const o = heap.layout.opt;
    const index = (off - heap.layout.req.FixedArray_data) / 8;
    if (index === (o.context_idx_scope_info ?? 0)) return 'scope_info';
    if (index === (o.context_idx_prev ?? 1)) return 'previous';
    if (this.table.type(holder) === o.NativeContextType) {
      const t = heap.objectOf(heap.word(this.table.address(holder) + off));
      const n = t === undefined ? undefined : heap.layout.types.name(t.type);
      if (n === 'JS_GLOBAL_OBJECT_TYPE') return 'global_object';
      if (n === 'JS_GLOBAL_PROXY_TYPE') return 'global_proxy_object';
    }
    return `slot ${index}`;
  }

  /** A field name for `off` from the metadata: the holder's class, then the JSObject/HeapObject bases. */
  private classField(type: number, off: number): string | undefined {
    const L = this.heap.layout;
    const cls = L.types.className(type);
    for (const c of [cls, this.heap.isJSFunction(type) ? 'JSFunction' : undefined, this.heap.isJSReceiver(type) ? 'JSObject' : undefined, 'HeapObject']) {
      if (c === undefined) continue;
      const f = L.classFields.get(c)?.get(off);
      if (f !== undefined) return f;
    }
    return undefined;
  }

  private objectAt(i: number): HeapObject {
    return { address: this.table.address(i), map: this.table.walker.maps.address(this.table.mapId(i)), type: this.table.type(i) };
  }
}

/**
 * The property whose field is at byte `offset` in the object (an in-object field) or at index
 * `propertyIndex` of its PropertyArray, from the map's descriptors (V8 src/objects/field-index.h).
 */
function fieldName(heap: V8Heap, obj: HeapObject, offset: number | undefined, propertyIndex: number | undefined): string | undefined {
  const o = heap.layout.opt;
  if (o.Map_instance_descriptors === undefined || o.DescriptorArray_header_size === undefined || o.prop_index_mask === undefined || o.prop_index_shift === undefined) return undefined;
  const sizeWords = o.Map_instance_size_in_words !== undefined ? heap.uint(obj.map + o.Map_instance_size_in_words, 1) : undefined;
  const startWords = o.Map_inobject_properties_start !== undefined ? heap.uint(obj.map + o.Map_inobject_properties_start, 1) : undefined;
  if (sizeWords === undefined || startWords === undefined) return undefined;
  const inobject = sizeWords - startWords;
  const want = offset !== undefined ? offset / 8 - startWords : inobject + (propertyIndex ?? 0);
  if (offset !== undefined && (want < 0 || want >= inobject)) return undefined;
  const keys = fastMapKeys(heap, obj.map, 1024);
  const desc = heap.objectField(obj.map, o.Map_instance_descriptors);
  if (keys === undefined || desc === undefined) return undefined;
  const size = (o.prop_desc_size ?? 3) * 8;
  for (let i = 0; i < keys.length; i++) {
    const details = heap.word(desc.address + o.DescriptorArray_header_size + i * size + (o.prop_desc_details ?? 1) * 8);
    if (details?.kind !== 'smi') continue;
    const location = o.prop_location_mask !== undefined && o.prop_location_shift !== undefined ? (details.value & o.prop_location_mask) >>> o.prop_location_shift : o.prop_location_Field;
    if (location !== (o.prop_location_Field ?? 0)) continue;
    const index = (details.value & o.prop_index_mask) >>> o.prop_index_shift;
    if (index === want) return keyPreview(heap, keys[i]);
  }
  return undefined;
}

function isCollection(heap: V8Heap, type: number): boolean {
  const n = heap.layout.types.name(type);
  return n === 'JS_MAP_TYPE' || n === 'JS_SET_TYPE';
}

/** A key's text: a string as is, a Symbol as [Symbol(desc)], anything else previewed. */
function keyPreview(heap: V8Heap, key: Tagged | undefined): string {
  const k = heap.objectOf(key);
  if (k !== undefined && (heap.isString(k.type) || k.type === heap.types.SYMBOL)) return keyText(heap, decodeKey(heap, key));
  return previewValue(heap, key).preview;
}
