// Layout facts of the V8 heap itself (pages, free space, size formulas) that the postmortem
// metadata does not carry: documented per-version facts with the V8 source they come from, each
// checked against the official Node 20, 22, 24 and 26 binaries, and instance types Torque numbers
// by position. They are rows like any other, so `nodescope layout` shows them; the page walker
// validates every one structurally before trusting it.
import type { ConstantRow, Fallback } from './constant-table.js';

type Get = (name: string) => number | undefined;

/** A fact that holds from a V8 version on: `[major, minor, value]`, oldest first. */
type Since = readonly (readonly [number, number, number | undefined])[];

/** The value of the newest fact whose version is not after the binary's (`V8Version` = major·1000 + minor). */
function since(get: Get, facts: Since): number | undefined {
  const v = get('V8Version');
  if (v === undefined) return undefined;
  let out: number | undefined;
  let known = false;
  for (const [major, minor, value] of facts) {
    if (major * 1000 + minor <= v) {
      out = value;
      known = true;
    }
  }
  return known ? out : undefined;
}

function fact(doc: string, facts: Since): ConstantRow {
  return { symbols: [], fallback: { value: (get) => since(get, facts), doc } };
}

function derived(value: Fallback['value'], doc: string, symbols: readonly string[] = []): ConstantRow {
  return { symbols, fallback: { value, doc } };
}

function taggedAfter(get: Get, name: string, slots: number): number | undefined {
  const at = get(name);
  const ts = get('TaggedSize');
  return at === undefined || ts === undefined ? undefined : at + slots * ts;
}

function typeAfter(get: Get, name: string, delta: number): number | undefined {
  const t = get(`type:${name}`);
  return t === undefined ? undefined : t + delta;
}

/** Field offsets of a page's chunk record: the page header before V8 13, its off-page metadata since. */
const CHUNK = 'V8 10.2 and 11.3 src/heap/basic-memory-chunk.h (size_, main_thread_flags_, heap_, area_start_, area_end_, …, owner_, reservation_); V8 12.4 src/heap/memory-chunk.h (main_thread_flags_, chunk address, size_, heap_, area_start_, area_end_, …, owner_); V8 13.6/14.6 src/heap/memory-chunk-metadata.h (off-page: page allocator, chunk address, size_, …, area_end_, heap_, area_start_, owner_)';

