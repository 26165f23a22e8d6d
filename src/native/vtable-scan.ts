// Finds C++ objects by their vtable: every 8-aligned word of writable anonymous memory equal to
// one of the given vtable addresses (an object's vptr is the vtable symbol + 16 under the Itanium
// C++ ABI: offset-to-top and typeinfo come first). One pass for all vtables; no object is read.
import type { AddressSpace, Mapping } from '../target/address-space.js';

/** Options of scanVtables. */
export interface VtableScanOptions {
  /** Mappings larger than this are skipped (V8's multi-GB reservations); default 4 GiB. */
  readonly maxMappingBytes?: number;
  /** Most hits kept per vtable (default 4096). */
  readonly maxHits?: number;
  /** Reports bytes scanned so far. */
  readonly onProgress?: (bytes: number, total: number) => void;
}

/** Role: the addresses of objects whose first word is each vptr. */
export type VtableHits = ReadonlyMap<number, readonly number[]>;

const CHUNK = 4 << 20;

/** Whether a mapping may hold heap-allocated C++ objects: readable, writable, not a file. */
function scannable(m: Mapping, max: number): boolean {
  return m.readable && m.writable && m.path === undefined && m.end - m.start <= max;
}

/** The vptr an object of a class holds, from the address of its vtable symbol in the target. */
export function vptrOf(vtableSymbolAddress: number): number {
  return vtableSymbolAddress + 16;
}

/** Scans writable anonymous memory once for objects with any of the given vptrs. */
export function scanVtables(space: AddressSpace, vptrs: readonly number[], opts: VtableScanOptions = {}): VtableHits {
  const max = opts.maxMappingBytes ?? 4 * 2 ** 30;
  const maxHits = opts.maxHits ?? 4096;
  const needles = vptrs.map((v) => {
    const b = Buffer.alloc(8);
    b.writeUInt32LE(v % 0x1_0000_0000, 0);
    b.writeUInt32LE(Math.floor(v / 0x1_0000_0000), 4);
    return b;
  });
  const hits = new Map<number, number[]>(vptrs.map((v) => [v, []]));
  const maps = space.mappings().filter((m) => scannable(m, max));
  const total = maps.reduce((a, m) => a + (m.end - m.start), 0);
  const buf = Buffer.allocUnsafe(CHUNK);
  let done = 0;
  for (const m of maps) {
    for (let a = m.start; a < m.end; a += CHUNK) {
      const len = Math.min(CHUNK, m.end - a);
      done += len;
      if (!space.readInto(a, buf, 0, len)) continue;
      const view = buf.subarray(0, len);
      needles.forEach((needle, k) => {
        const list = hits.get(vptrs[k]!)!;
        for (let at = view.indexOf(needle); at >= 0 && list.length < maxHits; at = view.indexOf(needle, at + 1)) {
          if (at % 8 === 0) list.push(a + at);
        }
      });
      opts.onProgress?.(done, total);
    }
  }
  return hits;
}
