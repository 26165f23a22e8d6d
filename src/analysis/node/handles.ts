// `handles` (llnode getactivehandles): every libuv handle of the default loop, tied to Node's
// HandleWrap (uv_handle_t.data) and through it to the JS objects that own it (the wrap's
// owner_symbol property: Server, Socket, ChildProcess …). The loop and the Environment's
// handle_wrap_queue are independent sources; the result says where they disagree.
import { hex } from '../../util/hex.js';
import type { UvHandle, UvLoop } from '../../node/uv-loop.js';
import type { Wrap } from '../../node/wrap-queues.js';
import type { HeapObject, V8Heap } from '../../v8/heap/v8-heap.js';
import type { Session } from '../session.js';
import { nodeContext, type NodeContext } from './node-context.js';
import { constructorOf, numberValue, prop, stringOf, symbolProp } from './js-object.js';
import { socketEndpoints, type Endpoint } from './endpoints.js';

/** Role: one handle as `handles --json` shows it (fields that do not apply are omitted). */
export interface HandleRow {
  readonly type: string;
  readonly active: boolean;
  readonly ref: boolean;
  readonly fd?: number;
  readonly local?: Endpoint;
  readonly remote?: Endpoint;
  readonly pid?: number;
  readonly signal?: number;
  /** The JS object that owns the handle (the wrap's owner, else the wrap object itself). */
  readonly owner?: string;
  readonly ownerConstructor?: string;
  /** The uv_handle_t. */
  readonly address: string;
  /** Node's HandleWrap and its JS object's constructor (TCP, Pipe, Process …). */
  readonly wrap?: string;
  readonly wrapConstructor?: string;
  /** A handle Node keeps for itself (no HandleWrap): its timer, check, idle, async, signal handles. */
  readonly internal?: boolean;
  readonly closing?: boolean;
  /** Timers: due in ms of the loop's clock, and the repeat interval. */
  readonly dueInMs?: number;
  readonly repeat?: number;
}

/** Role: the Environment (or why it was not found) as the Node-state results report it. */
export interface EnvironmentReport {
  readonly address?: string;
  readonly foundBy?: readonly string[];
  readonly problem?: string;
  readonly mismatches?: readonly string[];
}

/** Role: the loop as reported: address, clock, counters. */
export interface LoopReport {
  readonly address?: string;
  /** uv_now() in ms when the loop last updated its clock. */
  readonly time?: number;
  readonly activeHandles?: number;
  readonly activeRequests?: number;
  readonly problem?: string;
}

/** Role: a Worker's Environment with the handles of its own loop. */
export interface WorkerHandles {
  readonly environment: EnvironmentReport;
  readonly loop?: LoopReport;
  readonly handles: readonly HandleRow[];
}

/** Role: the whole result of `handles`. */
export interface HandlesResult {
  readonly environment: EnvironmentReport;
  readonly loop: LoopReport;
  readonly handles: readonly HandleRow[];
  readonly workers: readonly WorkerHandles[];
  /** HandleWraps of the Environment that are not on the loop (closed handles, or a disagreement). */
  readonly wrapsNotOnLoop: readonly string[];
}

/** The Environment part of a result. */
export function environmentReport(ctx: NodeContext): EnvironmentReport {
  const e = ctx.environment;
  return {
    ...(e !== undefined ? { address: hex(e.address), foundBy: e.routes } : {}),
    ...(ctx.problem !== undefined ? { problem: ctx.problem } : {}),
    ...(ctx.mismatches.length > 0 ? { mismatches: ctx.mismatches } : {}),
  };
}

/** The loop part of a result. */
export function loopReport(loop: UvLoop | undefined, problem?: string): LoopReport {
  if (loop === undefined) return { problem: problem ?? 'loop not found' };
  return {
    address: hex(loop.address),
    ...(loop.time !== undefined ? { time: loop.time } : {}),
    ...(loop.activeHandles !== undefined ? { activeHandles: loop.activeHandles } : {}),
    ...(loop.activeRequests !== undefined ? { activeRequests: loop.activeRequests } : {}),
    ...(loop.problem !== undefined ? { problem: loop.problem } : {}),
  };
}

function ownerOf(heap: V8Heap, w: Wrap | undefined): HeapObject | undefined {
  if (w?.object === undefined) return undefined;
  const o = heap.objectOf(symbolProp(heap, w.object, 'owner_symbol'));
  return o !== undefined && heap.isJSReceiver(o.type) ? o : w.object;
}