/** Role: heap facts by logical name (all optional: a missing one disables the heap walk, named). */
export const HEAP = {
  JSAPIObject_wrapper_slot_size: fact('V8 13 src/objects/js-objects.tq: JSAPIObjectWithEmbedderSlots { cpp_heap_wrappable } precedes the embedder fields (a zero word on Node 24 and 26 TCP handles; absent on V8 12.4, Node 22)', [
    [10, 0, 0],
    [13, 0, 8],
  ]),
  Page_size: fact('V8 src/common/globals.h: kPageSizeBits = 18, regular pages are 256 KiB and 256 KiB-aligned', [[10, 0, 0x40000]]),
  MemoryChunk_flags: fact('V8 11.3 src/heap/basic-memory-chunk.h: main_thread_flags_ follows size_; V8 ≥ 12 src/heap/memory-chunk.h: the page starts with main_thread_flags_', [
    [10, 0, 8],
    [12, 0, 0],
  ]),
  MemoryChunk_metadata: fact('V8 ≥ 13 src/heap/memory-chunk.h: the in-page header is {main_thread_flags_, metadata_}; the rest lives off-page', [
    [10, 0, undefined],
    [13, 0, 8],
  ]),
  Chunk_self: fact(`${CHUNK}: the word that holds the chunk's own address (reservation region before V8 12)`, [
    [10, 0, 80],
    [12, 0, 8],
  ]),
  Chunk_size: fact(CHUNK, [
    [10, 0, 0],
    [12, 0, 16],
  ]),
  Chunk_heap: fact(CHUNK, [
    [10, 0, 16],
    [12, 0, 24],
    [13, 0, 64],
  ]),
  Chunk_area_start: fact(CHUNK, [
    [10, 0, 24],
    [12, 0, 32],
    [13, 0, 72],
  ]),
  Chunk_area_end: fact(CHUNK, [
    [10, 0, 32],
    [12, 0, 40],
    [13, 0, 56],
  ]),
  Chunk_owner: fact(CHUNK, [
    [10, 0, 64],
    [12, 0, 72],
    [13, 0, 80],
  ]),
  Chunk_list_next: fact('V8 src/heap/memory-chunk.h (≤ 12) / mutable-page-metadata.h (≥ 13): heap::ListNode list_node_ {next_, prev_} linking the pages of a space, measured at these offsets', [
    [10, 0, 0xe8],
    [11, 0, 0x108],
    [14, 0, 0x100],
  ]),
  MemoryChunk_FROM_PAGE_bit: fact('V8 src/heap/memory-chunk.h MainThreadFlags: FROM_PAGE = 1u << 3 (the semi-space being evacuated: garbage by definition)', [[10, 0, 3]]),
  MemoryChunk_TO_PAGE_bit: fact('V8 src/heap/memory-chunk.h MainThreadFlags: TO_PAGE = 1u << 4 (the semi-space being allocated into)', [[10, 0, 4]]),
  Code_alignment: fact('V8 src/common/globals.h: kCodeAlignmentBits = 6 on x64 (InstructionStream sizes round up to 64 bytes)', [[10, 0, 64]]),

  FreeSpace_size: derived(() => 8, 'V8 src/objects/free-space.tq: FreeSpace { size: Smi, next } after the map', ['v8dbg_class_FreeSpace__size__']),
  FreeSpace_size_unit: fact('V8 ≤ 12 src/objects/free-space-inl.h: size in bytes; V8 ≥ 13: size_in_tagged_, in tagged words', [
    [10, 0, 1],
    [13, 0, 8],
  ]),
  FeedbackVector_header_size: fact('V8 src/objects/feedback-vector.tq: length, invocation_count, profiler_ticks, flags, shared_function_info, closure_feedback_cell_array, parent_feedback_cell (+ maybe_optimized_code between V8 11 and leaptiering in V8 13), then the slots', [
    [10, 0, 48],
    [11, 0, 56],
    [13, 0, 48],
  ]),
  FeedbackMetadata_header_size: fact('V8 src/objects/feedback-vector.h FeedbackMetadata: map, slot_count (int32), create_closure_slot_count (int32), then the 5-bit slot kinds, six to an int32 word (BitSetComputer)', [[10, 0, 16]]),
  FeedbackMetadata_closure_bytes: fact('V8 ≥ 13 src/objects/feedback-vector.h: a uint16 parameter count per create-closure slot follows the slot kinds (measured on 13.6 and 14.6; absent in 12.4)', [
    [10, 0, 0],
    [13, 0, 2],
  ]),
  ObjectBoilerplateDescription_header_size: fact('V8 ≥ 12 src/objects/fixed-array.h: ObjectBoilerplateDescription {length, backing_store_size, flags} before its elements (a plain FixedArray subtype before)', [
    [10, 0, undefined],
    [12, 0, 32],
  ]),
  RegExpMatchInfo_header_size: fact('V8 ≥ 12 src/objects/regexp-match-info.h: {length, number_of_capture_registers, last_subject, last_input} before the captures', [
    [10, 0, undefined],
    [12, 0, 40],
  ]),
  NativeContext_raw_size: fact('V8 src/objects/contexts.h NativeContext: one raw microtask_queue pointer after NATIVE_CONTEXT_SLOTS (kSize = SizeFor(length) + 8)', [[10, 0, 8]]),
  InstructionStream_body_size: fact('V8 ≥ 12 src/objects/instruction-stream.h: body_size (int32) after code and relocation_info; V8 11.3 takes it from the Code (instruction_size + metadata_size)', [
    [10, 0, undefined],
    [12, 0, 24],
  ]),

  // Shapes of objects whose layout the metadata does not carry (V8 ≥ 9, no pointer compression).
  HashTable_capacity_index: derived(() => 2, 'V8 src/objects/hash-table.h: kNumberOfElementsIndex 0, kNumberOfDeletedElementsIndex 1, kCapacityIndex 2 (every V8 since 10)'),
  HashTable_prefix_start_index: derived(() => 3, 'V8 src/objects/hash-table.h: kPrefixStartIndex = 3 (the shape prefix, then the entries) (every V8 since 10)'),
  NameDictionary_entry_value_index: derived(() => 1, 'V8 src/objects/dictionary.h: BaseNameDictionaryShape kEntryValueIndex = 1 (every V8 since 10)'),
  NameDictionary_entry_details_index: derived(() => 2, 'V8 src/objects/dictionary.h: BaseNameDictionaryShape kEntryDetailsIndex = 2 (every V8 since 10)'),
  PropertyDetails_storage_shift: derived((get) => {
    const a = get('prop_attributes_shift');
    return a === undefined ? undefined : a + 6;
  }, 'V8 src/objects/property-details.h: in dictionary mode AttributesField (3 bits) and PropertyCellTypeField (3 bits) precede DictionaryStorageField, the enumeration index'),
  PropertyCell_name: derived((get) => taggedAfter(get, 'HeapObject_map', 1), 'V8 src/objects/property-cell.tq: PropertyCell {name, property_details_raw, value, dependent_code} after the map'),
  PropertyCell_details: derived((get) => taggedAfter(get, 'HeapObject_map', 2), 'V8 src/objects/property-cell.tq: property_details_raw (a Smi) is the second field'),
  PropertyCell_value: derived((get) => taggedAfter(get, 'HeapObject_map', 3), 'V8 src/objects/property-cell.tq: value is the third field'),
  TrustedWrapper_target: derived((get) => taggedAfter(get, 'HeapObject_map', 1), 'V8 ≥ 12 src/objects/bytecode-array.tq / code.tq: BytecodeWrapper {bytecode}, CodeWrapper {code}: one trusted pointer after the map (direct without the sandbox)'),
  CallSiteInfo_first_slot: derived((get) => taggedAfter(get, 'HeapObject_map', 1), 'V8 src/objects/call-site-info.tq: CallSiteInfo is a Struct: its six tagged fields follow the map'),
  ScopeInfo_first_slot: derived((get) => taggedAfter(get, 'HeapObject_map', 1), 'V8 ≥ 9 src/objects/scope-info.tq: ScopeInfo is a HeapObject whose slots follow the map (no FixedArray length)'),

  // V8 14 keeps a script context's `let`s in ContextCells (src/objects/contexts.h ContextCell:
  // {map, tagged_value, dependent_code, state (int32), double_value (float64)}), measured on Node 26.
  ContextCell_tagged_value: fact('V8 14 src/objects/contexts.h: ContextCell::tagged_value follows the map', [
    [10, 0, undefined],
    [14, 0, 8],
  ]),
  ContextCell_state: fact('V8 14 src/objects/contexts.h: ContextCell::state (int32) after tagged_value and dependent_code', [
    [10, 0, undefined],
    [14, 0, 24],
  ]),
  ContextCell_double_value: fact('V8 14 src/objects/contexts.h: ContextCell::double_value (float64; the int32 value in its low half for kInt32)', [
    [10, 0, undefined],
    [14, 0, 32],
  ]),
  ContextCell_state_int32: fact('V8 14 src/objects/contexts.h: ContextCell::State {kConst, kSmi, kInt32, kFloat64, kDetached}: kInt32 = 2', [
    [10, 0, undefined],
    [14, 0, 2],
  ]),
  ContextCell_state_float64: fact('V8 14 src/objects/contexts.h: ContextCell::State kFloat64 = 3 (measured: a let holding 10001.5)', [
    [10, 0, undefined],
    [14, 0, 3],
  ]),

  FillerType: derived((get) => typeAfter(get, 'FEEDBACK_VECTOR_TYPE', 1), 'V8 src/objects/instance-type.h: Torque numbers the HeapObject subclasses alphabetically; FILLER_TYPE follows FEEDBACK_VECTOR_TYPE (measured on Node 20–26)'),
  FreeSpaceType: derived((get) => get('type:FREE_SPACE_TYPE') ?? typeAfter(get, 'FEEDBACK_VECTOR_TYPE', 2), 'v8dbg_type_FreeSpace__FREE_SPACE_TYPE, else the type after FILLER_TYPE (alphabetical Torque numbering, measured on Node 20–26)'),
  FeedbackMetadataType: derived((get) => typeAfter(get, 'FEEDBACK_VECTOR_TYPE', -1), 'FEEDBACK_METADATA_TYPE precedes FEEDBACK_VECTOR_TYPE (alphabetical Torque numbering, measured on Node 20–26)'),
  TransitionArrayType: derived((get) => typeAfter(get, 'WEAK_FIXED_ARRAY_TYPE', 1), "TRANSITION_ARRAY_TYPE is WeakFixedArray's only subclass, numbered right after it (measured on Node 20–26)"),
  LastFixedArrayType: derived((get) => typeAfter(get, 'BYTE_ARRAY_TYPE', -1), "FixedArray's subclasses (hash tables, dictionaries, …) are numbered after FIXED_ARRAY_TYPE and before its sibling BYTE_ARRAY_TYPE"),
  FirstContextType: derived(() => undefined, 'v8dbg_FirstContextType', ['v8dbg_FirstContextType']),
  LastContextType: derived(() => undefined, 'v8dbg_LastContextType', ['v8dbg_LastContextType']),
  NativeContextType: derived((get) => {
    const last = get('LastContextType');
    return last === undefined ? undefined : last - 2;
  }, 'contexts are numbered alphabetically (… NATIVE_CONTEXT, SCRIPT_CONTEXT, WITH_CONTEXT): LastContextType − 2 (measured on Node 20–26)'),
  ScriptContextType: derived((get) => {
    const last = get('LastContextType');
    return last === undefined ? undefined : last - 1;
  }, 'contexts are numbered alphabetically (… NATIVE_CONTEXT, SCRIPT_CONTEXT, WITH_CONTEXT): LastContextType − 1 (measured on Node 20–26)'),
  BigIntType: derived((get) => typeAfter(get, 'SYMBOL_TYPE', 1), 'BIGINT_TYPE follows SYMBOL_TYPE among the primitive heap objects (measured on Node 20–26)'),
} as const satisfies Record<string, ConstantRow>;

/** Logical name of a heap fact. */
export type HeapName = keyof typeof HEAP;
