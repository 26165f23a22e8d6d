// Size in bytes of a heap object: fixed-size classes from Map::instance_size_in_words, and the
// variable-size classes nodescope knows (strings, FixedArray-shaped arrays, byte arrays,
// descriptor arrays, BigInts). Unknown variable-size classes give undefined.
import { stringLength } from '../heap/strings.js';
import type { HeapObject, V8Heap } from '../heap/v8-heap.js';

/** Type-name patterns of classes laid out as FixedArray (length Smi, then tagged slots). */
const FIXED_ARRAY_SHAPED = /(FIXED_ARRAY|HASH_TABLE|DICTIONARY|CONTEXT|ORDERED_HASH|_LIST|CLOSURE_FEEDBACK_CELL_ARRAY|BOILERPLATE_DESCRIPTION|TRANSITION_ARRAY|SCRIPT_CONTEXT_TABLE)_TYPE$/;

/** Byte size of `o`, or undefined when its class is variable-size and not known here. */
export function objectSize(heap: V8Heap, o: HeapObject): number | undefined {
  const L = heap.layout;
  const T = heap.types;
  const sizeAt = L.opt.Map_instance_size_in_words;
  if (sizeAt !== undefined) {
    const words = heap.uint(o.map + sizeAt, 1);
    if (words !== undefined && words > 0) return words * 8;
  }
  if (heap.isString(o.type)) {
    const n = stringLength(heap, o.address);
    if (n === undefined) return undefined;
    const rep = o.type & L.req.StringRepresentationMask;
    if (rep !== L.req.SeqStringTag) return undefined;
    const oneByte = (o.type & L.req.StringEncodingMask) === L.req.OneByteStringTag;
    const start = oneByte ? L.req.SeqOneByteString_chars : L.req.SeqTwoByteString_chars;
    return roundUp(start + n * (oneByte ? 1 : 2));
  }
  const data = L.req.FixedArray_data;
  if (o.type === T.FIXED_DOUBLE_ARRAY) {
    const n = heap.fixedArrayLength(o.address);
    return n === undefined ? undefined : data + 8 * n;
  }
  if (o.type === T.BYTE_ARRAY || o.type === T.TRUSTED_BYTE_ARRAY) {
    const n = heap.fixedArrayLength(o.address);
    return n === undefined ? undefined : roundUp(data + n);
  }
  if (o.type === T.PROPERTY_ARRAY) {
    const lh = heap.smiField(o.address, L.opt.PropertyArray_length_and_hash ?? 8);
    return lh === undefined ? undefined : data + 8 * (lh & 0x3ff);
  }
  if (o.type === T.DESCRIPTOR_ARRAY || o.type === T.STRONG_DESCRIPTOR_ARRAY) {
    // V8 src/objects/descriptor-array.tq: number_of_all_descriptors: uint16 right after the map.
    const all = heap.uint(o.address + 8, 2);
    const header = L.opt.DescriptorArray_header_size;
    return all === undefined || header === undefined ? undefined : header + all * (L.opt.prop_desc_size ?? 3) * 8;
  }
  const name = heap.layout.types.name(o.type) ?? '';
  if (name === 'BIGINT_TYPE') {
    const bits = heap.uint(o.address + (L.opt.BigInt_bitfield ?? 8), 4);
    return bits === undefined ? undefined : (L.opt.BigInt_digits ?? 16) + 8 * ((bits >>> 1) & 0x3fffffff);
  }
  if (FIXED_ARRAY_SHAPED.test(name)) {
    const n = heap.fixedArrayLength(o.address);
    return n === undefined ? undefined : data + 8 * n;
  }
  return undefined;
}

function roundUp(n: number): number {
  return Math.ceil(n / 8) * 8;
}
