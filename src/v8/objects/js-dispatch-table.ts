// V8's JSDispatchTable (leaptiering, V8 ≥ 13): a JSFunction holds a 32-bit dispatch handle, and
// the table entry it names holds the function's entrypoint and its current Code. The table lives
// behind the process-wide default IsolateGroup; where V8's own code reads its base (from the group
// or from an Isolate) is decoded from the binary, and each candidate is checked against a known
// function's entry, since no metadata describes the IsolateGroup or the Isolate.
import type { HeapObject, V8Heap } from '../heap/v8-heap.js';

/** Role: where the dispatch table is and how handles index it. */
export interface JSDispatchTable {
  readonly base: number;
  /** kJSDispatchHandleShift: handle >> shift is the entry index. */
  readonly handleShift: number;
}

/** Role: one decoded dispatch table entry. */
export interface JSDispatchEntry {
  readonly entrypoint: number;
  /** The Code the entry holds, validated as a CODE_TYPE object; undefined when it is not one. */
  readonly code?: HeapObject;
  readonly parameterCount: number;
}

/** V8 src/sandbox/js-dispatch-table.h: entries are {entrypoint_, encoded_word_}, 16 bytes. */
const ENTRY_SIZE = 16;
/** JSDispatchEntry::kObjectPointerShift: the Code pointer sits above the mark bit and the 16-bit parameter count. */
const OBJECT_POINTER_SHIFT = 16;
/** The default IsolateGroup pointer (V8 src/init/isolate-group.h: IsolateGroup::default_isolate_group_). */
export const DEFAULT_ISOLATE_GROUP_SYMBOL = '_ZN2v88internal12IsolateGroup22default_isolate_group_E';
/** Mangled prefix of ExternalEntityTable<JSDispatchEntry, kJSDispatchTableReservationSize>. */
const TABLE_TEMPLATE = 'ExternalEntityTableINS0_15JSDispatchEntryELm';
/** Role: symbol-name prefix of that template's member functions (their names carry the reservation). */
export const TABLE_TEMPLATE_SYMBOL_PREFIX = `_ZN2v88internal19${TABLE_TEMPLATE}`;
/** Bytes of the IsolateGroup searched for the table's base or for Isolate pointers. */
const GROUP_SCAN_BYTES = 0x10000;

/**
 * kJSDispatchHandleShift from the table's reservation size in a template symbol name (V8
 * src/common/globals.h: 2^(32 − shift) entries of 16 bytes fill the reservation), or undefined.
 */
export function handleShiftFromSymbols(names: Iterable<string>): number | undefined {
  for (const n of names) {
    const at = n.indexOf(TABLE_TEMPLATE);
    if (at < 0) continue;
    const m = /^(\d+)E/.exec(n.slice(at + TABLE_TEMPLATE.length));
    if (m === null) continue;
    const entries = Number(m[1]) / ENTRY_SIZE;
    const log = Math.log2(entries);
    if (Number.isInteger(log) && log > 0 && log <= 32) return 32 - log;
  }
  return undefined;
}

/** The dispatch handle of a JSFunction, or undefined where the layout has none. */
export function dispatchHandleOf(heap: V8Heap, fn: HeapObject): number | undefined {
  const at = heap.layout.opt.JSFunction_dispatch_handle;
  return at === undefined ? undefined : heap.uint(fn.address + at, 4);
}

/** Decodes the entry of `handle`; undefined when it is unreadable. */
export function dispatchEntry(heap: V8Heap, table: JSDispatchTable, handle: number): JSDispatchEntry | undefined {
  const at = table.base + (handle >>> table.handleShift) * ENTRY_SIZE;
  const b = heap.space.tryRead(at, ENTRY_SIZE);
  if (b === undefined) return undefined;
  const entrypoint = b.readUInt32LE(4) * 0x1_0000_0000 + b.readUInt32LE(0);
  const lo = b.readUInt32LE(8);
  const hi = b.readUInt32LE(12);
  const pointer = hi * 2 ** (32 - OBJECT_POINTER_SHIFT) + (lo >>> OBJECT_POINTER_SHIFT);
  const address = pointer - (pointer % 8);
  const o = heap.object(address);
  const code = o !== undefined && o.type === heap.types.CODE ? o : undefined;
  return { entrypoint, ...(code !== undefined ? { code } : {}), parameterCount: lo & 0xffff };
}

