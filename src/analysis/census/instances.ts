// `nodescope instances <core> <constructor>` (mdb_v8 ::findjsinstances): the addresses of every
// object of one constructor, in address order, a page at a time; with `print`, each one's value.
import { hex } from '../../util/hex.js';
import { inspectTagged, type InspectOptions } from '../inspect/inspect-value.js';
import type { ValueNode } from '../inspect/value-node.js';
import type { Session } from '../session.js';
import type { ScanProgress } from './heap-census.js';

/** Role: one instance (the documented `instances --json` row). */
export interface InstanceRow {
  readonly address: string;
  readonly size: number;
  readonly properties: readonly string[];
  readonly value?: ValueNode;
}

/** Role: the instances result. */
export interface InstancesResult {
  readonly constructor: string;
  readonly total: number;
  readonly offset: number;
  readonly instances: readonly InstanceRow[];
  readonly reachable: boolean;
}

/** Options of the instances query. */
export interface InstancesOptions {
  readonly limit?: number;
  readonly offset?: number;
  /** Print each instance's value (util.inspect-style, at this depth). */
  readonly print?: InspectOptions;
  readonly reachable?: boolean;
  readonly onProgress?: ScanProgress;
}

/** Lists the instances of `constructorName`. */
export function findInstances(session: Session, constructorName: string, opts: InstancesOptions = {}): InstancesResult {
  const census = session.census(opts.onProgress);
  const marked = opts.reachable ? session.reachability(opts.onProgress).marked : undefined;
  const wanted = new Set<number>();
  census.groups.forEach((g, id) => {
    if (g.constructor === constructorName) wanted.add(id);
  });
  const offset = opts.offset ?? 0;
  const limit = opts.limit === undefined ? 20 : opts.limit === 0 ? Infinity : opts.limit;
  const rows: InstanceRow[] = [];
  let total = 0;
  for (let i = 0; i < census.table.count; i++) {
    if (!wanted.has(census.groupOf[i]!) || (marked !== undefined && marked[i] === 0)) continue;
    total++;
    if (total <= offset || rows.length >= limit) continue;
    const address = census.table.address(i);
    const g = census.groups[census.groupOf[i]!]!;
    const value = opts.print !== undefined ? inspectTagged(census.heap, { kind: 'heap', address }, opts.print) : undefined;
    rows.push({ address: hex(address), size: census.table.size(i), properties: g.properties, ...(value !== undefined ? { value } : {}) });
  }
  return { constructor: constructorName, total, offset, instances: rows, reachable: opts.reachable === true };
}
