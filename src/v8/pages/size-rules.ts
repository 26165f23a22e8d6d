// The size of a heap object from its first words, for the page walk: a fixed size from its Map,
// or, for V8's variable-size classes, the class's SizeFor formula (V8 src/objects/objects.cc
// HeapObject::SizeFromMap) with header sizes from the metadata or the heap facts. Classes whose
// formula is not known here (ScopeInfo's optional fields, small ordered tables, …) hold no map
// pointers, so the walker finds their end at the next valid map word (`resync`).
import type { V8Layout } from '../layout/v8-layout.js';

/** Role: how the size of an instance type is found. */
export const enum SizeRule {
  /** Map::instance_size (no variable-size rule known: a resync when the map says variable). */
  Map = 0,
  /** 16 + 8·length (FixedArray and the classes laid out like it). */
  TaggedArray,
  /** param + 8·length (a tagged array with a longer header). */
  HeaderArray,
  /** param + 8·capacity (WeakArrayList, ArrayList: capacity, length, then slots). */
  CapacityList,
  /** round8(16 + length) (ByteArray). */
  Bytes,
  SeqOneByteString,
  SeqTwoByteString,
  FreeSpace,
  PropertyArray,
  DescriptorArray,
  BytecodeArray,
  FeedbackVector,
  FeedbackMetadata,
  BigInt,
  PreparseData,
  NativeContext,
  /** V8 11.3: the body size is in the Code the InstructionStream points back to. */
  InstructionStreamViaCode,
  InstructionStream,
  /** At least `param` bytes, then up to the next valid map word. */
  Resync,
}

/** Role: per-instance-type size rules of one layout. */
export class SizeRules {
  readonly rule = new Uint8Array(1 << 16);
  readonly param = new Int32Array(1 << 16);
  readonly stringLength: number;
  readonly oneByteChars: number;
  readonly twoByteChars: number;
  readonly freeSpaceUnit: number;
  readonly descriptorHeader: number;
  readonly descriptorSize: number;
  readonly bytecodeHeader: number;
  readonly feedbackVectorHeader: number;
  readonly feedbackMetadataHeader: number;
  readonly feedbackMetadataClosureBytes: number;
  readonly codeAlignment: number;
  readonly instructionStreamHeader: number;
  readonly instructionStreamBodySize: number;
  /** Code::instruction_size offset (V8 11.3's InstructionStream sizes); metadata_size follows it. */
  readonly codeInstructionSize: number;
  readonly nativeContextRaw: number;
  /** Instance types that are filler or free space (not objects). */
  readonly fillerTypes: ReadonlySet<number>;

