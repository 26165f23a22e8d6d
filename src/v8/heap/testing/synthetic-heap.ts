// Test support: a synthetic tagged-word heap (x64, no pointer compression) over a BufferByteSource,
// with a V8Layout loaded through the real loader from a fake binary carrying Node 22's values.
import { fakeLayoutBinary } from '../../layout/testing/fake-binary.js';
import { loadV8Layout, type V8Layout } from '../../layout/v8-layout.js';
import { V8Heap } from '../v8-heap.js';
import { BufferAddressSpace } from '../../../target/testing/buffer-address-space.js';

/** Metadata of the fake binary: a subset of Node 22.23.3's v8dbg_ symbols and values. */
export const FAKE_METADATA: Readonly<Record<string, number>> = {
  v8dbg_SmiShiftSize: 31,
  v8dbg_SmiTagMask: 1,
  v8dbg_SmiTag: 0,
  v8dbg_HeapObjectTag: 1,
  v8dbg_HeapObjectTagMask: 3,
  v8dbg_SystemPointerSize: 8,
  v8dbg_TaggedSize: 8,
  v8dbg_FirstNonstringType: 128,
  v8dbg_IsNotStringMask: -128,
  v8dbg_StringEncodingMask: 8,
  v8dbg_StringRepresentationMask: 7,
  v8dbg_OneByteStringTag: 8,
  v8dbg_TwoByteStringTag: 0,
  v8dbg_SeqStringTag: 0,
  v8dbg_ConsStringTag: 1,
  v8dbg_SlicedStringTag: 3,
  v8dbg_ThinStringTag: 5,
  v8dbg_ExternalStringTag: 2,
  v8dbg_class_HeapObject__map__Map: 0,
  v8dbg_class_Map__instance_type__uint16_t: 12,
  v8dbg_class_String__length__int32_t: 12,
  v8dbg_class_SeqOneByteString__chars__char: 16,
  v8dbg_class_SeqTwoByteString__chars__char: 16,
  v8dbg_class_ConsString__first__String: 16,
  v8dbg_class_ConsString__second__String: 24,
  v8dbg_class_SlicedString__parent__String: 16,
  v8dbg_class_SlicedString__offset__SMI: 24,
  v8dbg_class_ThinString__actual__String: 16,
  v8dbg_class_ExternalString__resource__Object: 16,
  v8dbg_class_HeapNumber__value__double: 8,
  v8dbg_class_Oddball__kind__int: 40,
  v8dbg_OddballUndefined: 4,
  v8dbg_OddballNull: 3,
  v8dbg_OddballTrue: 1,
  v8dbg_OddballFalse: 0,
  v8dbg_class_FixedArrayBase__length__SMI: 8,
  v8dbg_class_FixedArray__data__uintptr_t: 16,
  v8dbg_class_JSFunction__shared__SharedFunctionInfo: 32,
  v8dbg_class_JSFunction__context__Tagged_Context_: 40,
  v8dbg_class_SharedFunctionInfo__name_or_scope_info__Tagged_Object_: 16,
  v8dbg_class_SharedFunctionInfo__script__Tagged_HeapObject_: 32,
  v8dbg_class_SharedFunctionInfo__internal_formal_parameter_count__uint16_t: 42,
  v8dbg_class_SharedFunctionInfo__raw_function_token_offset__int16_t: 44,
  v8dbg_class_SharedFunctionInfo__flags__int: 48,
  v8dbg_class_Script__name__Object: 16,
  v8dbg_class_Script__source__Object: 8,
  v8dbg_class_Script__line_ends__Object: 56,
  v8dbg_off_fp_context_or_frame_type: -8,
  v8dbg_off_fp_function: -16,
  v8dbg_off_fp_args: 16,
  v8dbg_off_fp_bytecode_array: -32,
  v8dbg_off_fp_bytecode_offset: -40,
  v8dbg_frametype_EntryFrame: 1,
  v8dbg_frametype_ExitFrame: 3,
  v8dbg_frametype_InterpretedFrame: 13,
  v8dbg_frametype_StubFrame: 17,
  v8dbg_type_Map__MAP_TYPE: 264,
  v8dbg_type_Oddball__ODDBALL_TYPE: 131,
  v8dbg_type_HeapNumber__HEAP_NUMBER_TYPE: 130,
  v8dbg_type_SeqOneByteString__SEQ_ONE_BYTE_STRING_TYPE: 40,
  v8dbg_type_SeqTwoByteString__SEQ_TWO_BYTE_STRING_TYPE: 32,
  v8dbg_type_ConsString__CONS_ONE_BYTE_STRING_TYPE: 41,
  v8dbg_type_ConsString__CONS_TWO_BYTE_STRING_TYPE: 33,
  v8dbg_type_SlicedString__SLICED_ONE_BYTE_STRING_TYPE: 43,
  v8dbg_type_ThinString__THIN_ONE_BYTE_STRING_TYPE: 45,
  v8dbg_type_ExternalOneByteString__EXTERNAL_ONE_BYTE_STRING_TYPE: 42,
  v8dbg_type_ExternalTwoByteString__EXTERNAL_TWO_BYTE_STRING_TYPE: 34,
  v8dbg_type_FixedArray__FIXED_ARRAY_TYPE: 174,
  v8dbg_type_JSObject__JS_OBJECT_TYPE: 1057,
  v8dbg_type_JSFunction__JS_FUNCTION_TYPE: 2066,
  v8dbg_type_SharedFunctionInfo__SHARED_FUNCTION_INFO_TYPE: 274,
  v8dbg_type_Script__SCRIPT_TYPE: 167,
};



