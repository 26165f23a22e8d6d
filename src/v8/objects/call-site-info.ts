// The call sites an Error captured and has not formatted yet: V8 keeps them under a private
// symbol until `stack` is first read. Each frame is six tagged slots, a CallSiteInfo object's
// fields (V8 ≤ 13) or, in V8 14, six slots of one FixedArray per frame; the field order moved
// between versions and is told apart by where the code slot sits. Bounded and structural.
import type { Tagged } from '../heap/tagged.js';
import type { HeapObject, V8Heap } from '../heap/v8-heap.js';

/** Role: one captured frame. */
export interface CallSiteRecord {
  readonly function: HeapObject;
  /** BytecodeArray (the offset is a bytecode offset) or Code (an offset into its instructions). */
  readonly code?: HeapObject;
  /** code_offset_or_source_position: a source position when there is no code object. */
  readonly offset: number;
  readonly flags: number;
  /** The receiver (`this`) of the call, for naming method calls as V8 does. */
  readonly receiver?: Tagged;
}

/** Slots per frame (V8 src/objects/call-site-info.tq: code_object, receiver_or_instance, function, code_offset_or_source_position, flags, parameters). */
const SLOTS = 6;
/** Most frames decoded (V8's default Error.stackTraceLimit is 10). */
const MAX_FRAMES = 256;

/** The BytecodeArray or Code a code slot names (through a BytecodeWrapper/CodeWrapper in V8 ≥ 12). */
function codeObject(heap: V8Heap, t: Tagged | undefined): HeapObject | undefined | null {
  const o = heap.objectOf(t);
  if (o === undefined) return t?.kind === 'heap' ? null : undefined;
  const name = heap.layout.types.name(o.type);
  if (name === 'BYTECODE_ARRAY_TYPE' || o.type === heap.types.CODE) return o;
  const target = heap.layout.opt.TrustedWrapper_target;
  if (name === 'BYTECODE_WRAPPER_TYPE' || name === 'CODE_WRAPPER_TYPE') return target === undefined ? null : (heap.objectOf(heap.word(o.address + target)) ?? null);
  return heap.oddballKind(o) !== undefined ? undefined : null;
}

/**
 * Decodes one frame from its six slots. V8 10–11 order them receiver, function, code, offset,
 * flags, parameters; V8 12–13 code, receiver, function, offset, flags, parameters; V8 14 (inline
 * frames) code, receiver, function, offset, parameters, flags. Undefined when the slots fit none.
 */
function decodeFrame(heap: V8Heap, slot: (i: number) => Tagged | undefined): CallSiteRecord | undefined {
  const first = codeObject(heap, slot(0));
  const codeFirst = first !== null && slot(0)?.kind === 'heap' && first !== undefined;
  const [fnAt, codeAt] = codeFirst ? [2, 0] : [1, 2];
  const fn = heap.objectOf(slot(fnAt));
  const code = codeObject(heap, slot(codeAt));
  const offset = slot(3);
  const flags = slot(4)?.kind === 'smi' ? slot(4) : slot(5);
  const receiver = slot(codeFirst ? 1 : 0);
  if (fn === undefined || !heap.isJSFunction(fn.type) || code === null || offset?.kind !== 'smi' || flags?.kind !== 'smi') return undefined;
  return { function: fn, ...(code !== undefined ? { code } : {}), offset: offset.value, flags: flags.value, ...(receiver !== undefined ? { receiver } : {}) };
}

/** The captured frames held in `value` (a private-symbol value of an Error), or undefined when it holds none. */
export function callSiteRecords(heap: V8Heap, value: HeapObject, limit = MAX_FRAMES): CallSiteRecord[] | undefined {
  const n = heap.fixedArrayLength(value.address);
  if (n === undefined || n === 0 || heap.isString(value.type) || heap.isJSReceiver(value.type)) return undefined;
  const out: CallSiteRecord[] = [];
  const firstObj = heap.objectOf(heap.fixedArrayGet(value.address, 0));
  if (firstObj !== undefined && heap.layout.types.name(firstObj.type) === 'CALL_SITE_INFO_TYPE') {
    const first = heap.layout.opt.CallSiteInfo_first_slot;
    if (first === undefined) return undefined;
    for (let i = 0; i < n && out.length < limit; i++) {
      const info = heap.objectOf(heap.fixedArrayGet(value.address, i));
      if (info === undefined || info.type !== firstObj.type) return undefined;
      const r = decodeFrame(heap, (k) => heap.word(info.address + first + k * heap.layout.req.TaggedSize));
      if (r === undefined) return undefined;
      out.push(r);
    }
    return out;
  }
  if (n % SLOTS !== 0) return undefined;
  for (let f = 0; f < n / SLOTS && out.length < limit; f++) {
    const r = decodeFrame(heap, (k) => heap.fixedArrayGet(value.address, f * SLOTS + k));
    if (r === undefined) return undefined;
    out.push(r);
  }
  return out;
}
