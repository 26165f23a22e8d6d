// The heap's reference graph over the object table, built in one more pass over the pages:
// forward edges (holder → target) and reverse edges (target → holders) as CSR arrays of object
// indexes with each edge's slot offset in its holder, the weak references (weakly tagged words and
// the weak fields of JSWeakRef/WeakCell, kept apart: they never keep an object alive), the
// ephemeron pairs of WeakMap/WeakSet tables, and the roots (heap-roots.ts).
import type { AddressSpace } from '../../target/address-space.js';
import { findRoots, pageHighs, type HeapRoots, type RootInputs } from './heap-roots.js';
import type { ObjectTable } from './object-table.js';
import { SlotRule, SlotRules } from './slot-rules.js';

const CHUNK = 4 << 20;

/** Role: forward and reverse edges, ephemerons and roots of one heap. */
export class HeapGraph {
  readonly edgeStart: Uint32Array;
  readonly edgeTarget: Uint32Array;
  /** Byte offset in its holder of the slot of each forward edge (0: the map word). */
  readonly edgeOffset: Uint32Array;
  /** Weak references as flat (holder, target, slot offset) triples, in holder order. */
  readonly weakRefs: Uint32Array;
  readonly revStart: Uint32Array;
  readonly revHolder: Uint32Array;
  /** Flattened (table, key, value) triples of EphemeronHashTable entries. */
  readonly ephemerons: Uint32Array;
  readonly roots: HeapRoots;
  readonly slots: SlotRules;

  constructor(
    space: AddressSpace,
    readonly table: ObjectTable,
    rootInputs: RootInputs,
    onProgress?: (fraction: number, what: string) => void,
  ) {
    const heap = table.walker.heap;
    this.slots = new SlotRules(heap.layout);
    const eph = ephemeronType(table);
    if (eph !== undefined) this.slots.setEphemeronType(eph);
    const highs = pageHighs(table);
    const n = table.count;
    const edgeStart = new Uint32Array(n + 1);
    let targets = new Uint32Array(1 << 20);
    let offsets = new Uint32Array(1 << 20);
    let e = 0;
    const ephemerons: number[] = [];
    const weak: number[] = [];
    const push = (j: number, off: number): void => {
      if (e === targets.length) {
        targets = grown(targets);
        offsets = grown(offsets);
      }
      offsets[e] = off;
      targets[e++] = j;
    };
    const buf = Buffer.allocUnsafe(CHUNK + 16);
    const u32 = new Uint32Array(buf.buffer, buf.byteOffset, (CHUNK + 16) >>> 2);
    const ps = table.walker.pages.pages;
    let winStart = 0;
    let winLen = 0;
    const load = (a: number, end: number): boolean => {
      const len = Math.min(CHUNK, end - a);
      winStart = a;
      winLen = space.readInto(a, buf, 0, len) ? len : 0;
      return winLen > 0;
    };
    // Every object's map word is an edge too (to its Map), found once per map id.
    const mapIndex = new Int32Array(table.walker.maps.count).fill(-2);
    const mapEdge = (mapId: number): number => {
      let j = mapIndex[mapId]!;
      if (j === -2) {
        j = table.indexOf(table.walker.maps.address(mapId));
        mapIndex[mapId] = j;
      }
      return j;
    };
    for (let pi = 0; pi < ps.length; pi++) {
      const first = table.pageFirst[pi]!;
      const last = table.pageFirst[pi + 1]!;
      if (first === last) continue;
      const pageEnd = ps[pi]!.areaEnd;
      winLen = 0;
      for (let i = first; i < last; i++) {
        edgeStart[i] = e;
        const a = table.address(i);
        const size = table.size(i);
        const type = table.type(i);
        const m = mapEdge(table.mapId(i));
        if (m >= 0) push(m, 0);
        const rule = this.slots.rule[type] as SlotRule;
        if (rule === SlotRule.None) continue;
        if (a < winStart || a + Math.min(size, 64) > winStart + winLen) {
          if (!load(a, pageEnd)) continue;
        }
        let from = 8;
        let to = size;
        let skipA = -1;
        let skipB = -1;
        const p1 = this.slots.param[type]!;
        switch (rule) {
          case SlotRule.Prefix:
            to = Math.min(size, p1);
            break;
          case SlotRule.Between:
            from = p1;
            to = this.slots.param2[type]! + 8;
            break;
          case SlotRule.From:
            from = p1;
            break;
          case SlotRule.Preparse:
            from = Math.ceil((16 + buf.readInt32LE(a - winStart + 8)) / 8) * 8;
            break;
          case SlotRule.NativeContext:
            from = 16;
            to = size - this.slots.nativeContextRaw;
            break;
          case SlotRule.AllBut:
            skipA = p1;
            skipB = this.slots.param2[type]!;
            break;
          case SlotRule.Ephemeron:
            collectEphemerons(buf, a - winStart, Math.min(size, winStart + winLen - a), i, highs, table, ephemerons);
            continue;
          default:
            break;
        }
        for (let x = a + from; x < a + to; x += 8) {
          if (x + 8 > winStart + winLen && !load(x, pageEnd)) break;
          const w = (x - winStart) >>> 2;
          const lo = u32[w]!;
          const tag = lo & 3;
          if (tag === 0 || tag === 2) continue;
          const hi = u32[w + 1]!;
          if (hi >= 1 << 15 || highs[hi] === 0) continue;
          const off = x - a;
          const j = table.indexOf(hi * 0x1_0000_0000 + (lo - tag));
          if (j < 0) continue;
          if (tag === 3 || off === skipA || off === skipB) weak.push(i, j, off);
          else push(j, off);
        }
      }
      onProgress?.((pi + 1) / ps.length, 'indexing references');
    }
    edgeStart[n] = e;
    this.edgeStart = edgeStart;
    this.edgeTarget = targets.slice(0, e);
    this.edgeOffset = offsets.slice(0, e);
    this.weakRefs = Uint32Array.from(weak);
    this.ephemerons = Uint32Array.from(ephemerons);
    [this.revStart, this.revHolder] = reverse(edgeStart, this.edgeTarget, n);
    onProgress?.(1, 'finding roots');
    this.roots = findRoots(space, table, rootInputs);
  }

