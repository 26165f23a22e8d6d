// `objects --diff`: two censuses matched group by group on (constructor, property signature),
// with count and byte growth, largest first — DevTools' comparison view, for cores.
import type { Session } from '../session.js';
import { objectsCensus, type CensusOptions, type CensusResult } from './objects-census.js';

/** Role: one group's change between the two cores. */
export interface CensusDiffRow {
  readonly constructor: string;
  readonly properties: readonly string[];
  readonly before: { readonly count: number; readonly bytes: number };
  readonly after: { readonly count: number; readonly bytes: number };
  readonly countDelta: number;
  readonly bytesDelta: number;
}

/** Role: the diff result. */
export interface CensusDiffResult {
  readonly groups: readonly CensusDiffRow[];
  readonly matched: number;
  readonly before: CensusResult['total'];
  readonly after: CensusResult['total'];
  readonly reachable: boolean;
}

/** Compares the census of `a` (before) with that of `b` (after). */
export function censusDiff(a: Session, b: Session, opts: CensusOptions = {}): CensusDiffResult {
  const all = { ...opts, limit: 0 };
  const ra = objectsCensus(a, all);
  const rb = objectsCensus(b, all);
  const key = (c: string, p: readonly string[]): string => `${c}\u0000${p.join('\u0001')}`;
  const rows = new Map<string, { constructor: string; properties: readonly string[]; before: { count: number; bytes: number }; after: { count: number; bytes: number } }>();
  for (const [side, r] of [['before', ra], ['after', rb]] as const) {
    for (const g of r.groups) {
      const k = key(g.constructor, g.properties);
      const row = rows.get(k) ?? { constructor: g.constructor, properties: g.properties, before: { count: 0, bytes: 0 }, after: { count: 0, bytes: 0 } };
      row[side] = { count: g.count, bytes: g.bytes };
      rows.set(k, row);
    }
  }
  const sortKey = opts.sort === 'bytes' ? 'bytesDelta' : 'countDelta';
  const out = [...rows.values()]
    .map((r) => ({ ...r, countDelta: r.after.count - r.before.count, bytesDelta: r.after.bytes - r.before.bytes }))
    .filter((r) => r.countDelta !== 0 || r.bytesDelta !== 0)
    .sort((x, y) => y[sortKey] - x[sortKey] || y.countDelta - x.countDelta);
  const limit = opts.limit === undefined ? 50 : opts.limit === 0 ? Infinity : opts.limit;
  return { groups: out.slice(0, limit), matched: out.length, before: ra.total, after: rb.total, reachable: opts.reachable === true };
}
