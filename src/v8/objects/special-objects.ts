// Readers of the JS objects with internal slots: Date, RegExp, Promise, primitive wrappers,
// bound functions, proxies, BigInts, ArrayBuffers and typed arrays. Offsets come from the
// constant table (metadata or its documented Torque fallbacks); every read may fail (undefined).
import type { Tagged } from '../heap/tagged.js';
import type { HeapObject, V8Heap } from '../heap/v8-heap.js';

/** A JSDate's time value in ms (NaN for an invalid date), or undefined. */
export function dateValue(heap: V8Heap, o: HeapObject): number | undefined {
  const at = heap.layout.opt.JSDate_value;
  if (at === undefined) return undefined;
  // V8 13 stores the time value as a raw float64 (V8 src/objects/js-date.tq), although the
  // metadata still types the field Object; before, it was a Smi or HeapNumber.
  const major = Number((heap.layout.v8Version ?? '0').split('.')[0]);
  if (major >= 13) return heap.double(o.address + at);
  return numberOf(heap, heap.field(o.address, at));
}

/** The number a tagged value holds (Smi or HeapNumber), or undefined. */
export function numberOf(heap: V8Heap, t: Tagged | undefined): number | undefined {
  if (t?.kind === 'smi') return t.value;
  const h = heap.objectOf(t);
  if (h === undefined || h.type !== heap.types.HEAP_NUMBER) return undefined;
  return heap.double(h.address + heap.layout.req.HeapNumber_value);
}

/** V8 src/regexp/regexp-flags.h: flag bits in order (hasIndices is `d`). */
const REGEXP_FLAGS: readonly [number, string][] = [
  [1 << 7, 'd'],
  [1 << 0, 'g'],
  [1 << 1, 'i'],
  [1 << 6, 'l'],
  [1 << 2, 'm'],
  [1 << 5, 's'],
  [1 << 4, 'u'],
  [1 << 8, 'v'],
  [1 << 3, 'y'],
];

/** A JSRegExp's source string object and flag letters (in JS `flags` order), or undefined. */
export function regExpParts(heap: V8Heap, o: HeapObject): { source: HeapObject | undefined; flags: string | undefined } {
  const L = heap.layout.opt;
  const source = L.JSRegExp_source !== undefined ? heap.objectField(o.address, L.JSRegExp_source) : undefined;
  const bits = L.JSRegExp_flags !== undefined ? heap.smiField(o.address, L.JSRegExp_flags) : undefined;
  let flags: string | undefined;
  if (bits !== undefined && bits >= 0 && bits < 1 << 12) {
    // JS orders flags as d g i m s u v y ('l' is V8's linear flag, not a JS flag).
    flags = REGEXP_FLAGS.filter(([b, c]) => c !== 'l' && (bits & b) !== 0)
      .map(([, c]) => c)
      .sort((a, b) => 'dgimsuvy'.indexOf(a) - 'dgimsuvy'.indexOf(b))
      .join('');
  }
  return { source: source !== undefined && heap.isString(source.type) ? source : undefined, flags };
}

/** Role: a promise's state and, when settled, its result. */
export interface PromiseState {
  readonly state: 'pending' | 'fulfilled' | 'rejected';
  readonly result?: Tagged;
}

/** V8 src/objects/js-promise.h: Promise::PromiseState in bits 0–1 of flags (pending, fulfilled, rejected). */
const PROMISE_STATES = ['pending', 'fulfilled', 'rejected'] as const;

/** A JSPromise's state and result, or undefined. */
export function promiseState(heap: V8Heap, o: HeapObject): PromiseState | undefined {
  const L = heap.layout.opt;
  if (L.JSPromise_flags === undefined || L.JSPromise_reactions_or_result === undefined) return undefined;
  const flags = heap.smiField(o.address, L.JSPromise_flags);
  if (flags === undefined) return undefined;
  const state = PROMISE_STATES[flags & 3];
  if (state === undefined) return undefined;
  if (state === 'pending') return { state };
  const result = heap.field(o.address, L.JSPromise_reactions_or_result);
  return result === undefined ? { state } : { state, result };
}

