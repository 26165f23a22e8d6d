// The address space split by owner with nothing counted twice: mappings are first made disjoint
// (a core may list a range twice), then one sweep over every boundary gives each byte to the
// first claim that covers it (V8 heap pages, backing stores, the malloc heap, …) or, unclaimed,
// to what its mapping is (stack, file, JIT code, reserved, unexplained). The sum is the total.
import type { Mapping } from '../../target/address-space.js';

/** Role: one owner of address-space bytes. */
export interface MemoryCategory {
  readonly name: string;
  readonly bytes: number;
}

/** Role: ranges an owner claims (any order, may overlap each other). */
export interface Claim {
  readonly name: string;
  readonly ranges: readonly { readonly start: number; readonly end: number }[];
}

/** Role: the reconciled split. */
export interface Reconciled {
  /** Bytes mapped (the union of the mappings), or as `measure` counts them. */
  readonly total: number;
  /** Every category, in claim order then mapping kinds; bytes add up to total. */
  readonly categories: readonly MemoryCategory[];
}

/** Role: splits the union of `mappings` among `claims` (earlier wins), the rest by `kindOf` of its mapping. */
export function reconcile(
  mappings: readonly Mapping[],
  claims: readonly Claim[],
  kindOf: (m: Mapping) => string,
  kindOrder: readonly string[],
  /** Bytes that count in [start, end) of mapping m (default all: end − start; live: the resident ones). */
  measure: (m: Mapping, start: number, end: number) => number = (_m, s, e) => e - s,
): Reconciled {
  const pieces: { start: number; end: number; m: Mapping }[] = [];
  let reach = -Infinity;
  for (const m of [...mappings].sort((a, b) => a.start - b.start || b.end - a.end)) {
    const start = Math.max(m.start, reach);
    if (m.end > start) pieces.push({ start, end: m.end, m });
    reach = Math.max(reach, m.end);
  }
  // Events: +1/−1 per claim at its bounds; pieces are disjoint, so one is open at a time.
  const at: number[] = [];
  const delta: number[] = [];
  const who: number[] = [];
  claims.forEach((c, k) => {
    for (const r of c.ranges) {
      if (r.end <= r.start) continue;
      at.push(r.start, r.end);
      delta.push(1, -1);
      who.push(k, k);
    }
  });
  pieces.forEach((p, i) => {
    at.push(p.start, p.end);
    delta.push(1, -1);
    who.push(-1 - i, -1 - i);
  });
  const order = Array.from(at.keys()).sort((a, b) => at[a]! - at[b]! || delta[a]! - delta[b]!);
  const open = new Int32Array(claims.length);
  const bytes = new Map<string, number>();
  const add = (name: string, n: number): void => void bytes.set(name, (bytes.get(name) ?? 0) + n);
  let piece = -1;
  let prev = 0;
  let total = 0;
  for (const e of order) {
    const x = at[e]!;
    if (piece >= 0 && x > prev) {
      const len = measure(pieces[piece]!.m, prev, x);
      total += len;
      let k = 0;
      while (k < claims.length && open[k] === 0) k++;
      add(k < claims.length ? claims[k]!.name : kindOf(pieces[piece]!.m), len);
    }
    prev = x;
    const w = who[e]!;
    if (w >= 0) open[w]! += delta[e]!;
    else piece = delta[e]! > 0 ? -1 - w : -1;
  }
  const names = [...claims.map((c) => c.name), ...kindOrder];
  for (const n of bytes.keys()) if (!names.includes(n)) names.push(n);
  return { total, categories: names.map((name) => ({ name, bytes: bytes.get(name) ?? 0 })) };
}