  /** Holders of object `j` (unique, ascending). */
  holders(j: number): number[] {
    const out: number[] = [];
    let last = -1;
    for (let k = this.revStart[j]!; k < this.revStart[j + 1]!; k++) {
      const h = this.revHolder[k]!;
      if (h !== last) out.push(h);
      last = h;
    }
    return out;
  }

  /** Ephemeron tables holding object `j` as a value, with the key each entry needs. */
  ephemeronHolders(j: number): { table: number; key: number }[] {
    const out: { table: number; key: number }[] = [];
    for (let k = 0; k < this.ephemerons.length; k += 3) if (this.ephemerons[k + 2] === j) out.push({ table: this.ephemerons[k]!, key: this.ephemerons[k + 1]! });
    return out;
  }
}

/** The EphemeronHashTable instance type, read from a JSWeakMap's or JSWeakSet's table. */
function ephemeronType(table: ObjectTable): number | undefined {
  const heap = table.walker.heap;
  const at = heap.layout.opt.JSWeakCollection_table;
  const weak = new Set([heap.layout.types.value('JS_WEAK_MAP_TYPE'), heap.layout.types.value('JS_WEAK_SET_TYPE')]);
  if (at === undefined) return undefined;
  for (let i = 0; i < table.count; i++) {
    if (!weak.has(table.type(i))) continue;
    const t = heap.objectField(table.address(i), at);
    const fixed = heap.types.FIXED_ARRAY;
    if (t !== undefined && fixed !== undefined && t.type > fixed && t.type <= (heap.layout.opt.LastFixedArrayType ?? fixed)) return t.type;
  }
  return undefined;
}

/** Records (table, key, value) for each live entry of an EphemeronHashTable (V8 src/objects/hash-table.h). */
function collectEphemerons(buf: Buffer, off: number, avail: number, tableIndex: number, highs: Uint8Array, table: ObjectTable, out: number[]): void {
  if (avail < 40) return;
  const cap = buf.readUInt32LE(off + 32) === 0 ? buf.readInt32LE(off + 36) : -1;
  if (cap < 0) return;
  const resolve = (at: number): number => {
    if (at + 8 > avail) return -1;
    const lo = buf.readUInt32LE(off + at);
    const hi = buf.readUInt32LE(off + at + 4);
    if ((lo & 3) !== 1 || hi >= 1 << 15 || highs[hi] === 0) return -1;
    return table.indexOf(hi * 0x1_0000_0000 + (lo - 1));
  };
  for (let e = 0; e < cap; e++) {
    const at = 16 + (3 + e * 2) * 8;
    const key = resolve(at);
    const value = resolve(at + 8);
    if (key >= 0 && value >= 0) out.push(tableIndex, key, value);
  }
}

function grown(from: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> {
  const to = new Uint32Array(from.length * 2);
  to.set(from);
  return to;
}

/** CSR of the reverse edges. */
function reverse(start: Uint32Array, targets: Uint32Array, n: number): [Uint32Array, Uint32Array] {
  const revStart = new Uint32Array(n + 1);
  for (let k = 0; k < targets.length; k++) revStart[targets[k]! + 1]!++;
  for (let i = 0; i < n; i++) revStart[i + 1]! += revStart[i]!;
  const fill = revStart.slice(0, n);
  const holders = new Uint32Array(targets.length);
  for (let i = 0; i < n; i++) {
    for (let k = start[i]!; k < start[i + 1]!; k++) holders[fill[targets[k]!]!++] = i;
  }
  return [revStart, holders];
}
