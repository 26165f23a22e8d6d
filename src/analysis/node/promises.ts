// `promises`: every JSPromise of the heap census, pending ones grouped by the handler that will
// run when they settle (the reaction's fulfill handler, else its reject handler; promises nobody
// waits on form the "(no handler)" group), and rejected promises without a handler with their
// reason. The census counts garbage too unless `reachable` asks for the mark.
import { hex } from '../../util/hex.js';
import { promiseFlags, promiseReactions } from '../../v8/objects/promise-reactions.js';
import type { ScanProgress } from '../census/heap-census.js';
import type { Session } from '../session.js';
import { errorInfo, type ErrorInfo } from './error-info.js';
import { callbackOf, isNullish, type CallbackInfo } from './js-object.js';

/** Role: pending promises that share the handler that will run when they settle. */
export interface PromiseGroup {
  /** The function that runs on settlement; `{name: '(no handler)'}` for promises nobody waits on. */
  readonly handler: CallbackInfo;
  /** The reject handler, when the reactions also name one. */
  readonly onRejected?: CallbackInfo;
  readonly count: number;
  /** One promise of the group. */
  readonly example: string;
}

/** Role: a rejected promise that no handler will see, with its reason. */
export interface RejectedPromise {
  readonly address: string;
  readonly reason: ErrorInfo;
}

/** Role: the whole result of `promises`. */
export interface PromisesResult {
  readonly pending: number;
  readonly groups: readonly PromiseGroup[];
  readonly rejected: readonly RejectedPromise[];
  readonly fulfilled: number;
  /** Whether only promises the roots reach were counted. */
  readonly reachable: boolean;
  /** Promises whose flags or reactions did not read. */
  readonly unreadable: number;
}

/** Options of the promises analysis. */
export interface PromisesOptions {
  readonly reachable?: boolean;
  readonly onProgress?: ScanProgress;
  /** Most rejected promises described (default 100). */
  readonly maxRejected?: number;
}

const NO_HANDLER: CallbackInfo = { name: '(no handler)' };

function key(c: CallbackInfo, r: CallbackInfo | undefined): string {
  return `${c.name}\0${c.script ?? ''}\0${c.line ?? ''}\0${c.column ?? ''}\0${r?.name ?? ''}\0${r?.script ?? ''}\0${r?.line ?? ''}`;
}

/** The `promises` analysis over the session's census. */
export function promisesAnalysis(session: Session, opts: PromisesOptions = {}): PromisesResult {
  const heap = session.heap();
  const census = session.census(opts.onProgress);
  const marked = opts.reachable ? session.reachability(opts.onProgress).marked : undefined;
  const t = census.table;
  const type = heap.layout.types.value('JS_PROMISE_TYPE');
  const at = heap.layout.opt.JSPromise_reactions_or_result;
  const groups = new Map<string, { handler: CallbackInfo; onRejected?: CallbackInfo; count: number; example: number }>();
  const rejected: RejectedPromise[] = [];
  let pending = 0;
  let fulfilled = 0;
  let unreadable = 0;
  for (let i = 0; i < t.count; i++) {
    if (t.type(i) !== type || (marked !== undefined && marked[i] === 0)) continue;
    const p = heap.object(t.address(i));
    const flags = p === undefined ? undefined : promiseFlags(heap, p);
    if (p === undefined || flags === undefined || at === undefined) {
      unreadable++;
      continue;
    }
    if (flags.status === 'fulfilled') fulfilled++;
    if (flags.status === 'rejected' && !flags.hasHandler && rejected.length < (opts.maxRejected ?? 100)) {
      rejected.push({ address: hex(p.address), reason: errorInfo(session, heap.field(p.address, at)) });
    }
    if (flags.status !== 'pending') continue;
    pending++;
    const reactions = promiseReactions(heap, p);
    if (reactions === undefined) {
      unreadable++;
      continue;
    }
    const handlers = reactions.length === 0 ? [{ handler: NO_HANDLER }] : reactions.map((r) => {
      const onRejected = isNullish(heap, r.reject) ? undefined : callbackOf(heap, r.reject);
      const onFulfilled = isNullish(heap, r.fulfill) ? undefined : callbackOf(heap, r.fulfill);
      return { handler: onFulfilled ?? onRejected ?? NO_HANDLER, ...(onFulfilled !== undefined && onRejected !== undefined ? { onRejected } : {}) };
    });
    for (const h of handlers) {
      const k = key(h.handler, h.onRejected);
      const g = groups.get(k);
      if (g !== undefined) g.count++;
      else groups.set(k, { ...h, count: 1, example: p.address });
    }
  }
  const sorted = [...groups.values()].sort((a, b) => b.count - a.count).map((g): PromiseGroup => ({ handler: g.handler, ...(g.onRejected !== undefined ? { onRejected: g.onRejected } : {}), count: g.count, example: hex(g.example) }));
  return { pending, groups: sorted, rejected, fulfilled, reachable: opts.reachable === true, unreadable };
}
