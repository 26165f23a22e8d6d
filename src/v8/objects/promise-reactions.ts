// A JSPromise's flags and, while pending, its reactions. The metadata has no PromiseReaction
// fields, so their order is a per-version fact, checked by type on every read: V8 11.3
// src/objects/promise.tq PromiseReaction { next, reject_handler, fulfill_handler,
// promise_or_capability, continuation_preserved_embedder_data }; from V8 12 the embedder data
// moved to the front (V8 12.4 src/objects/promise.tq: it extends Struct with it first) —
// measured on Node 20 (11.3) and 22/24/26 (12.4, 13.6, 14.6). The list is LIFO and ends in Smi 0.
import type { Tagged } from '../heap/tagged.js';
import type { HeapObject, V8Heap } from '../heap/v8-heap.js';

/** Role: a promise's status and handled bit (V8 src/objects/js-promise.tq JSPromiseFlags: status bits 0–1, has_handler bit 2). */
export interface PromiseFlags {
  readonly status: 'pending' | 'fulfilled' | 'rejected';
  readonly hasHandler: boolean;
}

/** Role: one reaction: what runs when the promise settles. */
export interface PromiseReaction {
  readonly reaction: number;
  readonly fulfill?: Tagged;
  readonly reject?: Tagged;
  readonly promiseOrCapability?: Tagged;
}

const STATUS = ['pending', 'fulfilled', 'rejected'] as const;
/** Most reactions read per promise. */
const MAX_REACTIONS = 10_000;

/** The flags of a JSPromise, or undefined when they do not read as flags. */
export function promiseFlags(heap: V8Heap, p: HeapObject): PromiseFlags | undefined {
  const at = heap.layout.opt.JSPromise_flags;
  const flags = at === undefined ? undefined : heap.smiField(p.address, at);
  const status = flags === undefined ? undefined : STATUS[flags & 3];
  return status === undefined ? undefined : { status, hasHandler: (flags! & 4) !== 0 };
}

/** Slot index (after the map) of `next` in a PromiseReaction of this V8 version. */
function nextSlot(heap: V8Heap): number {
  const major = Number((heap.layout.v8Version ?? '0').split('.')[0]);
  return major >= 12 ? 2 : 1;
}

function isCallableOrUndefined(heap: V8Heap, t: Tagged | undefined): boolean {
  const o = heap.objectOf(t);
  if (o === undefined) return false;
  return heap.isJSFunction(o.type) || o.type === heap.types.JS_BOUND_FUNCTION || heap.oddballKind(o) === heap.layout.req.OddballUndefined || heap.isJSReceiver(o.type);
}

/** The reactions of a pending promise, latest `.then` first; undefined when the list does not type-check. */
export function promiseReactions(heap: V8Heap, p: HeapObject): PromiseReaction[] | undefined {
  const at = heap.layout.opt.JSPromise_reactions_or_result;
  if (at === undefined) return undefined;
  const reactionType = heap.layout.types.value('PROMISE_REACTION_TYPE');
  const first = nextSlot(heap);
  const out: PromiseReaction[] = [];
  let t = heap.field(p.address, at);
  const seen = new Set<number>();
  while (out.length < MAX_REACTIONS) {
    if (t?.kind === 'smi' && t.value === 0) return out;
    const r = heap.objectOf(t);
    if (r === undefined || r.type !== reactionType || seen.has(r.address)) return undefined;
    seen.add(r.address);
    // Slot i of the PromiseReaction Struct, counting the map as slot 0.
    const slot = (i: number): Tagged | undefined => heap.word(r.address + heap.layout.req.HeapObject_map + heap.layout.req.TaggedSize * i);
    const next = slot(first);
    const reject = slot(first + 1);
    const fulfill = slot(first + 2);
    const nextOk = (next?.kind === 'smi' && next.value === 0) || heap.objectOf(next)?.type === reactionType;
    if (!nextOk || !isCallableOrUndefined(heap, reject) || !isCallableOrUndefined(heap, fulfill)) return undefined;
    const poc = slot(first + 3);
    out.push({ reaction: r.address, ...(fulfill !== undefined ? { fulfill } : {}), ...(reject !== undefined ? { reject } : {}), ...(poc !== undefined ? { promiseOrCapability: poc } : {}) });
    t = next;
  }
  return out;
}
