// `queues`: the callbacks queued to run next, in run order: the nextTick queue (a FixedQueue of
// FixedCircularBuffers in lib/internal/process/task_queues.js's module scope, as queueMicrotask
// closes over it), V8's microtask queue (native ring buffer) and setImmediate's ImmediateList
// (lib/internal/timers.js's `immediateQueue`, as setImmediate closes over it).
import { hex } from '../../util/hex.js';
import type { HeapObject, V8Heap } from '../../v8/heap/v8-heap.js';
import { readElements } from '../../v8/objects/elements.js';
import { decodeMicrotask } from '../../v8/objects/microtasks.js';
import { nativeContextOf } from '../../v8/objects/native-context.js';
import type { Session } from '../session.js';
import { booleanOf, callbackOf, numberValue, objectProp, prop, symbolProp, type CallbackInfo } from './js-object.js';
import { moduleVariable, nodeContext, type NodeContext } from './node-context.js';

/** Role: one queued callback. */
export interface QueuedCallback {
  readonly callback?: CallbackInfo;
  /** The queued object (tick object, Immediate, microtask). */
  readonly address: string;
  /** Microtasks: callable (queueMicrotask), fulfill / reject (promise reactions), thenable, callback (native). */
  readonly kind?: string;
  /** Arguments queued with it (nextTick, setImmediate). */
  readonly args?: number;
  /** Immediates: whether it keeps the loop alive. */
  readonly ref?: boolean;
}

/** Role: the whole result of `queues`. */
export interface QueuesResult {
  readonly nextTick: readonly QueuedCallback[];
  readonly microtasks: readonly QueuedCallback[];
  readonly immediates: readonly QueuedCallback[];
  /** What could not be read, one line each. */
  readonly problems: readonly string[];
}

/** Most entries read per queue. */
const MAX_ENTRIES = 100_000;

function argCount(heap: V8Heap, o: HeapObject | undefined): number | undefined {
  if (o === undefined || o.type !== heap.types.JS_ARRAY) return undefined;
  const at = heap.layout.opt.JSArray_length;
  return at === undefined ? undefined : heap.smiField(o.address, at);
}

/** The tick objects of a FixedQueue, oldest first: from `tail`, list[bottom..top) of each buffer, then `next`. */
function fixedQueueItems(heap: V8Heap, queue: HeapObject): HeapObject[] {
  const out: HeapObject[] = [];
  const seen = new Set<number>();
  for (let b = objectProp(heap, queue, 'tail'); b !== undefined && !seen.has(b.address) && out.length < MAX_ENTRIES; b = objectProp(heap, b, 'next')) {
    seen.add(b.address);
    const list = objectProp(heap, b, 'list');
    const bottom = numberValue(heap, prop(heap, b, 'bottom'));
    const top = numberValue(heap, prop(heap, b, 'top'));
    // lib/internal/fixed_queue.js: list = new Array(kSize), indices wrap at kSize (its length).
    const size = argCount(heap, list);
    if (list === undefined || bottom === undefined || top === undefined || size === undefined || size <= 0) break;
    const items = new Map<number, HeapObject>();
    for (const e of readElements(heap, list, size, size).items) {
      const o = e.kind === 'tagged' ? heap.objectOf(e.value) : undefined;
      if (o !== undefined && heap.isJSReceiver(o.type)) items.set(e.index, o);
    }
    for (let i = bottom, n = 0; i !== top && n < size && out.length < MAX_ENTRIES; i = (i + 1) % size, n++) {
      const o = items.get(i);
      if (o !== undefined) out.push(o);
    }
  }
  return out;
}

function nextTicks(session: Session, ctx: NodeContext, problems: string[]): QueuedCallback[] {
  const heap = session.heap();
  const queue = heap.objectOf(moduleVariable(session, ctx.global, 'queueMicrotask', 'queue'));
  if (queue === undefined) {
    problems.push("nextTick queue: lib/internal/process/task_queues.js's module scope not found through queueMicrotask");
    return [];
  }
  return fixedQueueItems(heap, queue).map((t) => {
    const cb = callbackOf(heap, prop(heap, t, 'callback'));
    const args = argCount(heap, objectProp(heap, t, 'args'));
    return { ...(cb !== undefined ? { callback: cb } : {}), address: hex(t.address), ...(args !== undefined ? { args } : {}) };
  });
}

function immediates(session: Session, ctx: NodeContext, problems: string[]): QueuedCallback[] {
  const heap = session.heap();
  const list = heap.objectOf(moduleVariable(session, ctx.global, 'setImmediate', 'immediateQueue'));
  if (list === undefined) {
    problems.push("immediates: lib/timers.js's module scope not found through setImmediate");
    return [];
  }
  const out: QueuedCallback[] = [];
  const seen = new Set<number>();
  for (let i = objectProp(heap, list, 'head'); i !== undefined && !seen.has(i.address) && out.length < MAX_ENTRIES; i = objectProp(heap, i, '_idleNext')) {
    seen.add(i.address);
    const cb = callbackOf(heap, prop(heap, i, '_onImmediate'));
    const args = argCount(heap, objectProp(heap, i, '_argv'));
    const ref = booleanOf(heap, symbolProp(heap, i, 'refed'));
    out.push({ ...(cb !== undefined ? { callback: cb } : {}), address: hex(i.address), ...(args !== undefined ? { args } : {}), ...(ref !== undefined ? { ref } : {}) });
  }
  return out;
}

/** Pending microtasks of the queues whose tasks run in the main realm (or whose realm is unknown). */
function microtasks(session: Session, ctx: NodeContext, problems: string[]): QueuedCallback[] {
  const heap = session.heap();
  const queues = session.node().microtaskQueues();
  if (queues.length === 0) problems.push('microtasks: no V8 MicrotaskQueue found (no vtable, or no exported offsets)');
  const out: QueuedCallback[] = [];
  for (const q of queues) {
    const tasks = q.tasks.map((t) => decodeMicrotask(heap, t));
    const realm = tasks.map((t) => (t.context !== undefined ? nativeContextOf(heap, t.context) : undefined)).find((x) => x !== undefined);
    if (realm !== undefined && ctx.nativeContext !== undefined && realm.address !== ctx.nativeContext.address) continue;
    for (const t of tasks) {
      const cb = callbackOf(heap, t.handler);
      out.push({ ...(cb !== undefined ? { callback: cb } : {}), address: hex(t.task.address), kind: t.kind });
    }
  }
  return out;
}

/** The `queues` analysis. */
export function queuesAnalysis(session: Session, ctx: NodeContext = nodeContext(session)): QueuesResult {
  const problems: string[] = [];
  if (ctx.global === undefined) problems.push('no JS realm found: the nextTick and immediate queues are JS objects');
  const nextTick = ctx.global === undefined ? [] : nextTicks(session, ctx, problems);
  const immediate = ctx.global === undefined ? [] : immediates(session, ctx, problems);
  return { nextTick, microtasks: microtasks(session, ctx, problems), immediates: immediate, problems };
}
