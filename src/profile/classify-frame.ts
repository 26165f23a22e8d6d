// Guesses a frame's kind from its name alone, for readers of formats that do not record it
// (folded stacks, pprof) and for native symbols. Not used when a sampler knows the kind.
import type { FrameKind } from './profile-model.js';

const GC = /(^\(garbage collector\)$|^\[gc\]|v8::internal::(Heap|Scavenger|MarkCompact|MinorMarkCompact|MinorMS|ConcurrentMarking|Sweeper|IncrementalMarking|MarkingVisitor|GCTracer|Evacuat)|cppgc::internal::(Marker|Sweeper))/;

/** Role: classifies a frame name, with an optional file, into a FrameKind. */
export function classifyFrameName(name: string, file?: string): FrameKind {
  if (GC.test(name)) return 'gc';
  if (name.startsWith('Builtins_') || name.startsWith('Builtin:') || name === '[interpreted]' || /^\(program\)$|^\(idle\)$|^\(root\)$/.test(name)) {
    return name.startsWith('(') ? 'other' : 'builtin';
  }
  if (name === '[JIT]') return 'js';
  if (file !== undefined && file !== '') {
    if (/\.(m|c)?js$|^node:|^file:|^https?:|^evalmachine/.test(file)) return 'js';
    return 'native';
  }
  if (/::|^_Z|^(uv_|ssl|SSL_|EVP_|CRYPTO_|napi_|__libc|pthread_|epoll_|malloc|free|mem(cpy|set|move))/.test(name)) return 'native';
  return 'other';
}
