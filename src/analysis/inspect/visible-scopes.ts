// The scopes a function sees, as DevTools' [[Scopes]] lists them: its context chain, innermost
// first, then the realm's script contexts (the Script scope: top-level let/const/class of every
// classic script), each once. The receiver binding V8 keeps in the realm's first script context
// (`this`, the global proxy) is not a variable and is left out, as DevTools leaves it out.
import type { HeapObject, V8Heap } from '../../v8/heap/v8-heap.js';
import { contextChain, type ContextScope } from '../../v8/objects/context-chain.js';
import { nativeContextOf } from '../../v8/objects/native-context.js';
import { scriptContexts } from '../../v8/objects/script-contexts.js';

/** Role: one visible scope; `kind: 'script'` marks a script context. */
export type VisibleScope = ContextScope & { readonly kind?: 'script' };

/** The non-empty scopes visible from `context` (a function's or a frame's Context). */
export function visibleScopes(heap: V8Heap, context: HeapObject): VisibleScope[] {
  const t = heap.layout.opt.ScriptContextType;
  const asScript = (c: ContextScope): VisibleScope => ({ ...c, kind: 'script', variables: c.variables.filter((v) => v.name !== 'this') });
  const chain = contextChain(heap, context).map((c) => (t !== undefined && heap.object(c.context)?.type === t ? asScript(c) : c));
  const seen = new Set(chain.map((c) => c.context));
  const nc = nativeContextOf(heap, context);
  const realm = (nc === undefined ? [] : scriptContexts(heap, nc))
    .filter((c) => !seen.has(c.address))
    .flatMap((c) => contextChain(heap, c).slice(0, 1))
    .map(asScript);
  return [...chain, ...realm].filter((s) => s.variables.length > 0 || s.note !== undefined);
}
