// The V8 constants nodescope uses, as data: logical name → metadata symbol(s) with aliases across
// Node majors, and a fallback only where V8's own sources document the value. Class fields match
// by prefix `v8dbg_class_<Class>__<field>__` because the type suffix drifts (`Object` →
// `Tagged_Object_`). Checked against the symbol sets of Node 18, 20, 22, 24 and 26.

/** How to find a fallback from constants already loaded, with the upstream fact it rests on. */
export interface Fallback {
  readonly value: (get: (name: string) => number | undefined) => number | undefined;
  readonly doc: string;
}

/** Role: one row of the constant table. */
export interface ConstantRow {
  /** Exact symbol names, or prefixes ending in `__` (class fields), tried in order. */
  readonly symbols: readonly string[];
  readonly fallback?: Fallback;
}

/** A class-field row: `v8dbg_class_<cls>__<field>__*`, trying each field alias in order. */
function field(cls: string, ...fields: string[]): ConstantRow {
  return { symbols: fields.map((f) => `v8dbg_class_${cls}__${f}__`) };
}

/** A plain `v8dbg_<name>` row, with optional aliases. */
function v8(...names: string[]): ConstantRow {
  return { symbols: names.map((n) => `v8dbg_${n}`) };
}

function withFallback(row: ConstantRow, fallback: Fallback): ConstantRow {
  return { ...row, fallback };
}

/** The constant `name` plus `bytes`, when `name` is known. */
function bytesAfter(get: (name: string) => number | undefined, name: string, bytes: number): number | undefined {
  const at = get(name);
  return at === undefined ? undefined : at + bytes;
}

/** Offset `slots` tagged slots after (or, when negative, before) the constant `name`. */
function taggedAfter(get: (name: string) => number | undefined, name: string, slots: number): number | undefined {
  const at = get(name);
  const ts = get('TaggedSize');
  return at === undefined || ts === undefined ? undefined : at + slots * ts;
}

/** Offset of the `index`-th own field of a JSObject subclass (after map, properties, elements). */
function afterElements(get: (name: string) => number | undefined, index: number): number | undefined {
  const el = get('JSObject_elements');
  const ts = get('TaggedSize');
  return el === undefined || ts === undefined ? undefined : el + (index + 1) * ts;
}

