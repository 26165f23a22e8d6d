// The session's shared V8 pieces: one V8Heap (its map, string and line-end caches serve every
// query) and one index of the embedded builtins, including where V8 remapped them next to its
// code range (Node 22+). Built lazily, once per session.
import { BuiltinRanges, remappedBuiltinAliases } from '../v8/frames/builtin-ranges.js';
import { V8Heap } from '../v8/heap/v8-heap.js';
import type { Session } from './session.js';

/** The V8Heap of `session`, created on first use and then shared. */
export function sessionHeap(session: Session): V8Heap {
  return session.memoFor('v8/heap', () => new V8Heap(session.target.space, session.layout()));
}

/** The session's embedded builtins, also at their remapped addresses. */
export function sessionBuiltins(session: Session): BuiltinRanges {
  return session.memoFor('v8/builtins', () => {
    const t = session.target;
    const aliases = remappedBuiltinAliases(t.space.mappings(), t.executablePath, session.binary().programHeaders, session.binaryBias());
    return new BuiltinRanges(session.v8Symbols(), session.binaryBias(), aliases);
  });
}
