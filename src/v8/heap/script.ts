// Script objects: file name, source, and position → line/column through `line_ends` (a FixedArray
// of Smis, or an int32 ByteArray in newer V8) or, when V8 has not computed them, line ends found
// once per script from its source and kept in the session's V8Heap.
import { readString } from './strings.js';
import type { HeapObject, V8Heap } from './v8-heap.js';

/** Role: a 1-based line and column in a script. */
export interface LineColumn {
  readonly line: number;
  readonly column: number;
}

/** Longest source read to compute line ends (characters). */
const MAX_SOURCE_FOR_LINE_ENDS = 64 * 1024 * 1024;
/** Longest line_ends array believed. */
const MAX_LINES = 1 << 24;

/** Whether `o` is a Script. */
export function isScript(heap: V8Heap, o: HeapObject | undefined): o is HeapObject {
  return o !== undefined && o.type === heap.types.SCRIPT;
}

/** The script's name (file path or URL), or undefined. */
export function scriptName(heap: V8Heap, script: HeapObject, maxLength = 4096): string | undefined {
  const n = heap.objectField(script.address, heap.layout.req.Script_name);
  if (n === undefined || !heap.isString(n.type)) return undefined;
  return readString(heap, n, { maxLength })?.text;
}

/** The script's source string object, or undefined. */
export function scriptSource(heap: V8Heap, script: HeapObject): HeapObject | undefined {
  const s = heap.objectField(script.address, heap.layout.req.Script_source);
  return s !== undefined && heap.isString(s.type) ? s : undefined;
}

/** Line-end offsets of the script (cached per session), or undefined when neither V8's nor the source is readable. */
export function scriptLineEnds(heap: V8Heap, script: HeapObject): readonly number[] | undefined {
  const cached = heap.lineEnds.get(script.address);
  if (cached !== undefined) return cached ?? undefined;
  const ends = fromV8(heap, script) ?? fromSource(heap, script);
  heap.lineEnds.set(script.address, ends ?? null);
  return ends;
}

function fromV8(heap: V8Heap, script: HeapObject): number[] | undefined {
  const arr = heap.objectField(script.address, heap.layout.req.Script_line_ends);
  if (arr === undefined) return undefined;
  const n = heap.fixedArrayLength(arr.address);
  if (n === undefined || n === 0 || n > MAX_LINES) return undefined;
  const data = heap.layout.req.FixedArray_data;
  if (arr.type === heap.types.FIXED_ARRAY) {
    const b = heap.space.tryRead(arr.address + data, n * 8);
    if (b === undefined) return undefined;
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      if (b.readUInt32LE(i * 8) !== 0) return undefined;
      out.push(b.readInt32LE(i * 8 + 4));
    }
    return out;
  }
  if (arr.type === heap.types.BYTE_ARRAY || arr.type === heap.types.TRUSTED_BYTE_ARRAY) {
    // V8 ≥ 12 keeps line ends in a FixedIntegerArray<int32_t> (a ByteArray of n × 4 bytes);
    // the ByteArray length is in bytes.
    const b = heap.space.tryRead(arr.address + data, n);
    if (b === undefined || n % 4 !== 0) return undefined;
    const out: number[] = [];
    for (let i = 0; i < n; i += 4) out.push(b.readInt32LE(i));
    return out;
  }
  return undefined;
}

function fromSource(heap: V8Heap, script: HeapObject): number[] | undefined {
  const src = scriptSource(heap, script);
  if (src === undefined) return undefined;
  const text = readString(heap, src, { maxLength: MAX_SOURCE_FOR_LINE_ENDS, maxNodes: 1 << 16 });
  if (text === undefined || text.truncated) return undefined;
  const out: number[] = [];
  const s = text.text;
  // Line terminators as V8's String::CalculateLineEnds sees them (LF, CR, LS, PS; CRLF is one).
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x0a || c === 0x2028 || c === 0x2029) out.push(i);
    else if (c === 0x0d && s.charCodeAt(i + 1) !== 0x0a) out.push(i);
  }
  out.push(s.length);
  return out;
}

/** Converts a character offset to a 1-based line and column using line ends. */
export function lineColumnOf(lineEnds: readonly number[], position: number): LineColumn | undefined {
  if (position < 0 || lineEnds.length === 0 || position > lineEnds[lineEnds.length - 1]!) return undefined;
  let lo = 0;
  let hi = lineEnds.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (lineEnds[mid]! < position) lo = mid + 1;
    else hi = mid;
  }
  const lineStart = lo === 0 ? 0 : lineEnds[lo - 1]! + 1;
  return { line: lo + 1, column: position - lineStart + 1 };
}

/** Line and column of a position in `script`, or undefined. */
export function scriptLineColumn(heap: V8Heap, script: HeapObject, position: number): LineColumn | undefined {
  const ends = scriptLineEnds(heap, script);
  return ends === undefined ? undefined : lineColumnOf(ends, position);
}
