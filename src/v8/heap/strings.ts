// Reads V8 strings of every representation: sequential one-/two-byte, cons (iteratively, with a
// node budget), sliced, thin and external (cached data pointer, else the resource's data_ field).
// Representation and encoding bits come from the layout (V8 src/objects/instance-type.h).
import type { V8Heap, HeapObject } from './v8-heap.js';

/** Role: the text of a V8 string, possibly cut at the requested length. */
export interface StringValue {
  readonly text: string;
  /** Full length of the string in UTF-16 code units. */
  readonly length: number;
  readonly truncated: boolean;
}

/** Options of readString. */
export interface ReadStringOptions {
  /** Most code units to return (default 1024). */
  readonly maxLength?: number;
  /** Most string nodes (cons halves, slices …) to visit (default 65536). */
  readonly maxNodes?: number;
}

/** Largest string length V8 allows (String::kMaxLength on 64-bit), used to reject garbage. */
const MAX_STRING_LENGTH = (1 << 29) - 24;

interface Segment {
  readonly address: number;
  readonly start: number;
  readonly end: number;
}

/** Length of the string object `s`, or undefined when the length field is implausible. */
export function stringLength(heap: V8Heap, address: number): number | undefined {
  const n = heap.int(address + heap.layout.req.String_length, 4);
  return n !== undefined && n >= 0 && n <= MAX_STRING_LENGTH ? n : undefined;
}

/**
 * Reads the string `obj` (which must have a string instance type); returns undefined when any
 * part is unreadable or corrupt.
 */
export function readString(heap: V8Heap, obj: HeapObject, options: ReadStringOptions = {}): StringValue | undefined {
  if (!heap.isString(obj.type)) return undefined;
  const length = stringLength(heap, obj.address);
  if (length === undefined) return undefined;
  const want = Math.min(length, options.maxLength ?? 1024);
  let budget = options.maxNodes ?? 65536;
  const parts: string[] = [];
  let got = 0;
  const stack: Segment[] = [{ address: obj.address, start: 0, end: want }];
  while (stack.length > 0) {
    const seg = stack.pop()!;
    if (seg.end <= seg.start) continue;
    if (--budget < 0) return undefined;
    const r = readSegment(heap, seg, stack);
    if (r === undefined) return undefined;
    if (r !== null) {
      parts.push(r);
      got += r.length;
    }
  }
  if (got !== want) return undefined;
  return { text: parts.join(''), length, truncated: want < length };
}

/** Reads one segment: returns its text, null when it pushed sub-segments, undefined on corruption. */
function readSegment(heap: V8Heap, seg: Segment, stack: Segment[]): string | null | undefined {
  const L = heap.layout.req;
  const o = heap.object(seg.address);
  if (o === undefined || !heap.isString(o.type)) return undefined;
  const len = stringLength(heap, o.address);
  if (len === undefined || seg.end > len) return undefined;
  const rep = o.type & L.StringRepresentationMask;
  const oneByte = (o.type & L.StringEncodingMask) === L.OneByteStringTag;
  const count = seg.end - seg.start;
  if (rep === L.SeqStringTag) {
    const charsAt = o.address + (oneByte ? L.SeqOneByteString_chars : L.SeqTwoByteString_chars);
    return decodeChars(heap, charsAt, seg.start, count, oneByte);
  }
  if (rep === L.ConsStringTag) {
    const first = heap.field(o.address, L.ConsString_first);
    const second = heap.field(o.address, L.ConsString_second);
    if (first?.kind !== 'heap' || second?.kind !== 'heap') return undefined;
    const firstLen = stringLength(heap, first.address);
    if (firstLen === undefined || firstLen > len) return undefined;
    // Pushed second first so that the first half is read first.
    if (seg.end > firstLen) {
      stack.push({ address: second.address, start: Math.max(seg.start, firstLen) - firstLen, end: seg.end - firstLen });
    }
    if (seg.start < firstLen) stack.push({ address: first.address, start: seg.start, end: Math.min(seg.end, firstLen) });
    return null;
  }
  if (rep === L.SlicedStringTag) {
    const parent = heap.field(o.address, L.SlicedString_parent);
    const offset = heap.smiField(o.address, L.SlicedString_offset);
    if (parent?.kind !== 'heap' || offset === undefined || offset < 0) return undefined;
    stack.push({ address: parent.address, start: offset + seg.start, end: offset + seg.end });
    return null;
  }
  if (rep === L.ThinStringTag) {
    const actual = heap.field(o.address, L.ThinString_actual);
    if (actual?.kind !== 'heap') return undefined;
    stack.push({ address: actual.address, start: seg.start, end: seg.end });
    return null;
  }
  if (rep === L.ExternalStringTag) {
    const data = externalData(heap, o);
    if (data === undefined) return undefined;
    return decodeChars(heap, data, seg.start, count, oneByte);
  }
  return undefined;
}

/**
 * Address of an external string's characters. A cached external string keeps the data pointer
 * right after the resource pointer (V8 src/objects/string.h: kResourceDataOffset); an uncached
 * one (or a zero cache) is resolved through the resource object, whose data_ field sits at
 * nodedbg_offset_ExternalString__data__ (Node src/node_postmortem_metadata.cc; 8 = after the vptr).
 */
/** Role: where an external string's characters are and how many bytes they take, or undefined. */
export function externalStringData(heap: V8Heap, o: HeapObject): { data: number; bytes: number } | undefined {
  const L = heap.layout.req;
  if (!heap.isString(o.type) || (o.type & L.StringRepresentationMask) !== L.ExternalStringTag) return undefined;
  const len = stringLength(heap, o.address);
  const data = externalData(heap, o);
  if (len === undefined || data === undefined) return undefined;
  return { data, bytes: len * ((o.type & L.StringEncodingMask) === L.OneByteStringTag ? 1 : 2) };
}

function externalData(heap: V8Heap, o: HeapObject): number | undefined {
  const L = heap.layout;
  const resourceAt = o.address + L.req.ExternalString_resource;
  const uncached = (L.types.name(o.type) ?? '').startsWith('UNCACHED_');
  if (!uncached) {
    const cached = heap.pointer(resourceAt + 8);
    if (cached !== undefined && cached !== 0) return cached;
  }
  const resource = heap.pointer(resourceAt);
  if (resource === undefined || resource === 0) return undefined;
  const data = heap.pointer(resource + (L.opt.ExternalString_data_node ?? 8));
  return data === undefined || data === 0 ? undefined : data;
}

function decodeChars(heap: V8Heap, at: number, start: number, count: number, oneByte: boolean): string | undefined {
  if (count === 0) return '';
  const size = oneByte ? 1 : 2;
  const b = heap.space.tryRead(at + start * size, count * size);
  if (b === undefined) return undefined;
  return b.toString(oneByte ? 'latin1' : 'utf16le');
}
