// Locates the JSDispatchTable (V8 ≥ 13) from the default IsolateGroup symbol, the binary's
// js_dispatch_table_address code and a function's dispatch handle; the Session keeps the result.
// Undefined for older V8.
import type { ElfFile } from '../../elf/elf-file.js';
import type { HeapObject, V8Heap } from '../../v8/heap/v8-heap.js';
import {
  decodeTableAnchor,
  DEFAULT_ISOLATE_GROUP_SYMBOL,
  handleShiftFromSymbols,
  locateJSDispatchTable,
  TABLE_ADDRESS_FUNCTIONS,
  TABLE_TEMPLATE_SYMBOL_PREFIX,
  type JSDispatchTable,
} from '../../v8/objects/js-dispatch-table.js';

/** kJSDispatchHandleShift values V8 has used (V8 src/common/globals.h), tried when no symbol says. */
const KNOWN_SHIFTS: readonly number[] = [8, 9];

/** Locates the JSDispatchTable of a target whose node binary is `elf` (at `bias`), with `probe` (a JSFunction). */
export function locateSessionDispatchTable(elf: ElfFile, bias: number, heap: V8Heap, probe: HeapObject): JSDispatchTable | undefined {
  if (heap.layout.opt.JSFunction_dispatch_handle === undefined) return undefined;
  // One scan of the symbol table for the three kinds of names used here.
  const syms = elf.symbolsWithPrefix([DEFAULT_ISOLATE_GROUP_SYMBOL, TABLE_TEMPLATE_SYMBOL_PREFIX, ...TABLE_ADDRESS_FUNCTIONS]);
  const groupSym = syms.find((s) => s.name === DEFAULT_ISOLATE_GROUP_SYMBOL);
  if (groupSym === undefined) return undefined;
  const group = heap.pointer(groupSym.value + bias);
  if (group === undefined || group === 0) return undefined;
  const shift = handleShiftFromSymbols(syms.map((s) => s.name));
  const fnSym = syms.find((s) => TABLE_ADDRESS_FUNCTIONS.includes(s.name));
  const anchor = fnSym === undefined ? undefined : decodeTableAnchor(elf.readVaddr(fnSym.value, 16));
  return locateJSDispatchTable(heap, group, probe, shift !== undefined ? [shift] : KNOWN_SHIFTS, anchor);
}
