// What a heap snapshot holds beyond the strong mark: V8 writes every object that survived its
// collection, and objects reached only through weak references (maps held by transition arrays,
// code by feedback) survive until a GC clears them. The closure of the mark over weak and strong
// edges, over the reference graph's arrays.
import type { HeapGraph } from '../../v8/pages/heap-graph.js';

/** A copy of `marked` with every object reachable from it through weak or strong references. */
export function weakClosure(graph: HeapGraph, marked: Uint8Array): Uint8Array {
  const n = graph.table.count;
  const out = marked.slice();
  const w = graph.weakRefs;
  // The weak references as a CSR by holder (they are in holder order already).
  const start = new Uint32Array(n + 1);
  for (let k = 0; k < w.length; k += 3) start[w[k]! + 1]!++;
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  const stack: number[] = [];
  for (let k = 0; k < w.length; k += 3) if (out[w[k]!] === 1 && out[w[k + 1]!] === 0) stack.push(w[k + 1]!);
  for (let k = 0; k < graph.ephemerons.length; k += 3) if (out[graph.ephemerons[k]!] === 1 && out[graph.ephemerons[k + 1]!] === 0) stack.push(graph.ephemerons[k + 1]!);
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (out[i] === 1) continue;
    out[i] = 1;
    for (let k = graph.edgeStart[i]!; k < graph.edgeStart[i + 1]!; k++) if (out[graph.edgeTarget[k]!] === 0) stack.push(graph.edgeTarget[k]!);
    for (let k = start[i]!; k < start[i + 1]!; k++) if (out[w[k * 3 + 1]!] === 0) stack.push(w[k * 3 + 1]!);
  }
  return out;
}
