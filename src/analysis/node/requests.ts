// `requests` (llnode getactiverequests): the Environment's req_wrap_queue, each ReqWrap with its
// JS object, the libuv request it embeds (fs with its operation and path, getaddrinfo with its
// host, connect / write / shutdown with their stream) and the callback that will run.
import { hex } from '../../util/hex.js';
import type { Session } from '../session.js';
import { environmentReport, loopReport, type EnvironmentReport, type LoopReport } from './handles.js';
import { callbackOf, constructorOf, prop, type CallbackInfo } from './js-object.js';
import { nodeContext, type NodeContext } from './node-context.js';

/** Role: one pending request as `requests --json` shows it. */
export interface RequestRow {
  /** fs, dns, connect, write, shutdown, udp-send, work, random, or unknown. */
  readonly type: string;
  /** fs: open, read, stat …; dns: getaddrinfo or getnameinfo. */
  readonly operation?: string;
  /** fs: the path; dns: the host name. */
  readonly path?: string;
  readonly wrap: string;
  readonly wrapConstructor?: string;
  /** The JS request object. */
  readonly object?: string;
  /** The callback that runs when it completes (`oncomplete`, or the request's `callback`). */
  readonly callback?: CallbackInfo;
  /** connect, write, shutdown: the stream's uv handle (as `handles` lists it). */
  readonly handle?: string;
  /** The uv_req_t. */
  readonly request?: string;
}

/** Role: the whole result of `requests`. */
export interface RequestsResult {
  readonly environment: EnvironmentReport;
  readonly loop: LoopReport;
  readonly requests: readonly RequestRow[];
  readonly problem?: string;
}

const KIND: Readonly<Record<string, string>> = { getaddrinfo: 'dns', getnameinfo: 'dns' };

/** The `requests` analysis over the main Environment. */
export function requestsAnalysis(session: Session, ctx: NodeContext = nodeContext(session)): RequestsResult {
  const node = session.node();
  const heap = session.heap();
  const { loop, problem: loopProblem } = node.defaultLoop();
  const base = { environment: environmentReport(ctx), loop: loopReport(loop, loopProblem) };
  if (ctx.environment === undefined) return { ...base, requests: [], problem: ctx.problem ?? 'no Environment' };
  const q = node.wrapQueue(ctx.environment.address, 'req');
  const requests = q.wraps.map((w): RequestRow => {
    const req = node.request(w.address);
    const cb = w.object === undefined ? undefined : callbackOf(heap, prop(heap, w.object, 'oncomplete')) ?? callbackOf(heap, prop(heap, w.object, 'callback'));
    const type = req === undefined ? 'unknown' : (KIND[req.type] ?? req.type);
    const operation = req?.fsType ?? (type === 'dns' ? req?.type : undefined);
    return {
      type,
      ...(operation !== undefined ? { operation } : {}),
      ...(req?.path !== undefined ? { path: req.path } : {}),
      wrap: hex(w.address),
      ...(w.object !== undefined ? { wrapConstructor: constructorOf(heap, w.object), object: hex(w.object.address) } : {}),
      ...(cb !== undefined ? { callback: cb } : {}),
      ...(req?.handle !== undefined ? { handle: hex(req.handle) } : {}),
      ...(req !== undefined ? { request: hex(req.address) } : {}),
    };
  });
  return { ...base, requests, ...(q.problem !== undefined ? { problem: q.problem } : {}) };
}
