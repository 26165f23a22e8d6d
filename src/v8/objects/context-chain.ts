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
  readonly variables: readonly { readonly name: string; readonly value: Tagged | undefined }[];
  /** Why the variables could not be listed, when they could not. */
  readonly note?: string;
}

/** Most contexts followed. */
const MAX_CHAIN = 64;
/** V8 kScopeInfoMaxInlinedLocalNamesSize. */
const MAX_INLINED_LOCAL_NAMES = 75;

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
        const variables = names.map((name, i) => ({ name, value: heap.word(ctx!.address + data + ((first ?? minSlots) + i) * 8) }));
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
