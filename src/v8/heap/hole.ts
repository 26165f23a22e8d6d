// Recognising V8's hole: the TheHole Oddball (before V8 12) or a Hole object (HOLE_TYPE), also
// where Node 26's metadata names neither. Used by property, element and collection walkers.
import type { HeapObject, V8Heap } from './v8-heap.js';

/** Role: the hole NaN's 32-bit halves, V8 src/common/globals.h kHoleNanUpper32/kHoleNanLower32. */
export const HOLE_NAN_WORD = 0xfff7ffff;

/**
 * Whether `o` is a hole. Where the metadata names neither HOLE_TYPE nor the TheHole oddball kind
 * (Node 26), HOLE_TYPE is placed by name order: Torque numbers the HeapObject instance types in
 * alphabetical order of their names, and HOLE_TYPE comes right before INTERCEPTOR_INFO_TYPE
 * (V8 ≥ 14; INTERNAL_CLASS_TYPE before). Failing that, a Hole is recognised by its shape: a
 * 16-byte object whose only field is the hole NaN (V8 src/objects/hole.h: raw_numeric_value).
 */
export function isHoleObject(heap: V8Heap, o: HeapObject): boolean {
  if (o.type === heap.types.HOLE) return true;
  const k = heap.oddballKind(o);
  if (k !== undefined) return k === heap.layout.opt.OddballTheHole;
  const names = heap.layout.types;
  if (heap.types.HOLE !== undefined || names.name(o.type) !== undefined) return false;
  const next = names.first('INTERCEPTOR_INFO_TYPE', 'INTERNAL_CLASS_TYPE');
  if (next !== undefined && o.type === next - 1) return true;
  const sizeAt = heap.layout.opt.Map_instance_size_in_words;
  if (sizeAt === undefined || heap.uint(o.map + sizeAt, 1) !== 2) return false;
  // A two-word Hole {map, value}: the value word follows the map (V8 src/objects/hole.h).
  const b = heap.space.tryRead(o.address + heap.layout.req.HeapObject_map + heap.layout.req.TaggedSize, 8);
  return b !== undefined && b.readUInt32LE(0) === HOLE_NAN_WORD && b.readUInt32LE(4) === HOLE_NAN_WORD;
}