/** Role: builds objects into a synthetic heap and hands out the V8Heap reading it. */
export class SyntheticHeap {
  readonly base = 0x10_0000_0000;
  readonly data = Buffer.alloc(1 << 20);
  readonly layout: V8Layout;
  private next = 0;
  private readonly maps = new Map<number, number>();
  readonly metaMap: number;

  /**
   * `extra` adds metadata values to (or overrides) FAKE_METADATA; objects are allocated from
   * `start` bytes into the buffer (room for a page header there).
   */
  constructor(extra: Readonly<Record<string, number>> = {}, start = 0) {
    this.layout = loadV8Layout(fakeLayoutBinary({ ...FAKE_METADATA, ...extra }), undefined, 0, { binaryName: 'fake' });
    this.next = start;
    this.metaMap = this.alloc(80);
    this.setPointer(this.metaMap, 0, this.metaMap);
    this.data.writeUInt16LE(this.type('MAP_TYPE'), this.metaMap - this.base + 12);
  }

  /** A V8Heap over the bytes built so far (and later). */
  heap(): V8Heap {
    return new V8Heap(new BufferAddressSpace(this.base, this.data), this.layout);
  }

  /** Value of an instance-type name. */
  type(name: string): number {
    const v = this.layout.types.value(name);
    if (v === undefined) throw new Error(`no type ${name}`);
    return v;
  }

  /** Allocates `size` zeroed bytes, 8-aligned; returns the untagged address. */
  alloc(size: number): number {
    const at = this.base + this.next;
    this.next += Math.ceil(size / 8) * 8;
    return at;
  }

  /** The (shared) map of an instance type. */
  mapOf(type: number): number {
    let m = this.maps.get(type);
    if (m === undefined) {
      m = this.alloc(80);
      this.setPointer(m, 0, this.metaMap);
      this.data.writeUInt16LE(type, m - this.base + 12);
      this.maps.set(type, m);
    }
    return m;
  }

  /** A map of `type` whose Map::instance_size is `sizeWords` words (0: variable size). */
  sizedMap(type: number, sizeWords: number): number {
    const m = this.alloc(80);
    this.setPointer(m, 0, this.metaMap);
    this.data.writeUInt16LE(type, m - this.base + 12);
    this.data.writeUInt8(sizeWords, m - this.base + 8);
    return m;
  }

