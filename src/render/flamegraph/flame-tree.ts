// Merges a profile's stacks into the call tree a flame graph draws: one node per distinct
// path, children sorted by label as flamegraph.pl sorts them. Plain data, no drawing.
import { frameLabel, type FrameKind, type Profile } from '../../profile/profile-model.js';

/** Role: one node of the merged call tree. */
export interface FlameNode {
  readonly label: string;
  readonly kind: FrameKind;
  /** Samples in this node and below. */
  total: number;
  /** Samples with this node as the leaf. */
  self: number;
  readonly children: FlameNode[];
}

/** Role: builds the merged tree; the root is a synthetic `all` node. */
export function buildFlameTree(p: Profile): FlameNode {
  const root: FlameNode = { label: 'all', kind: 'other', total: 0, self: 0, children: [] };
  const index = new Map<FlameNode, Map<number, FlameNode>>();
  const labels = p.frames.map(frameLabel);
  for (const s of p.stacks) {
    if (s.count <= 0) continue;
    let node = root;
    root.total += s.count;
    for (const fi of s.frames) {
      let kids = index.get(node);
      if (!kids) { kids = new Map(); index.set(node, kids); }
      let child = kids.get(fi);
      if (!child) {
        const f = p.frames[fi]!;
        child = { label: labels[fi] ?? '?', kind: f.kind, total: 0, self: 0, children: [] };
        kids.set(fi, child);
        node.children.push(child);
      }
      child.total += s.count;
      node = child;
    }
    node.self += s.count;
  }
  const sortRec = (n: FlameNode): void => {
    n.children.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
    for (const c of n.children) sortRec(c);
  };
  sortRec(root);
  return root;
}