function row(session: Session, h: UvHandle, w: Wrap | undefined, loop: UvLoop, remotes: ReadonlyMap<number, Endpoint>, knownWraps: boolean): HandleRow {
  const heap = session.heap();
  const owner = ownerOf(heap, w);
  const ends = owner !== undefined && (h.type === 'tcp' || h.type === 'pipe' || h.type === 'udp') ? socketEndpoints(heap, owner, h.type) : {};
  const remote = ends.remote ?? remotes.get(h.address);
  return {
    type: h.type,
    active: h.active,
    ref: h.ref,
    ...(h.fd !== undefined && h.fd >= 0 ? { fd: h.fd } : {}),
    ...(ends.local !== undefined ? { local: ends.local } : {}),
    ...(remote !== undefined ? { remote } : {}),
    ...(h.pid !== undefined ? { pid: h.pid } : {}),
    ...(h.signum !== undefined ? { signal: h.signum } : {}),
    ...(owner !== undefined ? { owner: hex(owner.address), ownerConstructor: constructorOf(heap, owner) } : {}),
    address: hex(h.address),
    // Without the Environment's wraps, a handle without one is not known to be Node's own.
    ...(w !== undefined ? { wrap: hex(w.address), ...(w.object !== undefined ? { wrapConstructor: constructorOf(heap, w.object) } : {}) } : knownWraps ? { internal: true } : {}),
    ...(h.closing ? { closing: true } : {}),
    ...(h.timeout !== undefined && loop.time !== undefined && h.active ? { dueInMs: h.timeout - loop.time } : {}),
    ...(h.repeat !== undefined && h.repeat > 0 ? { repeat: h.repeat } : {}),
  };
}

/**
 * Remote endpoints known from pending connect requests: a TCPConnectWrap's JS object records the
 * address and port it was asked to connect to, and its uv_connect_t names the stream.
 */
function connectTargets(session: Session, env: number | undefined): Map<number, Endpoint> {
  const out = new Map<number, Endpoint>();
  if (env === undefined) return out;
  const node = session.node();
  const heap = session.heap();
  const off = node.offsets();
  if ('missing' in off) return out;
  for (const w of node.wrapQueue(env, 'req').wraps) {
    const req = node.request(w.address);
    if (req?.type !== 'connect' || req.handle === undefined || w.object === undefined) continue;
    const address = stringOf(heap, prop(heap, w.object, 'address'));
    const port = numberValue(heap, prop(heap, w.object, 'port'));
    if (address !== undefined) out.set(req.handle, { address, ...(port !== undefined ? { port } : {}) });
  }
  return out;
}

function handlesOf(session: Session, loop: UvLoop, env: number | undefined): { rows: HandleRow[]; notOnLoop: string[] } {
  const wraps = env === undefined ? [] : session.node().wrapQueue(env, 'handle').wraps;
  const byAddress = new Map(wraps.map((w) => [w.address, w]));
  const remotes = connectTargets(session, env);
  const rows = loop.handles.map((h) => row(session, h, byAddress.get(h.data), loop, remotes, env !== undefined));
  const onLoop = new Set(loop.handles.map((h) => h.data));
  return { rows, notOnLoop: wraps.filter((w) => !onLoop.has(w.address)).map((w) => hex(w.address)) };
}

/** The `handles` analysis: the main loop's handles with their owners, then each Worker's. */
export function handlesAnalysis(session: Session, ctx: NodeContext = nodeContext(session)): HandlesResult {
  const node = session.node();
  const { loop, problem } = node.defaultLoop();
  const main = loop === undefined ? { rows: [], notOnLoop: [] } : handlesOf(session, loop, ctx.environment?.address);
  const workers = ctx.workers.map((w): WorkerHandles => {
    const wl = w.loop !== undefined ? node.loopAt(w.loop) : undefined;
    const rows = wl === undefined ? [] : handlesOf(session, wl, w.address).rows;
    return { environment: { address: hex(w.address), foundBy: w.routes }, ...(wl !== undefined ? { loop: loopReport(wl) } : {}), handles: rows };
  });
  return { environment: environmentReport(ctx), loop: loopReport(loop, problem), handles: main.rows, workers, wrapsNotOnLoop: main.notOnLoop };
}

