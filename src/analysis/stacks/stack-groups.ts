// Threads with identical stacks coalesced (MDB's ::stacks): threads are grouped by the names of
// their frames (JS function and script, native symbol or module, internal frame type), never by
// addresses, so every idle thread of a libuv pool is one group. Plain data out; render/ formats it.
import type { StackFrame, ThreadStack } from '../stack-model.js';

/** Role: one group of threads whose stacks name the same frames. */
export interface StackGroup {
  readonly count: number;
  readonly threads: readonly { readonly tid: number; readonly name: string }[];
  /** The stack once (the first thread's frames, innermost first). */
  readonly frames: readonly StackFrame[];
  /** Why the first thread's walk ended early, when it did. */
  readonly stopped?: string;
}

/** Role: the result of `stacks`. */
export interface StackGroupsResult {
  readonly groups: readonly StackGroup[];
}

/** Role: filters of `stacks`, as ::stacks -m (module) and -c (function). */
export interface StackGroupFilter {
  /** Keep threads with a frame in this module (basename or path, substring). */
  readonly module?: string;
  /** Keep threads with a frame of this function (JS function or native symbol, substring). */
  readonly function?: string;
}

/** Role: the name a frame is grouped by (no address, no offset into the symbol). */
export function frameGroupKey(f: StackFrame): string {
  if (f.kind === 'js') return `js:${f.function || f.inferredName || f.callName || ''}@${f.script ?? ''}:${f.line ?? ''}`;
  if (f.kind === 'internal') return `internal:${f.frameType ?? ''}`;
  if (f.symbol !== undefined) return `native:${f.symbol}`;
  return `native:?@${f.module ?? ''}`;
}

function matches(t: ThreadStack, filter: StackGroupFilter): boolean {
  const m = filter.module;
  if (m !== undefined && !t.frames.some((f) => f.module !== undefined && (f.module === m || f.module.split('/').pop()!.includes(m)))) return false;
  const fn = filter.function;
  if (fn !== undefined && !t.frames.some((f) => (f.symbol ?? '').includes(fn) || (f.kind === 'js' && (f.function || f.inferredName || f.callName || '').includes(fn)))) return false;
  return true;
}

/** Role: groups threads by frame names; largest groups first, then by first thread id. */
export function groupStacks(threads: Iterable<ThreadStack>, filter: StackGroupFilter = {}): StackGroupsResult {
  const byKey = new Map<string, { threads: { tid: number; name: string }[]; first: ThreadStack }>();
  for (const t of threads) {
    if (!matches(t, filter)) continue;
    const key = t.frames.map(frameGroupKey).join('\n');
    const g = byKey.get(key);
    if (g === undefined) byKey.set(key, { threads: [{ tid: t.tid, name: t.name }], first: t });
    else g.threads.push({ tid: t.tid, name: t.name });
  }
  const groups = [...byKey.values()].map(
    (g): StackGroup => ({ count: g.threads.length, threads: g.threads, frames: g.first.frames, ...(g.first.stopped !== undefined ? { stopped: g.first.stopped } : {}) }),
  );
  groups.sort((a, b) => b.count - a.count || a.threads[0]!.tid - b.threads[0]!.tid);
  return { groups };
}