/** The value slot of a JSPrimitiveWrapper (`new Number(5)`), or undefined. */
export function wrappedValue(heap: V8Heap, o: HeapObject): Tagged | undefined {
  const at = heap.layout.opt.JSPrimitiveWrapper_value;
  return at === undefined ? undefined : heap.field(o.address, at);
}

/** A JSBoundFunction's target, bound this and bound arguments (FixedArray address). */
export function boundFunctionParts(heap: V8Heap, o: HeapObject): { target?: Tagged; boundThis?: Tagged; args?: HeapObject } {
  const L = heap.layout.opt;
  const target = L.JSBoundFunction_bound_target_function !== undefined ? heap.field(o.address, L.JSBoundFunction_bound_target_function) : undefined;
  const boundThis = L.JSBoundFunction_bound_this !== undefined ? heap.field(o.address, L.JSBoundFunction_bound_this) : undefined;
  const args = L.JSBoundFunction_bound_arguments !== undefined ? heap.objectField(o.address, L.JSBoundFunction_bound_arguments) : undefined;
  return { ...(target !== undefined ? { target } : {}), ...(boundThis !== undefined ? { boundThis } : {}), ...(args !== undefined ? { args } : {}) };
}

/** A JSProxy's target and handler. */
export function proxyParts(heap: V8Heap, o: HeapObject): { target?: Tagged; handler?: Tagged } {
  const L = heap.layout.opt;
  const target = L.JSProxy_target !== undefined ? heap.field(o.address, L.JSProxy_target) : undefined;
  const handler = L.JSProxy_handler !== undefined ? heap.field(o.address, L.JSProxy_handler) : undefined;
  return { ...(target !== undefined ? { target } : {}), ...(handler !== undefined ? { handler } : {}) };
}

/** Most BigInt digits read (V8 BigInt::kMaxLength is 2^24 bits / 64 = 2^18 digits). */
const MAX_BIGINT_DIGITS = 1 << 18;

/** The BigInt at `o` (sign bit 0, length in bits 1–30 of bitfield; 64-bit digits), or undefined. */
export function bigIntValue(heap: V8Heap, o: HeapObject): bigint | undefined {
  const L = heap.layout.opt;
  const bits = heap.uint(o.address + (L.BigInt_bitfield ?? 8), 4);
  if (bits === undefined) return undefined;
  const n = (bits >>> 1) & 0x3fffffff;
  if (n > MAX_BIGINT_DIGITS) return undefined;
  const b = heap.space.tryRead(o.address + (L.BigInt_digits ?? 16), n * 8);
  if (b === undefined) return undefined;
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 64n) | b.readBigUInt64LE(i * 8);
  return (bits & 1) === 1 ? -v : v;
}

/**
 * The BIGINT_TYPE value: from metadata when present, else the type between SYMBOL_TYPE and
 * HEAP_NUMBER_TYPE (V8 src/objects/instance-type.h orders the PrimitiveHeapObject classes
 * Symbol, BigInt, HeapNumber; used only when exactly one value sits between them).
 */
export function bigIntType(heap: V8Heap): number | undefined {
  const t = heap.layout.types;
  const named = t.first('BIGINT_TYPE', 'BIG_INT_BASE_TYPE');
  if (named !== undefined) return named;
  const sym = t.value('SYMBOL_TYPE');
  const num = t.value('HEAP_NUMBER_TYPE');
  return sym !== undefined && num !== undefined && num - sym === 2 ? sym + 1 : undefined;
}

/** Role: what an ArrayBuffer holds. */
export interface ArrayBufferInfo {
  readonly backingStore: number;
  readonly byteLength: number;
  readonly detached: boolean;
}

/** Largest buffer length believed (V8 kMaxByteLength on 64-bit is 2^53 − 1; 2^40 is plenty). */
const MAX_BYTE_LENGTH = 2 ** 40;

