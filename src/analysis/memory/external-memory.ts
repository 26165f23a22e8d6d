// External memory held from JS: each JSArrayBuffer's backing store (pointer and byte length from
// the V8 metadata) attributed to its JS owner: the first typed-array view over it (Buffer,
// Uint8Array, …, by the view's constructor as the census names it), else the ArrayBuffer itself. One pass over the
// census's object table; a store shared by two ArrayBuffers is counted once. External strings'
// characters count too, under "(external string)", unless they lie in a mapped file.
import { arrayBufferInfo, typedArrayInfo } from '../../v8/objects/special-objects.js';
import { externalStringData } from '../../v8/heap/strings.js';
import { hex } from '../../util/hex.js';
import type { HeapCensus } from '../census/heap-census.js';
import { heapObjectOf } from '../census/object-ref.js';

/** Role: bytes held through one constructor's objects. */
export interface ExternalHolderGroup {
  readonly constructor: string;
  readonly count: number;
  readonly bytes: number;
}

/** Role: one large holder, with the addresses `refs` and `path` follow. */
export interface ExternalHolder {
  /** The JS owner (the view, the ArrayBuffer when no view was found, or the external string). */
  readonly address: string;
  readonly constructor: string;
  readonly bytes: number;
  /** The ArrayBuffer (the string itself for an external string). */
  readonly arrayBuffer: string;
  readonly backingStore: string;
}

/** Role: external memory by owner. */
export interface ExternalMemory {
  readonly bytes: number;
  readonly holders: readonly ExternalHolderGroup[];
  readonly top: readonly ExternalHolder[];
  /** The backing stores as [start, end) ranges, sorted (for the address-space reconciliation). */
  readonly ranges: readonly { readonly start: number; readonly end: number }[];
}

interface Store {
  buffer: number;
  store: number;
  length: number;
  owner: number;
  ctor: string;
}

/** Holder name of external strings whose characters live outside every file mapping. */
export const EXTERNAL_STRING = '(external string)';

/**
 * Role: attributes every live backing store of the census's heap to its owner, and external
 * strings whose characters are not in a mapped file (Node's built-in sources point into the
 * binary: not memory anyone holds); `top` largest holders kept.
 */
export function externalMemory(census: HeapCensus, top = 10, inFile: (address: number) => boolean = () => false): ExternalMemory {
  const heap = census.heap;
  const types = heap.layout.types;
  const AB = types.value('JS_ARRAY_BUFFER_TYPE');
  const views = new Set([types.value('JS_TYPED_ARRAY_TYPE')].filter((t): t is number => t !== undefined));
  const t = census.table;
  const byBuffer = new Map<number, Store>();
  const ctorOf = (i: number): string => census.groups[census.groupOf[i]!]?.constructor ?? '(unknown)';
  for (let i = 0; i < t.count; i++) {
    if (t.type(i) !== AB) continue;
    const info = arrayBufferInfo(heap, heapObjectOf(census, i));
    if (info === undefined || info.detached || info.byteLength === 0 || info.backingStore === 0) continue;
    byBuffer.set(t.address(i), { buffer: t.address(i), store: info.backingStore, length: info.byteLength, owner: t.address(i), ctor: ctorOf(i) });
  }
  // A view is matched to its ArrayBuffer through its buffer field when that names a known buffer,
  // else through its data pointer (external_pointer + base_pointer − byte_offset is the store):
  // the buffer field's offset is not in every V8's metadata.
  const byStore = new Map<number, Store>();
  for (const s of byBuffer.values()) if (!byStore.has(s.store)) byStore.set(s.store, s);
  for (let i = 0; i < t.count; i++) {
    if (!views.has(t.type(i))) continue;
    const info = typedArrayInfo(heap, heapObjectOf(census, i));
    if (info === undefined) continue;
    const s = (info.buffer !== undefined ? byBuffer.get(info.buffer.address) : undefined) ?? byStore.get(info.data - info.byteOffset);
    if (s === undefined || s.owner !== s.buffer) continue;
    s.owner = t.address(i);
    s.ctor = ctorOf(i);
  }
  const seen = new Set<number>();
  const stores = [...byBuffer.values()].filter((s) => !seen.has(s.store) && seen.add(s.store) !== undefined);
  for (let i = 0; i < t.count; i++) {
    const x = externalStringData(heap, heapObjectOf(census, i));
    if (x === undefined || x.bytes === 0 || seen.has(x.data) || inFile(x.data)) continue;
    seen.add(x.data);
    stores.push({ buffer: t.address(i), store: x.data, length: x.bytes, owner: t.address(i), ctor: EXTERNAL_STRING });
  }
  const groups = new Map<string, { count: number; bytes: number }>();
  let bytes = 0;
  for (const s of stores) {
    const g = groups.get(s.ctor) ?? { count: 0, bytes: 0 };
    g.count++;
    g.bytes += s.length;
    groups.set(s.ctor, g);
    bytes += s.length;
  }
  return {
    bytes,
    holders: [...groups.entries()].map(([constructor, g]) => ({ constructor, ...g })).sort((a, b) => b.bytes - a.bytes || a.constructor.localeCompare(b.constructor)),
    top: [...stores]
      .sort((a, b) => b.length - a.length || a.owner - b.owner)
      .slice(0, top)
      .map((s) => ({ address: hex(s.owner), constructor: s.ctor, bytes: s.length, arrayBuffer: hex(s.buffer), backingStore: hex(s.store) })),
    ranges: mergeRanges(stores.map((s) => ({ start: s.store, end: s.store + s.length }))),
  };
}

/** Role: sorted, disjoint union of ranges. */
export function mergeRanges(rs: readonly { start: number; end: number }[]): { start: number; end: number }[] {
  const sorted = [...rs].filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ start: r.start, end: r.end });
  }
  return out;
}
