// V8's microtask queue and its tasks. The queue is a native ring buffer (V8
// src/execution/microtask-queue.h: ring_buffer_[(start_ + i) % capacity_] is the i-th pending
// task; field offsets are exported as MicrotaskQueue::k*Offset). Task fields have no metadata:
// their order is V8's Torque (src/builtins/promise-*.tq, src/objects/microtask.tq,
// promise.tq), checked here by type. From V8 12 a Microtask may carry
// continuation_preserved_embedder_data first, so fields are found relative to the one slot that
// must hold a Context rather than by fixed index.
import type { AddressSpace } from '../../target/address-space.js';
import type { Tagged } from '../heap/tagged.js';
import type { HeapObject, V8Heap } from '../heap/v8-heap.js';

/** Role: MicrotaskQueue field offsets (bytes). */
export interface MicrotaskQueueOffsets {
  readonly ringBuffer: number;
  readonly capacity: number;
  readonly start: number;
  readonly size: number;
}

/** Role: one pending microtask: its kind and the function that will run. */
export interface Microtask {
  readonly task: HeapObject;
  /** callable (queueMicrotask), callback (native), fulfill / reject (a promise reaction), thenable. */
  readonly kind: 'callable' | 'callback' | 'fulfill' | 'reject' | 'thenable' | 'unknown';
  /** The JS function that runs (handler, callable, or a thenable's `then`). */
  readonly handler?: Tagged;
  /** The Context the task runs in. */
  readonly context?: HeapObject;
}

/** Most pending tasks read per queue. */
const MAX_TASKS = 1 << 20;
/** Slots searched for the Context. */
const MAX_SLOTS = 6;

function u64(space: AddressSpace, a: number): number | undefined {
  const b = space.tryRead(a, 8);
  if (b === undefined) return undefined;
  const hi = b.readUInt32LE(4);
  return hi >= 0x200000 ? undefined : hi * 0x1_0000_0000 + b.readUInt32LE(0);
}

/** The pending task words of the MicrotaskQueue at `queue`, in run order, or undefined when it does not read as one. */
export function pendingMicrotasks(space: AddressSpace, heap: V8Heap, queue: number, off: MicrotaskQueueOffsets): HeapObject[] | undefined {
  const ring = u64(space, queue + off.ringBuffer);
  const cap = u64(space, queue + off.capacity);
  const start = u64(space, queue + off.start);
  const size = u64(space, queue + off.size);
  if (ring === undefined || cap === undefined || start === undefined || size === undefined) return undefined;
  if (cap > MAX_TASKS || size > cap || (cap > 0 && start >= cap)) return undefined;
  const out: HeapObject[] = [];
  for (let i = 0; i < size; i++) {
    const t = heap.objectOf(heap.word(ring + ((start + i) % cap) * 8));
    if (t !== undefined) out.push(t);
  }
  return out;
}

function isContext(heap: V8Heap, o: HeapObject | undefined): o is HeapObject {
  const first = heap.layout.opt.FirstContextType;
  const last = heap.layout.opt.LastContextType;
  return o !== undefined && first !== undefined && last !== undefined && o.type >= first && o.type <= last;
}

/** Decodes one task object by its instance type and the position of its Context slot. */
export function decodeMicrotask(heap: V8Heap, task: HeapObject): Microtask {
  const name = heap.layout.types.name(task.type) ?? '';
  // Slot i of the task Struct, counting the map as slot 0.
  const slot = (i: number): Tagged | undefined => heap.word(task.address + heap.layout.req.HeapObject_map + heap.layout.req.TaggedSize * i);
  if (name === 'CALLBACK_TASK_TYPE') return { task, kind: 'callback' };
  let ctxAt = -1;
  for (let i = 1; i <= MAX_SLOTS && ctxAt < 0; i++) if (isContext(heap, heap.objectOf(slot(i)))) ctxAt = i;
  const context = ctxAt > 0 ? heap.objectOf(slot(ctxAt)) : undefined;
  const ctx = context !== undefined ? { context } : {};
  // CallableTask { callable, context }.
  if (name === 'CALLABLE_TASK_TYPE' && ctxAt > 1) return { task, kind: 'callable', handler: slot(ctxAt - 1)!, ...ctx };
  // PromiseReactionJobTask { argument, context, handler, promise_or_capability }.
  if (name === 'PROMISE_FULFILL_REACTION_JOB_TASK_TYPE' && ctxAt > 0) return { task, kind: 'fulfill', handler: slot(ctxAt + 1)!, ...ctx };
  if (name === 'PROMISE_REJECT_REACTION_JOB_TASK_TYPE' && ctxAt > 0) return { task, kind: 'reject', handler: slot(ctxAt + 1)!, ...ctx };
  // PromiseResolveThenableJobTask { context, promise_to_resolve, thenable, then }.
  if (name === 'PROMISE_RESOLVE_THENABLE_JOB_TASK_TYPE' && ctxAt > 0) return { task, kind: 'thenable', handler: slot(ctxAt + 3)!, ...ctx };
  return { task, kind: 'unknown', ...ctx };
}