  constructor(layout: V8Layout) {
    const L = layout.req;
    const o = layout.opt;
    const t = (name: string): number | undefined => layout.types.value(name);
    this.stringLength = L.String_length;
    this.oneByteChars = L.SeqOneByteString_chars;
    this.twoByteChars = L.SeqTwoByteString_chars;
    this.freeSpaceUnit = o.FreeSpace_size_unit ?? 1;
    this.descriptorHeader = o.DescriptorArray_header_size ?? -1;
    this.descriptorSize = (o.prop_desc_size ?? 3) * 8;
    this.bytecodeHeader = o.BytecodeArray_data ?? -1;
    this.feedbackVectorHeader = o.FeedbackVector_header_size ?? -1;
    this.feedbackMetadataHeader = o.FeedbackMetadata_header_size ?? -1;
    this.feedbackMetadataClosureBytes = o.FeedbackMetadata_closure_bytes ?? 0;
    this.codeAlignment = o.Code_alignment ?? 64;
    this.instructionStreamHeader = o.InstructionStream_instruction_start ?? -1;
    this.instructionStreamBodySize = o.InstructionStream_body_size ?? -1;
    this.codeInstructionSize = o.Code_instruction_size ?? -1;
    this.nativeContextRaw = o.NativeContext_raw_size ?? 8;

    const set = (type: number | undefined, rule: SizeRule, param = 0): void => {
      if (type === undefined || type < 0 || type >= 1 << 16) return;
      this.rule[type] = rule;
      this.param[type] = param;
    };
    // Everything variable-size that is not listed below: find its end by resynchronising.
    this.rule.fill(SizeRule.Resync);
    this.param.fill(16);
    const first = layout.req.FirstNonstringType;
    for (let type = 0; type < first; type++) {
      if ((type & L.StringRepresentationMask) !== L.SeqStringTag) continue;
      set(type, (type & L.StringEncodingMask) === L.OneByteStringTag ? SizeRule.SeqOneByteString : SizeRule.SeqTwoByteString);
    }
    const range = (lo: number | undefined, hi: number | undefined, rule: SizeRule): void => {
      if (lo === undefined || hi === undefined) return;
      for (let type = lo; type <= hi; type++) set(type, rule);
    };
    range(t('FIXED_ARRAY_TYPE'), o.LastFixedArrayType, SizeRule.TaggedArray);
    range(o.FirstContextType, o.LastContextType, SizeRule.TaggedArray);
    // FixedArray's subclasses by name, where a binary names them (most leave them unnamed).
    for (const [name, value] of layout.types.entries()) {
      if (/^(FIXED_ARRAY|HASH_TABLE|\w*_DICTIONARY|ORDERED_HASH_(MAP|SET)|EPHEMERON_HASH_TABLE|NAME_TO_INDEX_HASH_TABLE|REGISTERED_SYMBOL_TABLE|\w+_CONTEXT)_TYPE$/.test(name) && name !== 'SWISS_NAME_DICTIONARY_TYPE' && name !== 'SMALL_ORDERED_NAME_DICTIONARY_TYPE') set(value, SizeRule.TaggedArray);
    }
    set(o.NativeContextType ?? t('NATIVE_CONTEXT_TYPE'), SizeRule.NativeContext);
    for (const n of [
      'WEAK_FIXED_ARRAY_TYPE',
      'FIXED_DOUBLE_ARRAY_TYPE',
      'TRUSTED_FIXED_ARRAY_TYPE',
      'PROTECTED_FIXED_ARRAY_TYPE',
      'TRUSTED_WEAK_FIXED_ARRAY_TYPE',
      'PROTECTED_WEAK_FIXED_ARRAY_TYPE',
      'CLOSURE_FEEDBACK_CELL_ARRAY_TYPE',
      'EMBEDDER_DATA_ARRAY_TYPE',
    ]) {
      set(t(n), SizeRule.TaggedArray);
    }
    set(o.TransitionArrayType, SizeRule.TaggedArray);
    // V8 src/objects/arguments.tq: SloppyArgumentsElements { length, context, arguments, mapped_entries[length] }.
    set(t('SLOPPY_ARGUMENTS_ELEMENTS_TYPE'), SizeRule.HeaderArray, 32);
    if (o.ObjectBoilerplateDescription_header_size !== undefined) set(t('OBJECT_BOILERPLATE_DESCRIPTION_TYPE'), SizeRule.HeaderArray, o.ObjectBoilerplateDescription_header_size);
    if (o.RegExpMatchInfo_header_size !== undefined) set(t('REG_EXP_MATCH_INFO_TYPE'), SizeRule.HeaderArray, o.RegExpMatchInfo_header_size);
    // V8 src/objects/fixed-array.tq: WeakArrayList / ArrayList { capacity, length, objects[capacity] }.
    for (const n of ['WEAK_ARRAY_LIST_TYPE', 'ARRAY_LIST_TYPE', 'DEPENDENT_CODE_TYPE']) set(t(n), SizeRule.CapacityList, 24);
    set(t('BYTE_ARRAY_TYPE'), SizeRule.Bytes);
    set(t('TRUSTED_BYTE_ARRAY_TYPE'), SizeRule.Bytes);
    set(o.FreeSpaceType, SizeRule.FreeSpace);
    set(t('PROPERTY_ARRAY_TYPE'), SizeRule.PropertyArray);
    if (this.descriptorHeader >= 0) {
      set(t('DESCRIPTOR_ARRAY_TYPE'), SizeRule.DescriptorArray);
      set(t('STRONG_DESCRIPTOR_ARRAY_TYPE'), SizeRule.DescriptorArray);
    }
    if (this.bytecodeHeader >= 0) set(t('BYTECODE_ARRAY_TYPE'), SizeRule.BytecodeArray);
    if (this.feedbackVectorHeader >= 0) set(t('FEEDBACK_VECTOR_TYPE'), SizeRule.FeedbackVector);
    if (this.feedbackMetadataHeader >= 0) set(o.FeedbackMetadataType, SizeRule.FeedbackMetadata);
    set(o.BigIntType, SizeRule.BigInt);
    set(t('PREPARSE_DATA_TYPE'), SizeRule.PreparseData);
    if (this.instructionStreamHeader >= 0) {
      if (this.instructionStreamBodySize >= 0) set(t('INSTRUCTION_STREAM_TYPE'), SizeRule.InstructionStream);
      else if (this.codeInstructionSize >= 0) set(t('INSTRUCTION_STREAM_TYPE'), SizeRule.InstructionStreamViaCode);
    }
    // ScopeInfo: map, flags, parameter count, context-local count, … then optional fields whose
    // presence bits have no metadata; at least the counted slots, then resynchronise.
    set(t('SCOPE_INFO_TYPE'), SizeRule.Resync, 32);

    const fillers = new Set<number>();
    if (o.FillerType !== undefined) fillers.add(o.FillerType);
    if (o.FreeSpaceType !== undefined) fillers.add(o.FreeSpaceType);
    this.fillerTypes = fillers;
  }