/** Role: constants without which no stack can be read; a missing one fails the load. */
export const REQUIRED = {
  SmiShiftSize: v8('SmiShiftSize'),
  SmiTagMask: v8('SmiTagMask'),
  SmiTag: v8('SmiTag'),
  HeapObjectTag: v8('HeapObjectTag'),
  HeapObjectTagMask: v8('HeapObjectTagMask'),
  PointerSize: v8('SystemPointerSize', 'PointerSize'),
  TaggedSize: withFallback(v8('TaggedSize'), {
    value: (get) => get('PointerSize'),
    doc: 'V8 src/common/globals.h: kTaggedSize == kSystemPointerSize without pointer compression',
  }),

  FirstNonstringType: v8('FirstNonstringType'),
  IsNotStringMask: v8('IsNotStringMask'),
  StringEncodingMask: v8('StringEncodingMask'),
  StringRepresentationMask: v8('StringRepresentationMask'),
  OneByteStringTag: v8('OneByteStringTag', 'AsciiStringTag'),
  TwoByteStringTag: v8('TwoByteStringTag'),
  SeqStringTag: v8('SeqStringTag'),
  ConsStringTag: v8('ConsStringTag'),
  SlicedStringTag: v8('SlicedStringTag'),
  ThinStringTag: v8('ThinStringTag'),
  ExternalStringTag: v8('ExternalStringTag'),

  HeapObject_map: field('HeapObject', 'map'),
  Map_instance_type: field('Map', 'instance_type'),
  String_length: field('String', 'length'),
  SeqOneByteString_chars: field('SeqOneByteString', 'chars'),
  SeqTwoByteString_chars: field('SeqTwoByteString', 'chars'),
  ConsString_first: field('ConsString', 'first'),
  ConsString_second: field('ConsString', 'second'),
  SlicedString_parent: field('SlicedString', 'parent'),
  SlicedString_offset: field('SlicedString', 'offset'),
  ThinString_actual: field('ThinString', 'actual'),
  ExternalString_resource: field('ExternalString', 'resource'),
  HeapNumber_value: field('HeapNumber', 'value'),
  Oddball_kind: field('Oddball', 'kind', 'kind_offset'),
  OddballUndefined: v8('OddballUndefined'),
  OddballNull: v8('OddballNull'),
  OddballTrue: v8('OddballTrue'),
  OddballFalse: v8('OddballFalse'),

  FixedArrayBase_length: field('FixedArrayBase', 'length'),
  FixedArray_data: field('FixedArray', 'data'),

  JSFunction_shared: field('JSFunction', 'shared'),
  JSFunction_context: field('JSFunction', 'context'),
  SharedFunctionInfo_name_or_scope_info: field('SharedFunctionInfo', 'name_or_scope_info'),
  SharedFunctionInfo_script: field('SharedFunctionInfo', 'script', 'raw_script', 'script_or_debug_info'),
  SharedFunctionInfo_internal_formal_parameter_count: field(
    'SharedFunctionInfo',
    'internal_formal_parameter_count',
    'formal_parameter_count',
  ),
  SharedFunctionInfo_raw_function_token_offset: field('SharedFunctionInfo', 'raw_function_token_offset', 'function_token_offset'),
  SharedFunctionInfo_flags: field('SharedFunctionInfo', 'flags'),
  Script_name: field('Script', 'name'),
  Script_source: field('Script', 'source'),
  Script_line_ends: field('Script', 'line_ends'),

  off_fp_context_or_frame_type: v8('off_fp_context_or_frame_type', 'off_fp_context'),
  off_fp_function: v8('off_fp_function'),
  off_fp_args: v8('off_fp_args'),
} as const satisfies Record<string, ConstantRow>;

