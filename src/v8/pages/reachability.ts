// The postmortem GC: marks what the roots reach, breadth first, so each marked object also gets
// the holder it was first reached from: following those back gives one shortest retaining path.
// Ephemerons are honoured as V8 does: a WeakMap value is live only when its table and its key are.
import type { HeapGraph } from './heap-graph.js';

/** Role: the result of a mark: which objects are live and how each was reached. */
export interface Reachability {
  /** 1 for live objects. */
  readonly marked: Uint8Array;
  /** The holder each object was first reached from; -1 − r for root r; -2^31 for unreached. */
  readonly parent: Int32Array;
  /** Distance from the roots (0 for a root's target). */
  readonly depth: Uint32Array;
  readonly live: number;
}

/** Parent value of objects the mark never reached. */
export const UNREACHED = -0x80000000;

/** Marks from the graph's roots (preferred roots first: their paths win ties). */
export function markReachable(graph: HeapGraph, rootOrder?: readonly number[]): Reachability {
  const n = graph.table.count;
  const marked = new Uint8Array(n);
  const parent = new Int32Array(n).fill(UNREACHED);
  const depth = new Uint32Array(n);
  const queue = new Uint32Array(n);
  let head = 0;
  let tail = 0;
  const roots = graph.roots;
  const order = rootOrder ?? [...Array(roots.count).keys()];
  for (const r of order) {
    const j = roots.target[r]!;
    if (marked[j] === 1) continue;
    marked[j] = 1;
    parent[j] = -1 - r;
    queue[tail++] = j;
  }
  // Ephemerons: per table, its entries; per key, the values waiting for it.
  const byTable = new Map<number, number[]>();
  const eph = graph.ephemerons;
  for (let k = 0; k < eph.length; k += 3) {
    const list = byTable.get(eph[k]!) ?? [];
    list.push(k);
    byTable.set(eph[k]!, list);
  }
  const waiting = new Map<number, number[]>();
  const reach = (j: number, from: number): void => {
    if (marked[j] === 1) return;
    marked[j] = 1;
    parent[j] = from;
    depth[j] = depth[from]! + 1;
    queue[tail++] = j;
  };
  while (head < tail) {
    const i = queue[head++]!;
    for (let k = graph.edgeStart[i]!; k < graph.edgeStart[i + 1]!; k++) reach(graph.edgeTarget[k]!, i);
    const entries = byTable.get(i);
    if (entries !== undefined) {
      for (const k of entries) {
        const key = eph[k + 1]!;
        const value = eph[k + 2]!;
        if (marked[key] === 1) reach(value, i);
        else {
          const w = waiting.get(key) ?? [];
          w.push(i, value);
          waiting.set(key, w);
        }
      }
    }
    const pending = waiting.get(i);
    if (pending !== undefined) {
      waiting.delete(i);
      for (let p = 0; p < pending.length; p += 2) reach(pending[p + 1]!, pending[p]!);
    }
  }
  return { marked, parent, depth, live: tail };
}
