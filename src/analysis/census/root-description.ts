// What a root of the postmortem mark is, in words: the thread whose stack or register holds the
// pointer, the Isolate, a global handle, the microtask queue or the read-only space.
import type { HeapRoots } from '../../v8/pages/heap-roots.js';
import { hex } from '../../util/hex.js';
import type { Session } from '../session.js';

/** Role: a root as refs and path show it (the documented `path --json` root). */
export interface RootDescription {
  readonly kind: string;
  readonly name: string;
  /** Address of the root word, where it has one. */
  readonly at?: string;
}

/** Describes root `r`. */
export function describeRoot(session: Session, roots: HeapRoots, r: number): RootDescription {
  const kind = roots.kind[r]!;
  const tid = roots.tid[r]!;
  const at = roots.at[r]!;
  const thread = (): string => {
    const name = session.threadNames.get(tid) ?? session.target.threads.find((t) => t.tid === tid)?.name;
    return `thread ${tid}${tid === session.target.pid ? ' (main)' : name ? ` (${name})` : ''}`;
  };
  const where = at !== 0 ? { at: hex(at) } : {};
  switch (kind) {
    case 'stack':
      return { kind, name: `stack of ${thread()}`, ...where };
    case 'register':
      return { kind, name: `a register of ${thread()}` };
    case 'isolate':
      return { kind, name: 'the Isolate (roots table, builtins, thread-local state)', ...where };
    case 'global handle':
      return { kind, name: 'a strong global handle (v8::Global / Persistent)', ...where };
    case 'microtask queue':
      return { kind, name: 'a pending microtask', ...where };
    default:
      return { kind, name: 'the read-only space (immortal)' };
  }
}