  /**
   * Size of the object at `off` in `b` from its header (at least 24 bytes of it must be in `b`):
   * bytes, 0 when the walker must resynchronise (from `param`), or -1 for a corrupt header.
   * `mapSize` is Map::instance_size (0 = variable). `codeWord` reads a target word for the rules
   * that look outside the object (V8 11.3 InstructionStream).
   */
  size(b: Buffer, off: number, type: number, mapSize: number, readInt32: (address: number) => number | undefined, address: number): number {
    if (mapSize > 0) return mapSize;
    const smi = (at: number): number => (b.readUInt32LE(off + at) === 0 ? b.readInt32LE(off + at + 4) : -1);
    switch (this.rule[type] as SizeRule) {
      case SizeRule.TaggedArray:
        return lengthTimes(smi(8), 8, 16);
      case SizeRule.HeaderArray:
        return lengthTimes(smi(8), 8, this.param[type]!);
      case SizeRule.CapacityList:
        return lengthTimes(smi(8), 8, this.param[type]!);
      case SizeRule.Bytes:
        return round8(lengthTimes(smi(8), 1, 16));
      case SizeRule.SeqOneByteString:
        return round8(lengthTimes(b.readInt32LE(off + this.stringLength), 1, this.oneByteChars));
      case SizeRule.SeqTwoByteString:
        return round8(lengthTimes(b.readInt32LE(off + this.stringLength), 2, this.twoByteChars));
      case SizeRule.FreeSpace:
        return lengthTimes(smi(8), this.freeSpaceUnit, 0);
      case SizeRule.PropertyArray: {
        const lh = smi(8);
        return lh < 0 ? -1 : 16 + 8 * (lh & 0x3ff);
      }
      case SizeRule.DescriptorArray:
        return this.descriptorHeader + this.descriptorSize * b.readUInt16LE(off + 8);
      case SizeRule.BytecodeArray:
        return round8(lengthTimes(smi(8), 1, this.bytecodeHeader));
      case SizeRule.FeedbackVector:
        return lengthTimes(b.readInt32LE(off + 8), 8, this.feedbackVectorHeader);
      case SizeRule.FeedbackMetadata: {
        const slots = b.readInt32LE(off + 8);
        const closures = b.readInt32LE(off + 12);
        if (slots < 0 || slots > 1 << 24 || closures < 0 || closures > 1 << 24) return -1;
        // 5-bit FeedbackSlotKinds, six to an int32 word (V8 src/objects/feedback-vector.h), then
        // (V8 ≥ 13) a uint16 per create-closure slot.
        return round8(this.feedbackMetadataHeader + 4 * Math.ceil(slots / 6) + this.feedbackMetadataClosureBytes * closures);
      }
      case SizeRule.BigInt:
        return 16 + 8 * ((b.readUInt32LE(off + 8) >>> 1) & 0x3fffffff);
      case SizeRule.PreparseData: {
        const data = b.readInt32LE(off + 8);
        const children = b.readInt32LE(off + 12);
        return data < 0 || children < 0 || data > 1 << 28 || children > 1 << 24 ? -1 : round8(16 + data) + 8 * children;
      }
      case SizeRule.NativeContext: {
        const n = lengthTimes(smi(8), 8, 16);
        return n < 0 ? -1 : n + this.nativeContextRaw;
      }
      case SizeRule.InstructionStream: {
        const body = b.readInt32LE(off + this.instructionStreamBodySize);
        return body < 0 || body > 1 << 28 ? -1 : roundTo(this.instructionStreamHeader + body, this.codeAlignment);
      }
      case SizeRule.InstructionStreamViaCode: {
        // V8 11.3 src/objects/instruction-stream.h: body = code.instruction_size + code.metadata_size.
        const lo = b.readUInt32LE(off + 8);
        const hi = b.readUInt32LE(off + 12);
        if ((lo & 3) !== 1 || hi >= 0x8000) return -1;
        const code = hi * 0x1_0000_0000 + (lo - 1);
        const instr = readInt32(code + this.codeInstructionSize);
        const meta = readInt32(code + this.codeInstructionSize + 4);
        if (instr === undefined || meta === undefined || instr < 0 || meta < 0 || instr + meta > 1 << 28) return -1;
        return roundTo(this.instructionStreamHeader + instr + meta, this.codeAlignment);
      }
      default:
        void address;
        return 0;
    }
  }

  /** Fewest bytes a resynchronised object of `type` spans. */
  resyncFrom(type: number): number {
    return this.rule[type] === SizeRule.Resync ? this.param[type]! : 16;
  }
}

function lengthTimes(length: number, unit: number, header: number): number {
  return length < 0 || length > 1 << 28 ? -1 : header + length * unit;
}

function round8(n: number): number {
  return n < 0 ? n : Math.ceil(n / 8) * 8;
}

function roundTo(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
