// `timers`: Node's JS timers, from lib/internal/timers.js's module state as lib/timers.js's
// setTimeout closes over it: `timerListQueue` (a PriorityQueue whose private #heap holds one
// TimersList per duration, 1-based) and `timerListMap` (duration → TimersList, the fallback).
// Each TimersList is the sentinel of a circular list of Timeouts (_idleNext/_idlePrev). Due
// times are in the Environment's timer clock; the core's "now" is the loop's uv_now mapped into
// it through the Environment's uv timer, which libuv armed for the earliest list's expiry.
import { hex } from '../../util/hex.js';
import type { HeapObject, V8Heap } from '../../v8/heap/v8-heap.js';
import { readElements } from '../../v8/objects/elements.js';
import { ownNamedProperties } from '../../v8/heap/named-properties.js';
import type { Session } from '../session.js';
import { booleanOf, callbackOf, numberValue, objectProp, prop, symbolProp, type CallbackInfo } from './js-object.js';
import { moduleVariable, nodeContext, type NodeContext } from './node-context.js';

/** Role: one JS timer as `timers --json` shows it (times in ms). */
export interface TimerRow {
  readonly callback?: CallbackInfo;
  /** The delay it was created with (`_idleTimeout`). */
  readonly delay: number;
  /** The interval of a setInterval timer, else null. */
  readonly repeat: number | null;
  /** Due in ms from the loop's clock at the time of the core (negative: overdue). */
  readonly dueInMs?: number;
  readonly ref: boolean;
  /** The Timeout object. */
  readonly address: string;
}

/** Role: the whole result of `timers`. */
export interface TimersResult {
  readonly timers: readonly TimerRow[];
  /** The loop's clock (uv_now, ms) that dueInMs counts from. */
  readonly now?: number;
  readonly problem?: string;
}

/** Most timers listed (a busy server has thousands). */
const MAX_TIMERS = 100_000;

/** The TimersLists of the priority queue's heap, else of the duration map. */
function timerLists(heap: V8Heap, queue: HeapObject | undefined, map: HeapObject | undefined): HeapObject[] {
  const out: HeapObject[] = [];
  const arr = objectProp(heap, queue, '#heap');
  const size = numberValue(heap, prop(heap, queue, '#size'));
  if (arr !== undefined && size !== undefined) {
    for (const e of readElements(heap, arr, size + 1, size + 1).items) {
      if (e.kind !== 'tagged' || e.index === 0) continue;
      const l = heap.objectOf(e.value);
      if (l !== undefined && heap.isJSReceiver(l.type)) out.push(l);
    }
  }
  if (out.length > 0 || map === undefined) return out;
  for (const e of readElements(heap, map, 4096).items) {
    const l = e.kind === 'tagged' ? heap.objectOf(e.value) : undefined;
    if (l !== undefined && heap.isJSReceiver(l.type)) out.push(l);
  }
  for (const p of ownNamedProperties(heap, map, 4096).entries) {
    const l = heap.objectOf(p.value);
    if (l !== undefined && heap.isJSReceiver(l.type) && !out.some((x) => x.address === l.address)) out.push(l);
  }
  return out;
}

/** The Timeouts of one TimersList, in list order. */
function timeoutsOf(heap: V8Heap, list: HeapObject, limit: number): HeapObject[] {
  const out: HeapObject[] = [];
  const seen = new Set<number>([list.address]);
  let t = objectProp(heap, list, '_idleNext');
  while (t !== undefined && !seen.has(t.address) && out.length < limit) {
    seen.add(t.address);
    out.push(t);
    t = objectProp(heap, t, '_idleNext');
  }
  return out;
}

/**
 * Now in the timer clock: libuv armed the Environment's timer (a uv timer inside the Environment
 * object) for the earliest list's expiry, so (timeout − expiry) is the clock's base.
 */
function timerNow(session: Session, ctx: NodeContext, earliest: number | undefined): { now?: number; loopTime?: number } {
  const loop = session.node().defaultLoop().loop;
  const env = ctx.environment;
  if (loop?.time === undefined) return {};
  if (env === undefined || earliest === undefined) return { loopTime: loop.time };
  const off = session.node().offsets();
  // The Environment's own uv handles lie inside it, before its wrap queues.
  const end = env.address + ('missing' in off ? 4096 : off.handleWrapQueue);
  const t = loop.handles.find((h) => h.type === 'timer' && h.active && h.address > env.address && h.address < end && h.timeout !== undefined);
  if (t?.timeout === undefined) return { loopTime: loop.time };
  return { now: loop.time - (t.timeout - earliest), loopTime: loop.time };
}

/** The `timers` analysis. */
export function timersAnalysis(session: Session, ctx: NodeContext = nodeContext(session)): TimersResult {
  const heap = session.heap();
  if (ctx.global === undefined) return { timers: [], problem: 'no JS realm found (no JS frame, Environment or wrap leads to one)' };
  const queue = heap.objectOf(moduleVariable(session, ctx.global, 'setTimeout', 'timerListQueue'));
  const map = heap.objectOf(moduleVariable(session, ctx.global, 'setTimeout', 'timerListMap'));
  if (queue === undefined && map === undefined) return { timers: [], problem: "lib/timers.js's module scope not found through setTimeout" };
  const lists = timerLists(heap, queue, map);
  const expiries = lists.map((l) => numberValue(heap, prop(heap, l, 'expiry'))).filter((x): x is number => x !== undefined);
  const earliest = expiries.length > 0 ? Math.min(...expiries) : undefined;
  const { now, loopTime } = timerNow(session, ctx, earliest);
  const timers: TimerRow[] = [];
  for (const l of lists) {
    for (const t of timeoutsOf(heap, l, MAX_TIMERS - timers.length)) {
      const delay = numberValue(heap, prop(heap, t, '_idleTimeout')) ?? numberValue(heap, prop(heap, l, 'msecs')) ?? -1;
      const start = numberValue(heap, prop(heap, t, '_idleStart'));
      const repeat = numberValue(heap, prop(heap, t, '_repeat'));
      const cb = callbackOf(heap, prop(heap, t, '_onTimeout'));
      timers.push({
        ...(cb !== undefined ? { callback: cb } : {}),
        delay,
        repeat: repeat ?? null,
        ...(now !== undefined && start !== undefined ? { dueInMs: Math.round(start + delay - now) } : {}),
        ref: booleanOf(heap, symbolProp(heap, t, 'refed')) ?? true,
        address: hex(t.address),
      });
    }
  }
  timers.sort((a, b) => (a.dueInMs ?? a.delay) - (b.dueInMs ?? b.delay));
  return { timers, ...(loopTime !== undefined ? { now: loopTime } : {}) };
}
