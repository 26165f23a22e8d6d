// `nodescope objects` (mdb_v8's ::findjsobjects): the census as plain data — groups with counts,
// shallow bytes and an example, totals by kind, and how much of the heap was scanned, free or
// skipped. With `reachable`, only what the roots reach is counted (a postmortem GC).
import { hex } from '../../util/hex.js';
import type { Session } from '../session.js';
import { CENSUS_KINDS, type CensusKind } from './group-namer.js';
import type { ScanProgress } from './heap-census.js';

/** Role: one group of the census result (the documented `objects --json` shape). */
export interface CensusGroupRow {
  readonly constructor: string;
  readonly properties: readonly string[];
  readonly count: number;
  readonly bytes: number;
  readonly example: string;
  readonly kind: CensusKind;
}

/** Role: the `objects` result. */
export interface CensusResult {
  readonly groups: readonly CensusGroupRow[];
  /** Groups that matched before `limit` cut the list. */
  readonly matched: number;
  readonly kinds: readonly { readonly kind: CensusKind; readonly count: number; readonly bytes: number }[];
  readonly total: { readonly count: number; readonly bytes: number };
  readonly coverage: {
    readonly pages: number;
    readonly scannedBytes: number;
    readonly skippedBytes: number;
    readonly freeBytes: number;
    /** Memory the core lacks where heap pages could have been (a truncated core). */
    readonly unreadableBytes: number;
    readonly corruptStretches: number;
    readonly resynchronised: number;
  };
  readonly reachable: boolean;
  /** Objects the roots reach, and roots found (reachable mode). */
  readonly live?: { readonly objects: number; readonly roots: number };
}

/** Options of the census query. */
export interface CensusOptions {
  readonly sort?: 'count' | 'bytes';
  /** Most groups listed (0 = all). */
  readonly limit?: number;
  /** Only groups of this constructor (exact name). */
  readonly constructorName?: string;
  /** Only groups whose objects have this own property. */
  readonly property?: string;
  readonly reachable?: boolean;
  readonly onProgress?: ScanProgress;
}

/** Runs the census query on the session's heap (the walk and, for `reachable`, the mark are built once). */
export function objectsCensus(session: Session, opts: CensusOptions = {}): CensusResult {
  const census = session.census(opts.onProgress);
  let counts = census.counts;
  let bytes = census.bytes;
  let examples = census.examples;
  let live: CensusResult['live'];
  if (opts.reachable) {
    const r = session.reachability(opts.onProgress);
    const n = census.groups.length;
    counts = new Float64Array(n);
    bytes = new Float64Array(n);
    examples = new Int32Array(n).fill(-1);
    census.tally(r.marked, counts, bytes, examples);
    live = { objects: r.live, roots: session.heapGraph().roots.count };
  }
  const kindCount = new Map<CensusKind, { count: number; bytes: number }>(CENSUS_KINDS.map((k) => [k, { count: 0, bytes: 0 }]));
  let totalCount = 0;
  let totalBytes = 0;
  const rows: { id: number; count: number; bytes: number }[] = [];
  census.groups.forEach((g, id) => {
    const c = counts[id]!;
    if (c === 0) return;
    const k = kindCount.get(g.kind)!;
    k.count += c;
    k.bytes += bytes[id]!;
    totalCount += c;
    totalBytes += bytes[id]!;
    if (opts.constructorName !== undefined && g.constructor !== opts.constructorName) return;
    if (opts.property !== undefined && !g.properties.includes(opts.property)) return;
    rows.push({ id, count: c, bytes: bytes[id]! });
  });
  const key = opts.sort === 'bytes' ? 'bytes' : 'count';
  rows.sort((a, b) => b[key] - a[key] || b.count - a.count || a.id - b.id);
  const limit = opts.limit === undefined ? 50 : opts.limit === 0 ? Infinity : opts.limit;
  const cov = census.coverage;
  return {
    groups: rows.slice(0, limit).map((r) => {
      const g = census.groups[r.id]!;
      return { constructor: g.constructor, properties: g.properties, count: r.count, bytes: r.bytes, example: hex(census.table.address(examples[r.id]!)), kind: g.kind };
    }),
    matched: rows.length,
    kinds: [...kindCount].filter(([, v]) => v.count > 0).map(([kind, v]) => ({ kind, count: v.count, bytes: v.bytes })),
    total: { count: totalCount, bytes: totalBytes },
    coverage: {
      pages: cov.pages,
      scannedBytes: cov.scannedBytes,
      skippedBytes: cov.skippedBytes,
      freeBytes: cov.freeBytes,
      unreadableBytes: cov.unreadableBytes,
      corruptStretches: cov.corrupt,
      resynchronised: cov.resynchronised,
    },
    reachable: opts.reachable === true,
    ...(live !== undefined ? { live } : {}),
  };
}
