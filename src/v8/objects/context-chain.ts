// The Context chain of a closure: each Context's ScopeInfo names its context locals, whose values
// sit in the Context's slots after the header (V8 src/objects/contexts.h: scope_info, previous,
// [extension]; src/objects/scope-info.tq: context local names inlined when fewer than 75).
import type { Tagged } from '../heap/tagged.js';
import { readString } from '../heap/strings.js';
import type { HeapObject, V8Heap } from '../heap/v8-heap.js';

/** Role: one context of the chain with its named variables. */
export interface ContextScope {
  readonly context: number;
  readonly scopeInfo?: number;
  readonly variables: readonly ContextVariable[];
  /** Why the variables could not be listed, when they could not. */
  readonly note?: string;
}

/** Most contexts followed. */
const MAX_CHAIN = 64;
/** V8 kScopeInfoMaxInlinedLocalNamesSize. */
const MAX_INLINED_LOCAL_NAMES = 75;

/** Role: one context-allocated variable: its tagged value, or the unboxed number a V8 14 ContextCell holds. */
export interface ContextVariable {
  readonly name: string;
  readonly value: Tagged | undefined;
  /** A number kept unboxed (a ContextCell in state kInt32 or kFloat64); `value` is then undefined. */
  readonly number?: number;
}

/**
 * The value of a context slot: a V8 14 ContextCell (a script context's `let`) is unwrapped to the
 * value it holds, tagged or unboxed; anything else is the slot itself.
 */
export function contextSlotValue(heap: V8Heap, slot: Tagged | undefined): { value: Tagged | undefined; number?: number } {
  const o = heap.layout.opt;
  const cell = heap.objectOf(slot);
  if (cell === undefined || o.ContextCell_state === undefined || heap.layout.types.name(cell.type) !== 'CONTEXT_CELL_TYPE') return { value: slot };
  const state = heap.int(cell.address + o.ContextCell_state, 4);
  if (o.ContextCell_double_value !== undefined && (state === o.ContextCell_state_float64 || state === o.ContextCell_state_int32)) {
    const b = heap.space.tryRead(cell.address + o.ContextCell_double_value, 8);
    if (b === undefined) return { value: undefined };
    return { value: undefined, number: state === o.ContextCell_state_int32 ? b.readInt32LE(0) : b.readDoubleLE(0) };
  }
  return { value: o.ContextCell_tagged_value === undefined ? undefined : heap.word(cell.address + o.ContextCell_tagged_value) };
}

/** Walks the context chain starting at `context` (a JSFunction's context). */
export function contextChain(heap: V8Heap, context: HeapObject): ContextScope[] {
  const o = heap.layout.opt;
  const data = heap.layout.req.FixedArray_data;
  const siIdx = o.context_idx_scope_info ?? 0;
  const prevIdx = o.context_idx_prev ?? 1;
  const minSlots = o.context_min_slots ?? 2;
  const out: ContextScope[] = [];
  const seen = new Set<number>();
  let ctx: HeapObject | undefined = context;
  while (ctx !== undefined && out.length < MAX_CHAIN && !seen.has(ctx.address)) {
    seen.add(ctx.address);
    const length = heap.fixedArrayLength(ctx.address);
    const si = heap.objectField(ctx.address, data + siIdx * 8);
    if (length === undefined || si === undefined || si.type !== heap.types.SCOPE_INFO) break;
    const names = contextLocalNames(heap, si);
    if (names === undefined) {
      out.push({ context: ctx.address, scopeInfo: si.address, variables: [], note: 'context local names unreadable (or kept in a hash table)' });
    } else {
      // A context with an extension slot has one more header slot.
      const first = length === minSlots + names.length ? minSlots : length === minSlots + 1 + names.length ? minSlots + 1 : undefined;
      if (first === undefined && names.length > 0) {
        out.push({ context: ctx.address, scopeInfo: si.address, variables: [], note: `${names.length} names but ${length} slots` });
      } else {
        const variables = names.map((name, i) => ({ name, ...contextSlotValue(heap, heap.word(ctx!.address + data + ((first ?? minSlots) + i) * heap.layout.req.TaggedSize)) }));
        out.push({ context: ctx.address, scopeInfo: si.address, variables });
      }
    }
    const prev = heap.objectField(ctx.address, data + prevIdx * 8);
    ctx = prev !== undefined && heap.fixedArrayLength(prev.address) !== undefined ? prev : undefined;
  }
  return out;
}

/**
 * The context-allocated variables of one Context with the byte offset of each one's slot (for
 * naming references held by a context), or undefined when its ScopeInfo cannot be read.
 */
export function contextVariableSlots(heap: V8Heap, ctx: HeapObject): { name: string; offset: number }[] | undefined {
  const o = heap.layout.opt;
  const data = heap.layout.req.FixedArray_data;
  const minSlots = o.context_min_slots ?? 2;
  const length = heap.fixedArrayLength(ctx.address);
  const si = heap.objectField(ctx.address, data + (o.context_idx_scope_info ?? 0) * 8);
  if (length === undefined || si === undefined || si.type !== heap.types.SCOPE_INFO) return undefined;
  const names = contextLocalNames(heap, si);
  if (names === undefined) return undefined;
  const first = length === minSlots + names.length ? minSlots : length === minSlots + 1 + names.length ? minSlots + 1 : undefined;
  if (first === undefined) return undefined;
  return names.map((name, i) => ({ name, offset: data + (first + i) * 8 }));
}

/** Names of a ScopeInfo's context locals, or undefined (the slot layout is the one readScopeInfoTail uses). */
function contextLocalNames(heap: V8Heap, si: HeapObject): string[] | undefined {
  const o = heap.layout.opt;
  if (o.scopeinfo_idx_ncontextlocals === undefined || o.scopeinfo_idx_first_vars === undefined || o.ScopeInfo_first_slot === undefined) return undefined;
  const slot0 = o.ScopeInfo_first_slot;
  const slot = (i: number): number => si.address + slot0 + i * heap.layout.req.TaggedSize;
  const n = heap.smiField(slot(o.scopeinfo_idx_ncontextlocals), 0);
  if (n === undefined || n < 0 || n >= MAX_INLINED_LOCAL_NAMES) return undefined;
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const s = heap.objectField(slot(o.scopeinfo_idx_first_vars + i), 0);
    const text = s !== undefined && heap.isString(s.type) ? readString(heap, s, { maxLength: 256 })?.text : undefined;
    if (text === undefined) return undefined;
    names.push(text);
  }
  return names;
}