/** A JSArrayBuffer's backing store, byte length and detached bit, or undefined. */
export function arrayBufferInfo(heap: V8Heap, o: HeapObject): ArrayBufferInfo | undefined {
  const L = heap.layout.opt;
  if (L.JSArrayBuffer_backing_store === undefined || L.JSArrayBuffer_byte_length === undefined) return undefined;
  const backingStore = heap.pointer(o.address + L.JSArrayBuffer_backing_store);
  const byteLength = heap.pointer(o.address + L.JSArrayBuffer_byte_length);
  if (backingStore === undefined || byteLength === undefined || byteLength > MAX_BYTE_LENGTH) return undefined;
  let detached = false;
  if (L.JSArrayBuffer_bit_field !== undefined && L.jsarray_buffer_was_detached_mask !== undefined) {
    const bits = heap.uint(o.address + L.JSArrayBuffer_bit_field, 4);
    detached = bits !== undefined && (bits & L.jsarray_buffer_was_detached_mask) !== 0;
  }
  return { backingStore, byteLength, detached };
}

/** Role: what a typed array views. */
export interface TypedArrayInfo {
  /** Address of the first element (on-heap or off-heap). */
  readonly data: number;
  readonly byteOffset: number;
  readonly byteLength: number;
  readonly buffer?: HeapObject;
}

/**
 * A JSTypedArray's data pointer, offset and length. The data pointer is external_pointer plus the
 * raw base_pointer word (V8 src/objects/js-array-buffer-inl.h JSTypedArray::DataPtr: base_pointer
 * is 0 for off-heap data, else the on-heap ByteArray with external_pointer its offset).
 */
export function typedArrayInfo(heap: V8Heap, o: HeapObject): TypedArrayInfo | undefined {
  const L = heap.layout.opt;
  if (L.JSTypedArray_external_pointer === undefined || L.JSTypedArray_base_pointer === undefined) return undefined;
  if (L.JSArrayBufferView_byte_length === undefined || L.JSArrayBufferView_byte_offset === undefined) return undefined;
  const ext = heap.pointer(o.address + L.JSTypedArray_external_pointer);
  const base = heap.pointer(o.address + L.JSTypedArray_base_pointer);
  const byteLength = heap.pointer(o.address + L.JSArrayBufferView_byte_length);
  const byteOffset = heap.pointer(o.address + L.JSArrayBufferView_byte_offset);
  if (ext === undefined || base === undefined || byteLength === undefined || byteOffset === undefined || byteLength > MAX_BYTE_LENGTH) return undefined;
  const buffer = L.JSArrayBufferView_buffer !== undefined ? heap.objectField(o.address, L.JSArrayBufferView_buffer) : undefined;
  return { data: ext + base, byteOffset, byteLength, ...(buffer !== undefined ? { buffer } : {}) };
}

/** Element size and reader of each typed-array constructor (ECMA-262 Table 71). */
export const TYPED_ARRAY_KINDS: Readonly<Record<string, { size: number; read: (b: Buffer, at: number) => number | bigint }>> = {
  Int8Array: { size: 1, read: (b, i) => b.readInt8(i) },
  Uint8Array: { size: 1, read: (b, i) => b.readUInt8(i) },
  Uint8ClampedArray: { size: 1, read: (b, i) => b.readUInt8(i) },
  Int16Array: { size: 2, read: (b, i) => b.readInt16LE(i) },
  Uint16Array: { size: 2, read: (b, i) => b.readUInt16LE(i) },
  Int32Array: { size: 4, read: (b, i) => b.readInt32LE(i) },
  Uint32Array: { size: 4, read: (b, i) => b.readUInt32LE(i) },
  Float16Array: { size: 2, read: (b, i) => halfToNumber(b.readUInt16LE(i)) },
  Float32Array: { size: 4, read: (b, i) => b.readFloatLE(i) },
  Float64Array: { size: 8, read: (b, i) => b.readDoubleLE(i) },
  BigInt64Array: { size: 8, read: (b, i) => b.readBigInt64LE(i) },
  BigUint64Array: { size: 8, read: (b, i) => b.readBigUInt64LE(i) },
};

function halfToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}