/** Role: where V8's own code loads the table base from: a field of the IsolateGroup or of the Isolate. */
export interface TableAnchor {
  readonly from: 'group' | 'isolate';
  readonly offset: number;
}

/** Mangled names of ExternalReference::js_dispatch_table_address (V8 13: no argument; V8 14: Isolate*). */
export const TABLE_ADDRESS_FUNCTIONS: readonly string[] = [
  '_ZN2v88internal17ExternalReference25js_dispatch_table_addressEv',
  '_ZN2v88internal17ExternalReference25js_dispatch_table_addressEPNS0_7IsolateE',
];

/**
 * Decodes the first instructions of ExternalReference::js_dispatch_table_address (x86-64):
 * `mov rax, [rip+group]; mov rax, [rax+disp32]` reads the base from the IsolateGroup (V8 13),
 * `mov rax, [rdi+disp]` from the Isolate argument (V8 14). Undefined for anything else.
 */
export function decodeTableAnchor(code: Buffer): TableAnchor | undefined {
  if (code.length >= 14 && code[0] === 0x48 && code[1] === 0x8b && code[2] === 0x05 && code[7] === 0x48 && code[8] === 0x8b && code[9] === 0x80) {
    return { from: 'group', offset: code.readInt32LE(10) };
  }
  if (code.length >= 7 && code[0] === 0x48 && code[1] === 0x8b && code[2] === 0x87) return { from: 'isolate', offset: code.readInt32LE(3) };
  if (code.length >= 4 && code[0] === 0x48 && code[1] === 0x8b && code[2] === 0x47) return { from: 'isolate', offset: code.readInt8(3) };
  return undefined;
}

/**
 * Finds the table from the default IsolateGroup at `group`, checked against `probe`'s dispatch
 * handle (its entry must hold a Code): with an IsolateGroup anchor, the group's field; with an
 * Isolate anchor, that field of each Isolate the group points to in its first 64 KiB; without an
 * anchor, each page-aligned word of the group. `shifts` are the handle shifts to try.
 */
export function locateJSDispatchTable(heap: V8Heap, group: number, probe: HeapObject, shifts: readonly number[], anchor?: TableAnchor): JSDispatchTable | undefined {
  const handle = dispatchHandleOf(heap, probe);
  if (handle === undefined || handle === 0) return undefined;
  const check = (base: number | undefined): JSDispatchTable | undefined => {
    if (base === undefined || base === 0 || base % 4096 !== 0) return undefined;
    for (const handleShift of shifts) {
      if (dispatchEntry(heap, { base, handleShift }, handle)?.code !== undefined) return { base, handleShift };
    }
    return undefined;
  };
  if (anchor?.from === 'group') return check(heap.pointer(group + anchor.offset));
  const bytes = heap.space.tryRead(group, GROUP_SCAN_BYTES) ?? heap.space.tryRead(group, GROUP_SCAN_BYTES / 16);
  if (bytes === undefined) return undefined;
  for (let off = 0; off + 8 <= bytes.length; off += 8) {
    const hi = bytes.readUInt32LE(off + 4);
    const word = hi * 0x1_0000_0000 + bytes.readUInt32LE(off);
    if (word === 0 || hi >= 0x8000) continue;
    const found = anchor === undefined ? check(word) : word % 8 === 0 ? check(heap.pointer(word + anchor.offset)) : undefined;
    if (found !== undefined) return found;
  }
  return undefined;
}
