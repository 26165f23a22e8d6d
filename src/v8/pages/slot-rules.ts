// Which words of a heap object are strong references, per instance type, after V8's body
// descriptors (V8 src/objects/objects-body-descriptors-inl.h): by default every word after the
// map may hold a tagged pointer (a word that is not a strong pointer to an object start is not an
// edge), except where a class keeps raw data (string characters, byte arrays, machine code,
// doubles, backing-store pointers) or a field V8 treats as weak (JSWeakRef::target, WeakCell
// target and unregister token; EphemeronHashTable entries are ephemerons, handled by the graph).
import type { V8Layout } from '../layout/v8-layout.js';

/** Role: how the strong slots of an instance type are found. */
export const enum SlotRule {
  /** Every word in [8, size). */
  All = 0,
  /** No references at all (raw data). */
  None,
  /** Words in [8, param). */
  Prefix,
  /** Words in [param, param2]: an inclusive range of two offsets. */
  Between,
  /** Words in [param, size). */
  From,
  /** PreparseData: the children after round8(16 + data_length). */
  Preparse,
  /** NativeContext: the slots, not the raw tail. */
  NativeContext,
  /** Every word in [8, size) but the one at param (and param2 when ≥ 0): weak fields. */
  AllBut,
  /** EphemeronHashTable: the graph marks values only when their keys are live. */
  Ephemeron,
}

/** Role: per-instance-type slot rules of one layout. */
export class SlotRules {
  readonly rule = new Uint8Array(1 << 16);
  readonly param = new Int32Array(1 << 16);
  readonly param2 = new Int32Array(1 << 16).fill(-1);
  readonly nativeContextRaw: number;

  constructor(layout: V8Layout) {
    const L = layout.req;
    const o = layout.opt;
    const t = (name: string): number | undefined => layout.types.value(name);
    const set = (type: number | undefined, rule: SlotRule, param = 0, param2 = -1): void => {
      if (type === undefined || type < 0 || type >= 1 << 16) return;
      this.rule[type] = rule;
      this.param[type] = param;
      this.param2[type] = param2;
    };
    this.nativeContextRaw = o.NativeContext_raw_size ?? 8;
    for (let type = 0; type < L.FirstNonstringType; type++) {
      const rep = type & L.StringRepresentationMask;
      if (rep === L.ConsStringTag) set(type, SlotRule.Between, L.ConsString_first, L.ConsString_second);
      else if (rep === L.SlicedStringTag) set(type, SlotRule.Between, L.SlicedString_parent, L.SlicedString_parent);
      else if (rep === L.ThinStringTag) set(type, SlotRule.Between, L.ThinString_actual, L.ThinString_actual);
      else set(type, SlotRule.None);
    }
    for (const n of ['HEAP_NUMBER_TYPE', 'BYTE_ARRAY_TYPE', 'TRUSTED_BYTE_ARRAY_TYPE', 'FIXED_DOUBLE_ARRAY_TYPE', 'FOREIGN_TYPE', 'EXTERNAL_POINTER_ARRAY_TYPE']) set(t(n), SlotRule.None);
    set(o.BigIntType, SlotRule.None);
    set(o.FeedbackMetadataType, SlotRule.None);
    set(o.FillerType, SlotRule.None);
    set(o.FreeSpaceType, SlotRule.None);
    if (o.BytecodeArray_data !== undefined) set(t('BYTECODE_ARRAY_TYPE'), SlotRule.Prefix, o.BytecodeArray_data);
    if (o.InstructionStream_instruction_start !== undefined) set(t('INSTRUCTION_STREAM_TYPE'), SlotRule.Prefix, o.InstructionStream_instruction_start);
    if (o.Code_instruction_start !== undefined) set(t('CODE_TYPE'), SlotRule.Prefix, o.Code_instruction_start);
    if (o.JSArrayBuffer_backing_store !== undefined) set(t('JS_ARRAY_BUFFER_TYPE'), SlotRule.Prefix, o.JSArrayBuffer_backing_store);
    if (o.DescriptorArray_header_size !== undefined) {
      set(t('DESCRIPTOR_ARRAY_TYPE'), SlotRule.From, o.DescriptorArray_header_size);
      set(t('STRONG_DESCRIPTOR_ARRAY_TYPE'), SlotRule.From, o.DescriptorArray_header_size);
    }
    // V8 src/objects/map.h: the raw byte fields and bit_field3 come before the first tagged field.
    const mapFirst = Math.min(...[o.Map_prototype, o.Map_constructor_or_back_pointer, o.Map_instance_descriptors].filter((x): x is number => x !== undefined));
    if (Number.isFinite(mapFirst)) set(t('MAP_TYPE'), SlotRule.From, mapFirst);
    set(t('PREPARSE_DATA_TYPE'), SlotRule.Preparse);
    set(o.NativeContextType, SlotRule.NativeContext);
    // V8 src/objects/js-weak-refs.tq: JSWeakRef { target } after the JSObject header; WeakCell
    // { finalization_registry, target, unregister_token, … }: the target fields are weak.
    const elements = o.JSObject_elements;
    if (elements !== undefined) set(t('JS_WEAK_REF_TYPE'), SlotRule.AllBut, elements + 8);
    set(t('WEAK_CELL_TYPE'), SlotRule.AllBut, 16, 24);
  }

  /** Marks `type` as the EphemeronHashTable type (found from a JSWeakMap's table). */
  setEphemeronType(type: number): void {
    this.rule[type] = SlotRule.Ephemeron;
  }
}
