// Finds the menagerie scenario's root object in a core without hard-coded addresses: the marker
// string's bytes locate the SeqOneByteString, a tagged word pointing at it locates the root's
// `marker` field, and the object that contains that word is the root.
import { ownNamedProperties, keyText } from '../../src/v8/heap/named-properties.js';
import type { V8Heap } from '../../src/v8/heap/v8-heap.js';
import { whatIsIn } from '../../src/analysis/inspect/what-is.js';

/** Largest mapping scanned in one read. */
const CHUNK = 64 * 1024 * 1024;

function* writableChunks(heap: V8Heap): Generator<{ start: number; data: Buffer }> {
  for (const m of heap.space.mappings()) {
    if (!m.writable || !m.readable) continue;
    for (let at = m.start; at < m.end; at += CHUNK) {
      const len = Math.min(CHUNK, m.end - at);
      const data = heap.space.tryRead(at, len);
      if (data !== undefined) yield { start: at, data };
    }
  }
}

/** Addresses of every occurrence of `needle` in the target's writable memory. */
export function findBytes(heap: V8Heap, needle: Buffer, max = 64): number[] {
  const out: number[] = [];
  for (const { start, data } of writableChunks(heap)) {
    for (let i = data.indexOf(needle); i >= 0 && out.length < max; i = data.indexOf(needle, i + 1)) out.push(start + i);
  }
  return out;
}

/** The menagerie root object's address, or throws with what was found. */
export function findMenagerieRoot(heap: V8Heap, marker: string): number {
  const chars = heap.layout.req.SeqOneByteString_chars;
  const strings = findBytes(heap, Buffer.from(marker, 'latin1'))
    .map((a) => a - chars)
    .filter((a) => {
      const o = heap.object(a);
      return o !== undefined && heap.isString(o.type) && heap.int(a + heap.layout.req.String_length, 4) === marker.length;
    });
  for (const s of strings) {
    const word = Buffer.alloc(8);
    word.writeBigUInt64LE(BigInt(s) + 1n);
    for (const ref of findBytes(heap, word)) {
      const w = whatIsIn(heap, ref);
      if (w.kind === 'inside' && heap.layout.types.name(w.type) === 'JS_OBJECT_TYPE' && isRoot(heap, w.object)) return w.object;
    }
  }
  throw new Error(`menagerie root not found (${strings.length} marker strings)`);
}

/** Whether the object's own keys are the root's (`marker`, `values`). */
function isRoot(heap: V8Heap, address: number): boolean {
  const o = heap.object(address);
  if (o === undefined) return false;
  const walk = ownNamedProperties(heap, o, 8);
  return walk.entries.map((e) => keyText(heap, e.key)).join(',') === 'marker,values';
}
