// The script contexts of a realm: each classic script's top-level `let`, `const` and `class`
// bindings live in a ScriptContext, and the NativeContext's script_context_table lists them all
// (V8 src/objects/contexts.h). They form the "Script" scope DevTools shows for every function of
// the realm. The table is found structurally, not by slot index (no metadata names it): the one
// slot of the NativeContext holding an array whose entries are contexts of SCRIPT_CONTEXT type.
// Its shape changed (a FixedArray with a used count before V8 12; ScriptContextTable with length,
// capacity and a name index since), so its words are scanned for contexts rather than indexed.
import type { HeapObject, V8Heap } from '../heap/v8-heap.js';

/** Most NativeContext slots searched. */
const MAX_NATIVE_SLOTS = 1024;
/** Most table words scanned, and most script contexts returned. */
const MAX_TABLE_WORDS = 1 << 14;

/** The ScriptContexts of the realm of `nc` (a NativeContext), oldest first; empty when none or unreadable. */
export function scriptContexts(heap: V8Heap, nc: HeapObject): HeapObject[] {
  const t = heap.layout.opt.ScriptContextType;
  const n = heap.fixedArrayLength(nc.address);
  if (t === undefined || n === undefined) return [];
  for (let i = 0; i < Math.min(n, MAX_NATIVE_SLOTS); i++) {
    const table = heap.objectOf(heap.fixedArrayGet(nc.address, i));
    if (table === undefined || table.type === t || table.address === nc.address) continue;
    const found = contextsIn(heap, table, t);
    if (found.length > 0) return found;
  }
  return [];
}

/** The SCRIPT_CONTEXT-typed objects among the first words of an array-like `table` (its length word bounds the scan). */
function contextsIn(heap: V8Heap, table: HeapObject, scriptContextType: number): HeapObject[] {
  const length = heap.fixedArrayLength(table.address);
  if (length === undefined || length > MAX_TABLE_WORDS) return [];
  const ts = heap.layout.req.TaggedSize;
  const out: HeapObject[] = [];
  // Header words (map, length, and since V8 12 capacity and the name index) come first; a few
  // more than the length cover them.
  for (let k = 1; k <= length + 4 && out.length < MAX_TABLE_WORDS; k++) {
    const o = heap.objectOf(heap.word(table.address + k * ts));
    if (o !== undefined && o.type === scriptContextType) out.push(o);
    else if (k > 4 && out.length === 0) return [];
  }
  return out;
}
