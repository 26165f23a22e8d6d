// `nodescope path <core> <addr>`: one shortest retaining path from a root to an object, one edge
// a step, read off the mark's breadth-first parents (so it costs nothing once the mark exists).
// Backing stores are folded into their owners, as DevTools' retainers panel shows them.
import { hex } from '../../util/hex.js';
import { UNREACHED } from '../../v8/pages/reachability.js';
import type { Session } from '../session.js';
import { EdgeNamer, type EdgeName } from './edge-names.js';
import type { ScanProgress } from './heap-census.js';
import { describeObject, objectIndexAt } from './object-ref.js';
import { describeRoot, type RootDescription } from './root-description.js';

/** Role: one step of the path (the documented `path --json` element). */
export interface PathStep {
  readonly address: string;
  readonly description: string;
  /** The edge from the previous step (from the root, for the first). */
  readonly edge: EdgeName | { readonly kind: 'root'; readonly name: string };
}

/** Role: the path result; `root` is absent when nothing reaches the object (garbage). */
export interface PathResult {
  readonly target: string;
  readonly root?: RootDescription;
  readonly path: readonly PathStep[];
  readonly reachable: boolean;
}

/** The retaining path of the object at `address`. */
export function retainingPath(session: Session, address: number, onProgress?: ScanProgress): PathResult {
  const census = session.census(onProgress);
  const target = objectIndexAt(census, address, 'path');
  const graph = session.heapGraph(onProgress);
  const marks = session.reachability(onProgress);
  const targetHex = hex(census.table.address(target));
  if (marks.parent[target] === UNREACHED) return { target: targetHex, path: [], reachable: false };
  const chain: number[] = [];
  for (let j = target; j >= 0 && chain.length <= census.table.count; j = marks.parent[j]!) chain.push(j);
  chain.reverse();
  const rootIndex = -1 - marks.parent[chain[0]!]!;
  const root = describeRoot(session, graph.roots, rootIndex);
  const namer = new EdgeNamer(census.table, graph);
  const steps: PathStep[] = [{ address: hex(census.table.address(chain[0]!)), description: describeObject(census, chain[0]!), edge: { kind: 'root', name: root.name } }];
  // Object index of each step shown, parallel to `steps`.
  const shown = [chain[0]!];
  for (let k = 1; k < chain.length; k++) {
    const from = chain[k - 1]!;
    const to = chain[k]!;
    const refs = namer.refs(from, to);
    // A backing store owned by the object shown before it folds into that object's edge.
    const before = shown.length >= 2 ? shown[shown.length - 2] : undefined;
    const folded = refs.find((r) => r.holder === before && r.via === from);
    if (folded !== undefined) {
      steps.pop();
      shown.pop();
    }
    steps.push(step(census, to, folded?.edge ?? refs[0]?.edge ?? ephemeronEdge(graph.ephemeronHolders(to), from, (i) => census.table.address(i))));
    shown.push(to);
  }
  return { target: targetHex, root, path: steps, reachable: true };

  function step(c: typeof census, i: number, edge: PathStep['edge']): PathStep {
    return { address: hex(c.table.address(i)), description: describeObject(c, i), edge };
  }
}

function ephemeronEdge(holders: readonly { table: number; key: number }[], from: number, addressOf: (i: number) => number): EdgeName {
  const e = holders.find((h) => h.table === from);
  return e === undefined ? { kind: 'internal', name: '?' } : { kind: 'entry', name: `WeakMap entry (key ${hex(addressOf(e.key))})` };
}
