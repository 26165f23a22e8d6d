// The session's V8Heap for the inspect analyses: one per session (its map and line-end caches are
// shared by every query), built lazily from the session's layout and address space.
import type { Session } from '../session.js';
import { V8Heap } from '../../v8/heap/v8-heap.js';

/** Memo key of the session's V8Heap. */
const HEAP_MEMO = 'v8/heap';

/** The V8Heap of `session`, created on first use and then shared. */
export function sessionHeap(session: Session): V8Heap {
  return session.memoFor(HEAP_MEMO, () => new V8Heap(session.target.space, session.layout()));
}