  /** Allocates `size` bytes with `map` as their map. */
  objectWithMap(map: number, size: number): number {
    const o = this.alloc(size);
    this.setPointer(o, 0, map);
    return o;
  }

  /** Bytes allocated so far, from the buffer's start. */
  get used(): number {
    return this.next;
  }

  /** Allocates an object of `type` with `size` bytes; writes its map. */
  object(type: number, size: number): number {
    const o = this.alloc(size);
    this.setPointer(o, 0, this.mapOf(type));
    return o;
  }

  setPointer(obj: number, offset: number, target: number): void {
    this.data.writeBigUInt64LE(BigInt(target) + 1n, obj - this.base + offset);
  }
  setSmi(obj: number, offset: number, value: number): void {
    this.data.writeInt32LE(0, obj - this.base + offset);
    this.data.writeInt32LE(value, obj - this.base + offset + 4);
  }
  setInt32(obj: number, offset: number, value: number): void {
    this.data.writeInt32LE(value, obj - this.base + offset);
  }
  setRaw(obj: number, offset: number, value: number): void {
    this.data.writeBigUInt64LE(BigInt(value), obj - this.base + offset);
  }
  setDouble(obj: number, offset: number, value: number): void {
    this.data.writeDoubleLE(value, obj - this.base + offset);
  }

  /** A sequential one-byte (latin1) or two-byte string. */
  seqString(text: string, twoByte = false): number {
    const size = twoByte ? 2 : 1;
    const o = this.object(this.type(twoByte ? 'SEQ_TWO_BYTE_STRING_TYPE' : 'SEQ_ONE_BYTE_STRING_TYPE'), 16 + text.length * size);
    this.setInt32(o, 12, text.length);
    Buffer.from(text, twoByte ? 'utf16le' : 'latin1').copy(this.data, o - this.base + 16);
    return o;
  }

  /** A cons string of two strings. */
  consString(first: number, second: number, length: number): number {
    const o = this.object(this.type('CONS_ONE_BYTE_STRING_TYPE'), 32);
    this.setInt32(o, 12, length);
    this.setPointer(o, 16, first);
    this.setPointer(o, 24, second);
    return o;
  }

  /** A sliced string of `parent`. */
  slicedString(parent: number, offset: number, length: number): number {
    const o = this.object(this.type('SLICED_ONE_BYTE_STRING_TYPE'), 32);
    this.setInt32(o, 12, length);
    this.setPointer(o, 16, parent);
    this.setSmi(o, 24, offset);
    return o;
  }

  /** A thin string forwarding to `actual`. */
  thinString(actual: number, length: number): number {
    const o = this.object(this.type('THIN_ONE_BYTE_STRING_TYPE'), 24);
    this.setInt32(o, 12, length);
    this.setPointer(o, 16, actual);
    return o;
  }

  /** An external one-byte string whose characters are `text`, stored elsewhere in the heap. */
  externalString(text: string, cached: boolean): number {
    const chars = this.alloc(text.length);
    Buffer.from(text, 'latin1').copy(this.data, chars - this.base);
    const resource = this.alloc(16);
    this.setRaw(resource, 8, chars);
    const o = this.object(this.type('EXTERNAL_ONE_BYTE_STRING_TYPE'), 32);
    this.setInt32(o, 12, text.length);
    this.setRaw(o, 16, resource);
    if (cached) this.setRaw(o, 24, chars);
    return o;
  }

  /** An Oddball of `kind`. */
  oddball(kind: number): number {
    const o = this.object(this.type('ODDBALL_TYPE'), 48);
    this.setSmi(o, 40, kind);
    return o;
  }

  /** A HeapNumber. */
  heapNumber(value: number): number {
    const o = this.object(this.type('HEAP_NUMBER_TYPE'), 16);
    this.setDouble(o, 8, value);
    return o;
  }
}