/** Role: constants that improve output (previews, current line, tiers) but are not essential. */
export const OPTIONAL = {
  OddballTheHole: v8('OddballTheHole'),
  FirstJSFunctionType: v8('FirstJSFunctionType'),
  LastJSFunctionType: v8('LastJSFunctionType'),

  off_fp_bytecode_array: v8('off_fp_bytecode_array'),
  off_fp_bytecode_offset: v8('off_fp_bytecode_offset'),
  off_fp_argc: withFallback(v8('off_fp_argc'), {
    value: (get) => {
      const fn = get('off_fp_function');
      const ps = get('PointerSize');
      return fn === undefined || ps === undefined ? undefined : fn - ps;
    },
    doc: 'V8 src/execution/frame-constants.h: StandardFrameConstants::kArgCOffset is the slot below kFunctionOffset',
  }),

  UncompiledData_inferred_name: field('UncompiledData', 'inferred_name'),
  UncompiledData_start_position: field('UncompiledData', 'start_position'),
  UncompiledData_end_position: field('UncompiledData', 'end_position'),
  SharedFunctionInfo_function_data: field('SharedFunctionInfo', 'function_data'),
  SharedFunctionInfo_length: field('SharedFunctionInfo', 'length'),

  BytecodeArray_data: field('BytecodeArray', 'data'),
  BytecodeArray_length: withFallback(field('BytecodeArray', 'length'), {
    value: (get) => get('FixedArrayBase_length'),
    doc: 'V8 src/objects/bytecode-array.tq (V8 ≤ 11): BytecodeArray extends FixedArrayBase',
  }),
  BytecodeArray_wrapper: field('BytecodeArray', 'wrapper'),
  BytecodeArray_source_position_table: withFallback(field('BytecodeArray', 'source_position_table'), {
    value: (get) => {
      const wrapper = get('BytecodeArray_wrapper');
      const ts = get('TaggedSize');
      if (ts === undefined) return undefined;
      if (wrapper !== undefined) return wrapper + ts;
      const len = get('FixedArrayBase_length');
      return len === undefined ? undefined : len + 3 * ts;
    },
    doc:
      'V8 src/objects/bytecode-array.h (V8 ≥ 12): length, wrapper, source_position_table, …; ' +
      'V8 src/objects/bytecode-array.tq (V8 10–11): length, constant_pool, handler_table, source_position_table',
  }),

  Map_bit_field2: field('Map', 'bit_field2'),
  Map_bit_field3: field('Map', 'bit_field3'),
  Map_instance_size_in_words: field('Map', 'instance_size_in_words', 'instance_size'),
  Map_inobject_properties_start: field(
    'Map',
    'inobject_properties_start_or_constructor_function_index',
    'inobject_properties_or_constructor_function_index',
  ),
  Map_instance_descriptors: field('Map', 'instance_descriptors'),
  Map_constructor_or_back_pointer: field('Map', 'constructor_or_back_pointer'),
  Map_prototype: field('Map', 'prototype'),
  bit_field3_number_of_own_descriptors_mask: v8('bit_field3_number_of_own_descriptors_mask'),
  bit_field3_number_of_own_descriptors_shift: v8('bit_field3_number_of_own_descriptors_shift'),
  bit_field3_is_dictionary_map_shift: v8('bit_field3_is_dictionary_map_shift'),
  bit_field2_elements_kind_mask: v8('bit_field2_elements_kind_mask'),
  bit_field2_elements_kind_shift: v8('bit_field2_elements_kind_shift'),
  bit_field3_is_prototype_map_shift: withFallback(v8('bit_field3_is_prototype_map_shift'), {
    value: (get) => {
      const dict = get('bit_field3_is_dictionary_map_shift');
      return dict === undefined ? undefined : dict - 1;
    },
    doc: 'V8 src/objects/map.tq MapBitFields3: … number_of_own_descriptors, is_prototype_map, is_dictionary_map, …',
  }),
  bit_field2_new_target_is_base_shift: withFallback(v8('bit_field2_new_target_is_base_shift'), {
    value: (get) => {
      const kind = get('bit_field2_elements_kind_shift');
      return kind === 2 ? 0 : undefined;
    },
    doc: 'V8 src/objects/map.tq MapBitFields2: new_target_is_base, is_immutable_prototype, then elements_kind (at bit 2)',
  }),

  JSReceiver_raw_properties_or_hash: field('JSReceiver', 'raw_properties_or_hash', 'properties'),
  JSObject_elements: field('JSObject', 'elements'),
  /** Where an API object's embedder (internal) fields start, before any wrapper slot (JSObject::kHeaderSize). */
  JSObject_internal_fields: field('JSObject', 'internal_fields'),
  /** Instance types of API objects (JS wrappers of C++ objects made from templates). */
  APIObjectType: v8('APIObjectType'),
  SpecialAPIObjectType: v8('SpecialAPIObjectType'),
  JSArray_length: withFallback(field('JSArray', 'length'), {
    value: (get) => taggedAfter(get, 'JSObject_elements', 1),
    doc: 'V8 src/objects/js-array.tq: JSArray extends JSObject { length } right after elements',
  }),
  PropertyArray_length_and_hash: withFallback(field('PropertyArray', 'length_and_hash'), {
    value: (get) => get('FixedArrayBase_length'),
    doc: 'V8 src/objects/property-array.tq: length_and_hash follows the map, like FixedArrayBase::length',
  }),
  DescriptorArray_header_size: field('DescriptorArray', 'header_size'),
  namedictionary_prefix_start_index: v8('namedictionary_prefix_start_index'),
  prop_desc_size: withFallback(v8('prop_desc_size'), { value: () => 3, doc: 'V8 src/objects/descriptor-array.h: kEntrySize = 3 ({key, details, value})' }),
  prop_desc_key: withFallback(v8('prop_desc_key'), { value: () => 0, doc: 'V8 src/objects/descriptor-array.h: kEntryKeyIndex = 0' }),
  prop_desc_details: withFallback(v8('prop_desc_details'), { value: () => 1, doc: 'V8 src/objects/descriptor-array.h: kEntryDetailsIndex = 1' }),
  prop_desc_value: withFallback(v8('prop_desc_value'), { value: () => 2, doc: 'V8 src/objects/descriptor-array.h: kEntryValueIndex = 2' }),
  prop_index_mask: v8('prop_index_mask'),
  prop_index_shift: v8('prop_index_shift'),
  prop_location_mask: v8('prop_location_mask'),
  prop_location_shift: v8('prop_location_shift'),
  prop_location_Field: v8('prop_location_Field'),
  prop_location_Descriptor: v8('prop_location_Descriptor'),
  prop_kind_mask: v8('prop_kind_mask'),
  prop_kind_Data: v8('prop_kind_Data'),
  prop_kind_Accessor: v8('prop_kind_Accessor'),
  prop_representation_mask: v8('prop_representation_mask'),
  prop_representation_shift: v8('prop_representation_shift'),
  prop_representation_smi: v8('prop_representation_smi'),
  prop_representation_double: v8('prop_representation_double'),
  prop_representation_heapobject: v8('prop_representation_heapobject'),
  prop_representation_tagged: v8('prop_representation_tagged'),

  Code_wrapper: field('Code', 'wrapper'),
  InstructionStream_instruction_start: field('InstructionStream', 'instruction_start'),
  Code_position_table: withFallback(field('Code', 'position_table', 'bytecode_offset_table'), {
    value: (get) => taggedAfter(get, 'Code_wrapper', -1),
    doc: 'V8 src/objects/code.h (V8 ≥ 12): the position table (source positions, or bytecode offsets of baseline code) precedes the wrapper',
  }),
  CodeKindFieldMask: v8('CodeKindFieldMask'),
  CodeKindFieldShift: v8('CodeKindFieldShift'),
  CodeKindInterpretedFunction: v8('CodeKindInterpretedFunction'),
  CodeKindBaseline: v8('CodeKindBaseline'),

  Symbol_name: field('Symbol', 'name', 'description'),
  scopeinfo_idx_nparams: v8('scopeinfo_idx_nparams'),
  scopeinfo_idx_ncontextlocals: v8('scopeinfo_idx_ncontextlocals'),
  scopeinfo_idx_first_vars: v8('scopeinfo_idx_first_vars'),
  context_idx_scope_info: v8('context_idx_scope_info'),
  context_idx_prev: v8('context_idx_prev'),

  ExternalString_data_node: { symbols: ['nodedbg_offset_ExternalString__data__'] },

  // Node's own state (#9): the Environment from a native context, and Node's intrusive queues
  // (nodejs/node src/node_postmortem_metadata.cc). Values sit in .bss on Node 20-24 (filled by a
  // static constructor) and partly in .data on 26: the loader reads both from target memory.
  Map_native_context: field('Map', 'native_context'),
  native_context_embedder_data_offset: v8('native_context_embedder_data_offset'),
  ContextEmbedderIndex_kEnvironment: {
    symbols: ['nodedbg_const_ContextEmbedderIndex__kEnvironment__int', 'nodedbg_const_Environment__kContextEmbedderDataIndex__int'],
  },
  BaseObject_persistent_handle: { symbols: ['nodedbg_offset_BaseObject__persistent_handle___'] },
  Environment_handle_wrap_queue: { symbols: ['nodedbg_offset_Environment__handle_wrap_queue___'] },
  Environment_req_wrap_queue: { symbols: ['nodedbg_offset_Environment__req_wrap_queue___'] },
  HandleWrapQueue_head: withFallback({ symbols: ['nodedbg_offset_Environment_HandleWrapQueue__head___'] }, {
    value: () => 0,
    doc: 'nodejs/node src/util.h: ListHead<T, M> holds its sentinel ListNode head_ as its only member',
  }),
  ReqWrapQueue_head: withFallback({ symbols: ['nodedbg_offset_Environment_ReqWrapQueue__head___'] }, {
    value: () => 0,
    doc: 'nodejs/node src/util.h: ListHead<T, M> holds its sentinel ListNode head_ as its only member',
  }),
  HandleWrap_handle_wrap_queue: { symbols: ['nodedbg_offset_HandleWrap__handle_wrap_queue___'] },
  ReqWrap_req_wrap_queue: { symbols: ['nodedbg_offset_ReqWrap__req_wrap_queue___'] },
  ListNode_HandleWrap_next: { symbols: ['nodedbg_offset_ListNode_HandleWrap__next___'] },
  ListNode_ReqWrap_next: { symbols: ['nodedbg_offset_ListNode_ReqWrap__next___'] },

  // Rows added for `print` (#3). Classes without metadata get fallbacks from their Torque
  // definitions: a JSObject subclass's first own field follows map, properties and elements.
  prop_attributes_mask: v8('prop_attributes_mask'),
  prop_attributes_shift: withFallback(v8('prop_attributes_shift'), { value: () => 2, doc: 'V8 src/objects/property-details.h: AttributesField follows KindField and ConstnessField (bit 2)' }),
  prop_attributes_DONT_ENUM: v8('prop_attributes_DONT_ENUM'),
  namedictionaryshape_prefix_size: withFallback(v8('namedictionaryshape_prefix_size'), { value: () => 2, doc: 'V8 src/objects/dictionary.h: NameDictionaryShape::kPrefixSize = 2 (next enumeration index, object hash)' }),
  namedictionaryshape_entry_size: withFallback(v8('namedictionaryshape_entry_size'), { value: () => 3, doc: 'V8 src/objects/dictionary.h: NameDictionaryShape::kEntrySize = 3 ({key, value, details})' }),
  numberdictionaryshape_prefix_size: v8('numberdictionaryshape_prefix_size'),
  numberdictionaryshape_entry_size: v8('numberdictionaryshape_entry_size'),
  elements_dictionary_elements: v8('elements_dictionary_elements'),
  context_min_slots: v8('context_min_slots'),
  AccessorPair_getter: withFallback(field('AccessorPair', 'getter'), {
    value: (get) => get('TaggedSize'),
    doc: 'V8 src/objects/struct.tq: AccessorPair extends Struct { getter, setter }',
  }),
  AccessorPair_setter: withFallback(field('AccessorPair', 'setter'), {
    value: (get) => {
      const ts = get('TaggedSize');
      return ts === undefined ? undefined : 2 * ts;
    },
    doc: 'V8 src/objects/struct.tq: AccessorPair extends Struct { getter, setter }',
  }),
  Symbol_flags: withFallback(field('Symbol', 'flags'), {
    value: (get) => {
      const name = get('Symbol_name');
      return name === undefined ? undefined : name - 4;
    },
    doc: 'V8 src/objects/name.tq: Symbol extends Name { flags: SymbolFlags (uint32, bit 0 is_private); description }',
  }),
  JSPrimitiveWrapper_value: withFallback(field('JSPrimitiveWrapper', 'value'), {
    value: (get) => afterElements(get, 0),
    doc: 'V8 src/objects/js-primitive-wrapper.tq: JSPrimitiveWrapper extends JSCustomElementsObject { value }',
  }),
  JSDate_value: withFallback(field('JSDate', 'value'), {
    value: (get) => afterElements(get, 0),
    doc: 'V8 src/objects/js-date.tq: JSDate extends JSObject { value: NumberOrUndefined, … }',
  }),
  JSRegExp_source: field('JSRegExp', 'source'),
  JSRegExp_flags: withFallback(field('JSRegExp', 'flags'), {
    value: (get) => taggedAfter(get, 'JSRegExp_source', 1),
    doc: 'V8 src/objects/js-regexp.tq: JSRegExp extends JSObject { data, source, flags: SmiTagged<JSRegExpFlags> }',
  }),
  JSCollection_table: withFallback(field('JSCollection', 'table'), {
    value: (get) => afterElements(get, 0),
    doc: 'V8 src/objects/js-collection.tq: JSCollection extends JSObject { table }',
  }),
  JSWeakCollection_table: withFallback(field('JSWeakCollection', 'table'), {
    value: (get) => afterElements(get, 0),
    doc: 'V8 src/objects/js-collection.tq: JSWeakCollection extends JSObject { table }',
  }),
  JSPromise_reactions_or_result: withFallback(field('JSPromise', 'reactions_or_result'), {
    value: (get) => afterElements(get, 0),
    doc: 'V8 src/objects/js-promise.tq: JSPromise extends JSObject { reactions_or_result, flags }',
  }),
  JSPromise_flags: withFallback(field('JSPromise', 'flags'), {
    value: (get) => afterElements(get, 1),
    doc: 'V8 src/objects/js-promise.tq: JSPromise extends JSObject { reactions_or_result, flags: SmiTagged<JSPromiseFlags> }',
  }),
  JSBoundFunction_bound_target_function: withFallback(field('JSBoundFunction', 'bound_target_function'), {
    value: (get) => afterElements(get, 0),
    doc: 'V8 src/objects/js-function.tq: JSBoundFunction extends JSFunctionOrBoundFunction { bound_target_function, bound_this, bound_arguments }',
  }),
  JSBoundFunction_bound_this: withFallback(field('JSBoundFunction', 'bound_this'), {
    value: (get) => afterElements(get, 1),
    doc: 'V8 src/objects/js-function.tq: JSBoundFunction { bound_target_function, bound_this, bound_arguments }',
  }),
  JSBoundFunction_bound_arguments: withFallback(field('JSBoundFunction', 'bound_arguments'), {
    value: (get) => afterElements(get, 2),
    doc: 'V8 src/objects/js-function.tq: JSBoundFunction { bound_target_function, bound_this, bound_arguments: FixedArray }',
  }),
  JSProxy_target: withFallback(field('JSProxy', 'target'), {
    value: (get) => taggedAfter(get, 'JSReceiver_raw_properties_or_hash', 1),
    doc: 'V8 src/objects/js-proxy.tq: JSProxy extends JSReceiver { target, handler } (no elements field)',
  }),
  JSProxy_handler: withFallback(field('JSProxy', 'handler'), {
    value: (get) => taggedAfter(get, 'JSReceiver_raw_properties_or_hash', 2),
    doc: 'V8 src/objects/js-proxy.tq: JSProxy extends JSReceiver { target, handler }',
  }),
  BigInt_bitfield: withFallback(field('BigIntBase', 'bitfield'), {
    value: (get) => get('TaggedSize'),
    doc: 'V8 src/objects/bigint.tq: BigIntBase { bitfield: uint32 (bit 0 sign, bits 1–30 length) } after the map',
  }),
  BigInt_digits: withFallback(field('BigIntBase', 'digits'), {
    value: (get) => bytesAfter(get, 'TaggedSize', 8),
    doc: 'V8 src/objects/bigint.tq: bitfield uint32, optional_padding uint32 (64-bit), then digits[length]: uintptr',
  }),
  JSArrayBuffer_backing_store: field('JSArrayBuffer', 'backing_store'),
  JSArrayBuffer_byte_length: field('JSArrayBuffer', 'byte_length'),
  JSArrayBuffer_bit_field: withFallback(field('JSArrayBuffer', 'bit_field'), {
    value: (get) => {
      const bs = get('JSArrayBuffer_backing_store');
      return bs === undefined ? undefined : bs + 16;
    },
    doc: 'V8 src/objects/js-array-buffer.tq: … backing_store: ExternalPointer, extension: RawPtr, bit_field: JSArrayBufferFlags',
  }),
  jsarray_buffer_was_detached_mask: v8('jsarray_buffer_was_detached_mask'),
  jsarray_buffer_was_detached_shift: v8('jsarray_buffer_was_detached_shift'),
  JSArrayBufferView_byte_offset: field('JSArrayBufferView', 'byte_offset'),
  JSArrayBufferView_byte_length: field('JSArrayBufferView', 'byte_length'),
  JSArrayBufferView_buffer: withFallback(field('JSArrayBufferView', 'buffer'), {
    // From V8 13 the view starts like an API object, with the cpp_heap_wrappable slot after elements.
    value: (get) => {
      const v = get('V8Version');
      return v === undefined ? undefined : taggedAfter(get, 'JSObject_elements', v >= 13000 ? 2 : 1);
    },
    doc: 'V8 src/objects/js-array-buffer.tq: JSArrayBufferView { buffer: JSArrayBuffer, raw_byte_offset, raw_byte_length } right after the JSObject header; from V8 13 after the API object wrapper slot too (24 on Node 20 and 22, 32 on Node 24 and 26; checked against each typed array\'s JSArrayBuffer)',
  }),
  JSTypedArray_external_pointer: field('JSTypedArray', 'external_pointer'),
  JSTypedArray_base_pointer: field('JSTypedArray', 'base_pointer'),
  JSFunction_prototype_or_initial_map: field('JSFunction', 'prototype_or_initial_map'),
  JSFunction_raw_feedback_cell: field('JSFunction', 'raw_feedback_cell', 'feedback_cell'),

  // What a JSFunction runs (`function`, #3). Node 20 (V8 11.3) has no metadata for JSFunction::code
  // nor for Code's raw fields; V8 ≥ 13 has a dispatch handle instead of JSFunction::code.
  JSFunction_code: withFallback(field('JSFunction', 'code'), {
    value: (get) => {
      const cell = get('JSFunction_raw_feedback_cell');
      const proto = get('JSFunction_prototype_or_initial_map');
      const ts = get('TaggedSize');
      if (cell === undefined || proto === undefined || ts === undefined) return undefined;
      return cell + ts < proto ? cell + ts : undefined;
    },
    doc: 'V8 11.3 src/objects/js-function.tq: JSFunction { shared_function_info, context, feedback_cell, code, prototype_or_initial_map }: code is the slot between feedback_cell and prototype_or_initial_map, where there is one',
  }),
  JSFunction_dispatch_handle: withFallback(field('JSFunction', 'dispatch_handle'), {
    value: (get) => {
      const shared = get('JSFunction_shared');
      const el = get('JSObject_elements');
      const ts = get('TaggedSize');
      if (get('JSFunction_code') !== undefined || shared === undefined || el === undefined || ts === undefined) return undefined;
      return shared === el + 2 * ts ? el + ts : undefined;
    },
    doc: 'V8 ≥ 13 src/objects/js-function.tq: with V8_ENABLE_LEAPTIERING, JSFunction starts with dispatch_handle: int32 (padded to a tagged slot) before shared_function_info',
  }),
  Code_instruction_start: withFallback(field('Code', 'instruction_start'), {
    value: (get) => taggedAfter(get, 'Code_position_table', 2),
    doc: 'V8 11.3 src/objects/code.h CODE_DATA_FIELDS: relocation_info, deoptimization_data_or_interpreter_data, position_table, instruction_stream, then the raw instruction_start',
  }),
  Code_flags: withFallback(field('Code', 'flags'), {
    value: (get) => {
      const start = get('Code_instruction_start');
      const ps = get('PointerSize');
      return start === undefined || ps === undefined ? undefined : start + ps;
    },
    doc: 'V8 11.3 src/objects/code.h CODE_DATA_FIELDS: flags (int32) follows instruction_start',
  }),
  Code_instruction_size: withFallback(field('Code', 'instruction_size'), {
    value: (get) => bytesAfter(get, 'Code_flags', 8),
    doc: 'V8 11.3 src/objects/code.h CODE_DATA_FIELDS: flags (int32), builtin_id (int16), kind_specific_flags (uint16), then instruction_size (int)',
  }),
} as const satisfies Record<string, ConstantRow>;

/** Logical name of a required constant. */
export type RequiredName = keyof typeof REQUIRED;
/** Logical name of an optional constant. */
export type OptionalName = keyof typeof OPTIONAL;
