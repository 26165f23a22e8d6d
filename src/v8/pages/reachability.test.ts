// The postmortem mark on a hand-made graph: breadth-first parents give shortest paths, roots in
// the given order win ties, and ephemerons keep a value only when both its table and its key live.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HeapGraph } from './heap-graph.js';
import { markReachable, UNREACHED } from './reachability.js';

/** A HeapGraph-shaped graph of `n` objects from an edge list (only what markReachable reads). */
function graph(n: number, edges: readonly [number, number][], roots: readonly number[], ephemerons: readonly [number, number, number][] = []): HeapGraph {
  const start = new Uint32Array(n + 1);
  const sorted = [...edges].sort((a, b) => a[0] - b[0]);
  for (const [from] of sorted) start[from + 1]!++;
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  return {
    table: { count: n },
    edgeStart: start,
    edgeTarget: Uint32Array.from(sorted.map((e) => e[1])),
    ephemerons: Uint32Array.from(ephemerons.flat()),
    roots: { target: Uint32Array.from(roots), kind: roots.map(() => 'stack'), at: new Float64Array(roots.length), tid: new Int32Array(roots.length), count: roots.length },
  } as unknown as HeapGraph;
}

test('breadth first: the shortest path wins, unreachable objects stay unmarked', () => {
  // 0 → 1 → 2 → 3, 0 → 3 directly; 4 → 3 but nothing reaches 4.
  const r = markReachable(graph(5, [[0, 1], [1, 2], [2, 3], [0, 3], [4, 3]], [0]));
  assert.deepEqual([...r.marked], [1, 1, 1, 1, 0]);
  assert.equal(r.parent[3], 0, 'reached from 0 in one step, not through 1 and 2');
  assert.equal(r.depth[3], 1);
  assert.equal(r.parent[0], -1, 'root 0');
  assert.equal(r.parent[4], UNREACHED);
  assert.equal(r.live, 4);
});

test('roots in the given order win ties', () => {
  const g = graph(3, [[0, 2], [1, 2]], [0, 1]);
  assert.equal(markReachable(g, [1, 0]).parent[2], 1);
  assert.equal(markReachable(g, [0, 1]).parent[2], 0);
});

test('an ephemeron value lives only while its table and its key do', () => {
  // Table 1 holds (key 2 → value 3) and (key 4 → value 5); the root reaches the table and key 2.
  const r = markReachable(graph(6, [[0, 1], [0, 2]], [0], [[1, 2, 3], [1, 4, 5]]));
  assert.equal(r.marked[3], 1, 'its key is live');
  assert.equal(r.parent[3], 1, 'held by the table');
  assert.equal(r.marked[5], 0, 'its key is dead');
  // The key reached after the table: the waiting value is marked then.
  const late = markReachable(graph(7, [[0, 1], [0, 6], [6, 2]], [0], [[1, 2, 3]]));
  assert.equal(late.marked[3], 1);
  // A dead table keeps nothing, even with a live key.
  const dead = markReachable(graph(4, [[0, 2]], [0], [[1, 2, 3]]));
  assert.equal(dead.marked[3], 0);
});
