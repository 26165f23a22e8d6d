// `nodescope refs <core> <addr>` (mdb_v8 ::findjsobjects -r, llnode findrefs): every holder of an
// object, with the edge it holds it by, from the session's reverse-reference index (built once,
// so the next query in the REPL costs a lookup).
import { hex } from '../../util/hex.js';
import type { Session } from '../session.js';
import { EdgeNamer, type EdgeName } from './edge-names.js';
import type { ScanProgress } from './heap-census.js';
import { describeObject, objectIndexAt } from './object-ref.js';
import { describeRoot, type RootDescription } from './root-description.js';

/** Role: one holder of the target (the documented `refs --json` row). */
export interface RefRow {
  readonly holder: string;
  readonly holderKind: string;
  readonly edge: EdgeName;
  /** Set when the holder is garbage (the mark does not reach it). */
  readonly unreachable?: boolean;
}

/** Role: the refs result. */
export interface RefsResult {
  readonly target: string;
  readonly targetKind: string;
  readonly refs: readonly RefRow[];
  /** Roots that point at the target directly. */
  readonly roots: readonly RootDescription[];
  /** Holders in total (refs may be cut by the limit). */
  readonly total: number;
}

/** Options of the refs query. */
export interface RefsOptions {
  readonly limit?: number;
  readonly onProgress?: ScanProgress;
}

/** The holders of the object at `address`. */
export function findRefs(session: Session, address: number, opts: RefsOptions = {}): RefsResult {
  const census = session.census(opts.onProgress);
  const target = objectIndexAt(census, address, 'refs');
  const graph = session.heapGraph(opts.onProgress);
  const marks = session.reachability(opts.onProgress);
  const namer = new EdgeNamer(census.table, graph);
  const rows: RefRow[] = [];
  const seen = new Set<string>();
  const addRow = (holder: number, edge: EdgeName): void => {
    const key = `${holder}:${edge.kind}:${edge.name}`;
    if (seen.has(key)) return;
    seen.add(key);
    rows.push({ holder: hex(census.table.address(holder)), holderKind: describeObject(census, holder), edge, ...(marks.marked[holder] === 0 ? { unreachable: true } : {}) });
  };
  for (const h of graph.holders(target)) for (const r of namer.refs(h, target)) addRow(r.holder, r.edge);
  for (const e of graph.ephemeronHolders(target)) {
    for (const r of namer.refs(e.table, target)) addRow(r.holder, { kind: 'entry', name: `WeakMap entry (key ${hex(census.table.address(e.key))})` });
  }
  const roots: RootDescription[] = [];
  for (let r = 0; r < graph.roots.count; r++) if (graph.roots.target[r] === target) roots.push(describeRoot(session, graph.roots, r));
  const limit = opts.limit === undefined || opts.limit === 0 ? Infinity : opts.limit;
  return { target: hex(census.table.address(target)), targetKind: describeObject(census, target), refs: rows.slice(0, limit), roots, total: rows.length };
}
