// The objects to find Node's Environments from: the function and context of every JS frame of
// every thread, main thread first (route 1 of src/node/environment.ts starts from them).
import type { HeapObject } from '../../v8/heap/v8-heap.js';
import type { Session } from '../session.js';
import { threadStacks } from '../stack.js';

/** Most frames read per thread (the innermost ones name the thread's Environment). */
const FRAMES_PER_THREAD = 8;

/** Role: every JS frame's JSFunction and its Context, main thread first. */
export function frameProbes(session: Session): HeapObject[] {
  const heap = session.heap();
  const L = heap.layout.req;
  const out: HeapObject[] = [];
  for (const t of threadStacks(session, { maxFrames: 256 })) {
    let n = 0;
    for (const f of t.frames) {
      if (f.kind !== 'js' || f.fp === undefined || n >= FRAMES_PER_THREAD) continue;
      const fn = heap.objectOf(heap.word(parseInt(f.fp, 16) + L.off_fp_function));
      if (fn === undefined || !heap.isJSFunction(fn.type)) continue;
      n++;
      out.push(fn);
      const ctx = heap.objectField(fn.address, L.JSFunction_context);
      if (ctx !== undefined) out.push(ctx);
    }
  }
  return out;
}
