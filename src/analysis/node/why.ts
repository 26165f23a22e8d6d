// `why`: one page on how the process ended and what it was waiting on: the fatal error with its
// stack, the crashing thread, the event loop in brief (handles by owner, requests, timers,
// queued callbacks) and, when a heap census exists (or the process ran out of memory), the
// largest heap groups. Every part is computed independently: one that fails says so.
import { isNodescopeError } from '../../util/errors.js';
import { objectsCensus, type CensusResult } from '../census/objects-census.js';
import type { ScanProgress } from '../census/heap-census.js';
import type { Session } from '../session.js';
import { fatalError, type FatalError } from './fatal-error.js';
import { handlesAnalysis, type HandleRow } from './handles.js';
import { nodeContext } from './node-context.js';
import { queuesAnalysis } from './queues.js';
import { requestsAnalysis } from './requests.js';
import { timersAnalysis, type TimerRow } from './timers.js';

/** Handle types a program opens itself (timers, checks, idles, asyncs and signals are mostly Node's). */
const PROGRAM_HANDLES = new Set(['tcp', 'pipe', 'tty', 'udp', 'process', 'fs-event', 'fs-poll', 'poll']);

/** Role: the event loop in a few lines. */
export interface LoopBrief {
  /** Handles with a JS owner (servers, sockets, child processes …), ref'd first. */
  readonly handles: readonly HandleRow[];
  /** Node's own handles (no JS owner). */
  readonly internalHandles: number;
  readonly requests: readonly { readonly type: string; readonly path?: string; readonly callback?: string }[];
  readonly timers: number;
  /** The next timer due. */
  readonly nextTimer?: TimerRow;
  readonly nextTick: number;
  readonly microtasks: number;
  readonly immediates: number;
  /** Whether anything ref'd keeps the loop alive (a handle, a request or a ref'd timer). */
  readonly alive: boolean;
}

/** Role: the whole result of `why`. */
export interface WhyResult {
  /** One line: `uncaught TypeError: …`, `out of memory …`, `live snapshot …`. */
  readonly summary: string;
  readonly fatal: FatalError;
  readonly pid: number;
  readonly environment?: string;
  readonly loop?: LoopBrief;
  readonly heap?: Pick<CensusResult, 'groups' | 'total'>;
  readonly problems: readonly string[];
}

/** Options of the why analysis. */
export interface WhyOptions {
  /** Include the largest heap groups (runs the census when it has not run). */
  readonly census?: boolean;
  readonly onProgress?: ScanProgress;
}

function attempt<T>(problems: string[], what: string, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (!isNodescopeError(e)) throw e;
    problems.push(`${what}: ${e.message}`);
    return undefined;
  }
}

/** The one-line account of a fatal error. */
export function fatalSummary(f: FatalError): string {
  const err = f.error !== undefined ? `${f.error.constructor}${f.error.message !== '' ? `: ${f.error.message}` : ''}` : undefined;
  const top = f.jsFrames[0];
  const where = top !== undefined ? ` in ${top.function || '(anonymous)'} (${top.file}${top.line !== undefined ? `:${top.line}` : ''})` : '';
  switch (f.kind) {
    case 'uncaught-exception':
      return `uncaught ${err ?? 'exception'}`;
    case 'unhandled-rejection':
      return `unhandled rejection ${err ?? ''}`.trim();
    case 'oom':
      return `out of memory: ${f.detail ?? 'heap limit reached'}${where}`;
    case 'abort':
      return `aborted (${f.signal ?? 'SIGABRT'})${f.detail !== undefined ? ` in ${f.detail}` : where}`;
    case 'signal':
      return `killed by ${f.signal ?? 'a signal'}${f.detail !== undefined ? ` in ${f.detail}` : where}`;
    case 'snapshot':
      return `live snapshot (the process did not crash)${where}`;
  }
}

/** The `why` analysis. */
export function whyAnalysis(session: Session, opts: WhyOptions = {}): WhyResult {
  const problems: string[] = [];
  const fatal = attempt(problems, 'fatal error', () => fatalError(session)) ?? { kind: 'snapshot' as const, jsFrames: [] };
  const ctx = attempt(problems, 'Environment', () => nodeContext(session));
  if (ctx?.problem !== undefined) problems.push(ctx.problem);
  let loop: LoopBrief | undefined;
  if (ctx !== undefined) {
    const h = attempt(problems, 'handles', () => handlesAnalysis(session, ctx));
    const r = attempt(problems, 'requests', () => requestsAnalysis(session, ctx));
    const t = attempt(problems, 'timers', () => timersAnalysis(session, ctx));
    const q = attempt(problems, 'queues', () => queuesAnalysis(session, ctx));
    if (t?.problem !== undefined) problems.push(`timers: ${t.problem}`);
    for (const p of q?.problems ?? []) problems.push(p);
    // Without the Environment no handle has an owner: the kinds a program opens stand for them.
    const open = (h?.handles ?? []).filter((x) => x.closing !== true);
    const owned = open.filter((x) => (ctx.environment !== undefined ? x.internal !== true : PROGRAM_HANDLES.has(x.type)));
    const requests = (r?.requests ?? []).map((x) => ({ type: x.type, ...(x.path !== undefined ? { path: x.path } : {}), ...(x.callback?.name ? { callback: x.callback.name } : {}) }));
    const timers = t?.timers ?? [];
    // Timers come sorted by due time, or by delay where the due time is unknown.
    const next = timers.find((x) => x.ref) ?? timers[0];
    loop = {
      handles: [...owned].sort((a, b) => Number(b.ref) - Number(a.ref)),
      internalHandles: open.length - owned.length,
      requests,
      timers: timers.length,
      ...(next !== undefined ? { nextTimer: next } : {}),
      nextTick: q?.nextTick.length ?? 0,
      microtasks: q?.microtasks.length ?? 0,
      immediates: q?.immediates.length ?? 0,
      alive: owned.some((x) => x.ref && (x.active || x.type === 'tcp' || x.type === 'pipe')) || requests.length > 0 || timers.some((x) => x.ref),
    };
  }
  const wantCensus = opts.census === true || session.hasCensus() || fatal.kind === 'oom';
  const census = wantCensus ? attempt(problems, 'heap census', () => objectsCensus(session, { sort: 'bytes', limit: 5, reachable: false, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) })) : undefined;
  return {
    summary: fatalSummary(fatal),
    fatal,
    pid: session.target.pid,
    ...(ctx?.environment !== undefined ? { environment: `0x${ctx.environment.address.toString(16)}` } : {}),
    ...(loop !== undefined ? { loop } : {}),
    ...(census !== undefined ? { heap: { groups: census.groups, total: census.total } } : {}),
    problems,
  };
}
