// The embedder (internal) fields of an API object, a JS wrapper made from a C++ template (a libuv
// handle's TCP object, a zlib handle): raw pointer-sized slots between the object header (and,
// from V8 13, the cpp_heap_wrappable slot) and the first in-object property. V8 counts them the
// same way (JSObject::GetEmbedderFieldCount: from the header to Map::inobject_properties_start).
// A slot holds an aligned C++ pointer or a tagged V8 value; only the raw word is read here.
import type { HeapObject, V8Heap } from '../heap/v8-heap.js';

/** Most embedder fields believed (V8 allows up to kMaxEmbedderFields = 64 via templates; Node uses ≤ 8). */
const MAX_FIELDS = 64;
/** Bytes per embedder data slot on x86-64 without the sandbox (kEmbedderDataSlotSize). */
const SLOT_SIZE = 8;

/** Whether `o` is an API object (JS_API_OBJECT_TYPE or JS_SPECIAL_API_OBJECT_TYPE), as the metadata numbers them. */
export function isApiObject(heap: V8Heap, o: HeapObject): boolean {
  const L = heap.layout.opt;
  return (L.APIObjectType !== undefined && o.type === L.APIObjectType) || (L.SpecialAPIObjectType !== undefined && o.type === L.SpecialAPIObjectType);
}

/**
 * The raw words of `o`'s embedder fields, or undefined when `o` is not an API object, the layout
 * lacks the rows, or the map gives an impossible count (corrupt).
 */
export function embedderFields(heap: V8Heap, o: HeapObject): readonly bigint[] | undefined {
  if (!isApiObject(heap, o)) return undefined;
  const L = heap.layout.opt;
  if (L.JSObject_internal_fields === undefined || L.Map_inobject_properties_start === undefined) return undefined;
  const start = L.JSObject_internal_fields + (L.JSAPIObject_wrapper_slot_size ?? 0);
  const startWords = heap.uint(o.map + L.Map_inobject_properties_start, 1);
  if (startWords === undefined) return undefined;
  const bytes = startWords * heap.layout.req.TaggedSize - start;
  if (bytes < 0 || bytes % SLOT_SIZE !== 0 || bytes / SLOT_SIZE > MAX_FIELDS) return undefined;
  const raw = bytes === 0 ? Buffer.alloc(0) : heap.space.tryRead(o.address + start, bytes);
  if (raw === undefined) return undefined;
  const out: bigint[] = [];
  for (let at = 0; at < bytes; at += SLOT_SIZE) out.push(raw.readBigUInt64LE(at));
  return out;
}
