// The heap census: one walk of every page builds the object table and puts each object in its
// group, with counts, shallow bytes and an example address per group. Built once per session
// and then queried (objects, instances, refs and path all index it).
import type { V8Heap } from '../../v8/heap/v8-heap.js';
import { HeapWalker, type WalkCoverage, type WalkGap } from '../../v8/pages/heap-walk.js';
import { ObjectTable } from '../../v8/pages/object-table.js';
import type { AddressSpace } from '../../target/address-space.js';
import { GroupNamer, type CensusGroup } from './group-namer.js';

/** Most unparsed stretches a census remembers. */
const MAX_GAPS = 100_000;

/** Role: reports how far a long scan got (0…1) and what it is doing. */
export type ScanProgress = (fraction: number, what: string) => void;

/** Role: the census of one heap: every object, its group, and per-group totals. */
export class HeapCensus {
  readonly table: ObjectTable;
  readonly groups: readonly CensusGroup[];
  /** Group id per object index. */
  readonly groupOf: Int32Array;
  /** Per group: objects, shallow bytes, first object index. */
  readonly counts: Float64Array;
  readonly bytes: Float64Array;
  readonly examples: Int32Array;
  readonly coverage: WalkCoverage;
  readonly heap: V8Heap;
  /** Milliseconds the walk took. */
  readonly walkMs: number;
  /** The stretches the walk could not parse (the first MAX_GAPS of them). */
  readonly gaps: readonly WalkGap[];

  constructor(space: AddressSpace, heap: V8Heap, onProgress?: ScanProgress, onGap?: (gap: WalkGap) => void) {
    const t0 = performance.now();
    this.heap = heap;
    const gaps: WalkGap[] = [];
    this.gaps = gaps;
    const walker = new HeapWalker(space, heap, (what) => onProgress?.(0, what));
    const namer = new GroupNamer(heap, walker.maps);
    let groupOf = new Int32Array(1 << 20);
    // Per-group totals are summed as the walk goes (one pass), in arrays grown with the groups.
    let counts = new Float64Array(1024);
    let bytes = new Float64Array(1024);
    let examples = new Int32Array(1024).fill(-1);
    this.table = new ObjectTable(
      walker,
      (i, address, mapId, size) => {
        if (i === groupOf.length) groupOf = grown(groupOf, groupOf.length * 2, 0);
        const g = namer.groupOf(mapId, address);
        groupOf[i] = g;
        if (g >= counts.length) {
          counts = grown(counts, counts.length * 2, 0);
          bytes = grown(bytes, bytes.length * 2, 0);
          examples = grown(examples, examples.length * 2, -1);
        }
        counts[g]! += 1;
        bytes[g]! += size;
        if (examples[g] === -1) examples[g] = i;
      },
      (done, total) => onProgress?.(done / total, 'walking the heap'),
      (gap) => {
        if (gaps.length < MAX_GAPS) gaps.push(gap);
        onGap?.(gap);
      },
    );
    this.groupOf = groupOf.slice(0, this.table.count);
    this.groups = namer.groups;
    this.coverage = this.table.coverage;
    const n = this.groups.length;
    this.counts = counts.slice(0, n);
    this.bytes = bytes.slice(0, n);
    this.examples = examples.slice(0, n);
    this.walkMs = performance.now() - t0;
  }

  /** Per-group totals over the objects `marked` (all when undefined) into the given arrays. */
  tally(marked: Uint8Array | undefined, counts: Float64Array, bytes: Float64Array, examples: Int32Array): void {
    const g = this.groupOf;
    const n = this.table.count;
    for (let i = 0; i < n; i++) {
      if (marked !== undefined && marked[i] === 0) continue;
      const k = g[i]!;
      counts[k]!++;
      bytes[k]! += this.table.size(i);
      if (examples[k] === -1) examples[k] = i;
    }
  }
}

function grown<T extends Int32Array | Float64Array>(from: T, size: number, fill: number): T {
  const to = new (from.constructor as new (n: number) => T)(size);
  to.fill(fill);
  to.set(from);
  return to;
}
