// The NativeContext an object or Context belongs to, its global object and its embedder data.
// A contextful map (a context's map, or a JSObject map's meta map) holds its native context in
// Map::native_context (V8 src/objects/map.h: constructor_or_back_pointer_or_native_context);
// a native context's own map points back to it, which validates the find.
import type { HeapObject, V8Heap } from '../heap/v8-heap.js';

/** Slots of a NativeContext searched for its global object (V8 src/objects/contexts.h: the extension slot, index 2). */
const GLOBAL_SEARCH_SLOTS = 8;

/** Whether `o` is a NativeContext (its type, and its map naming it as its native context). */
export function isNativeContext(heap: V8Heap, o: HeapObject): boolean {
  const at = heap.layout.opt.Map_native_context;
  const t = heap.layout.opt.NativeContextType;
  if (at === undefined || t === undefined || o.type !== t) return false;
  return heap.objectField(o.map, at)?.address === o.address;
}

/** The NativeContext of a Context or JS object (through its map, then its meta map), or undefined. */
export function nativeContextOf(heap: V8Heap, o: HeapObject): HeapObject | undefined {
  const at = heap.layout.opt.Map_native_context;
  if (at === undefined) return undefined;
  if (isNativeContext(heap, o)) return o;
  for (const map of [o.map, heap.object(o.map)?.map]) {
    if (map === undefined) continue;
    const nc = heap.objectField(map, at);
    if (nc !== undefined && isNativeContext(heap, nc)) return nc;
  }
  return undefined;
}

/** The JSGlobalObject of a NativeContext, or undefined. */
export function globalObjectOf(heap: V8Heap, nc: HeapObject): HeapObject | undefined {
  for (let i = 0; i < GLOBAL_SEARCH_SLOTS; i++) {
    const o = heap.objectOf(heap.fixedArrayGet(nc.address, i));
    if (o !== undefined && heap.layout.types.name(o.type) === 'JS_GLOBAL_OBJECT_TYPE') return o;
  }
  return undefined;
}

/**
 * The raw word of embedder data slot `index` of a NativeContext (V8 src/objects/embedder-data-array.h:
 * a length, then 8-byte slots without pointer compression), or undefined.
 */
export function embedderDataSlot(heap: V8Heap, nc: HeapObject, index: number): number | undefined {
  const at = heap.layout.opt.native_context_embedder_data_offset;
  if (at === undefined) return undefined;
  const eda = heap.objectField(nc.address, at);
  if (eda === undefined || heap.layout.types.name(eda.type) !== 'EMBEDDER_DATA_ARRAY_TYPE') return undefined;
  const n = heap.fixedArrayLength(eda.address);
  if (n === undefined || index < 0 || index >= n) return undefined;
  return heap.pointer(eda.address + heap.layout.req.FixedArray_data + index * 8);
}
