// One-line previews of values for stack frames (`this` and arguments): numbers, strings quoted
// and cut, oddballs, functions, arrays with length, objects with constructor name and their
// first properties, from the same property walker `print` (#3) uses.
import { describeFunction } from './function-info.js';
import { constructorName } from './constructor-name.js';
import { HOLE_NAN_WORD } from './hole.js';
import { keyText, ownNamedProperties } from './named-properties.js';
import { readString } from './strings.js';
import type { Tagged } from './tagged.js';
import type { HeapObject, V8Heap } from './v8-heap.js';

/** Role: a previewed value as analyses return it (plain data). */
export interface ValuePreview {
  /** Address of the heap object; absent for Smis and other immediates. */
  readonly address?: number;
  /** Kind: `number`, `string`, `undefined`, `null`, `boolean`, `hole`, `Object`, `Array`, `Function`, or a V8 class name. */
  readonly type: string;
  /** Constructor name of objects (`Object`, `Bucket`). */
  readonly constructorName?: string;
  /** One-line text: `1320886447`, `"heat-map"`, `{base: 1320886447, …}`, `Array(3)`. */
  readonly preview: string;
}

/** Options of previewValue. */
export interface PreviewOptions {
  /** Longest string shown before it is cut (default 40). */
  readonly maxString?: number;
  /** Most properties shown (default 8). */
  readonly maxProperties?: number;
  /** Longest preview text (default 160). */
  readonly maxLength?: number;
}

/** Previews a tagged value in one line; never throws for corrupt memory. */
export function previewValue(heap: V8Heap, t: Tagged | undefined, options: PreviewOptions = {}): ValuePreview {
  const p = previewInner(heap, t, options, 1);
  const max = options.maxLength ?? 160;
  return p.preview.length > max ? { ...p, preview: p.preview.slice(0, max - 1) + '…' } : p;
}

function previewInner(heap: V8Heap, t: Tagged | undefined, options: PreviewOptions, depth: number): ValuePreview {
  if (t === undefined) return { type: 'unreadable', preview: '<unreadable>' };
  if (t.kind === 'smi') return { type: 'number', preview: String(t.value) };
  if (t.kind === 'weak') return { address: t.address, type: 'weak', preview: `<weak 0x${t.address.toString(16)}>` };
  if (t.kind === 'invalid') return { type: 'invalid', preview: `<invalid 0x${(t.hi >>> 0).toString(16)}${(t.lo >>> 0).toString(16).padStart(8, '0')}>` };
  const o = heap.object(t.address);
  if (o === undefined) return { address: t.address, type: 'unknown', preview: '<not a heap object>' };
  return previewObject(heap, o, options, depth);
}

/** Previews a validated heap object. */
export function previewObject(heap: V8Heap, o: HeapObject, options: PreviewOptions = {}, depth = 1): ValuePreview {
  const T = heap.types;
  const R = heap.layout.req;
  const address = o.address;
  if (heap.isString(o.type)) {
    const max = options.maxString ?? 40;
    const s = readString(heap, o, { maxLength: max });
    if (s === undefined) return { address, type: 'string', preview: '<corrupt string>' };
    return { address, type: 'string', preview: quote(s.text) + (s.truncated ? `… (${s.length} chars)` : '') };
  }
  if (o.type === T.HEAP_NUMBER) {
    const v = heap.double(o.address + R.HeapNumber_value);
    return { address, type: 'number', preview: v === undefined ? '<unreadable>' : formatNumber(v) };
  }
  if (o.type === T.HOLE) return { address, type: 'hole', preview: '<the hole>' };
  if (o.type === T.ODDBALL) {
    const k = heap.oddballKind(o);
    if (k === R.OddballUndefined) return { address, type: 'undefined', preview: 'undefined' };
    if (k === R.OddballNull) return { address, type: 'null', preview: 'null' };
    if (k === R.OddballTrue) return { address, type: 'boolean', preview: 'true' };
    if (k === R.OddballFalse) return { address, type: 'boolean', preview: 'false' };
    if (k === heap.layout.opt.OddballTheHole) return { address, type: 'hole', preview: '<the hole>' };
    return { address, type: 'Oddball', preview: `<oddball ${k ?? '?'}>` };
  }
  if (heap.isJSFunction(o.type)) {
    const info = describeFunction(heap, o);
    const name = info?.name || info?.inferredName || '(anonymous)';
    return { address, type: 'Function', preview: `[Function: ${name}]` };
  }
  if (o.type === T.JS_ARRAY) {
    const n = heap.layout.opt.JSArray_length !== undefined ? heap.smiField(o.address, heap.layout.opt.JSArray_length) : undefined;
    if (n === undefined) return { address, type: 'Array', preview: 'Array(?)' };
    const items = depth > 0 ? arrayItems(heap, o, n, options) : undefined;
    return { address, type: 'Array', preview: items === undefined ? `Array(${n})` : `Array(${n}) [${items}]` };
  }
  const typeName = heap.layout.types.name(o.type);
  if (typeName === 'JS_GLOBAL_PROXY_TYPE' || typeName === 'JS_GLOBAL_OBJECT_TYPE') return { address, type: 'Object', preview: '[global]' };
  if (heap.isJSReceiver(o.type)) {
    const ctor = constructorName(heap, o, (fn) => {
      const i = describeFunction(heap, fn);
      return i?.name || i?.inferredName;
    });
    const type = o.type === T.JS_OBJECT || ctor !== undefined ? 'Object' : className(heap, o);
    const body = depth > 0 ? propertiesText(heap, o, options) : '{…}';
    return { address, type, ...(ctor !== undefined ? { constructorName: ctor } : {}), preview: body };
  }
  return { address, type: className(heap, o), preview: `<${className(heap, o)}>` };
}

function propertiesText(heap: V8Heap, o: HeapObject, options: PreviewOptions): string {
  const limit = options.maxProperties ?? 8;
  const walk = ownNamedProperties(heap, o, limit);
  if (walk.corrupt !== undefined && walk.entries.length === 0) return '{?}';
  const parts: string[] = [];
  for (const e of walk.entries) {
    if (!e.enumerable || (e.key.kind === 'symbol' && e.key.isPrivate)) continue;
    const key = keyText(heap, e.key);
    if (e.accessor !== undefined) {
      parts.push(`${key}: [Getter/Setter]`);
      continue;
    }
    const v = previewInner(heap, e.value, { ...options, maxString: Math.min(options.maxString ?? 40, 20) }, 0);
    parts.push(`${key}: ${v.type === 'Object' || v.type === 'Array' ? nested(v) : v.preview}`);
  }
  if (walk.total > walk.entries.length) parts.push('…');
  return `{${parts.join(', ')}}`;
}

/** Most array elements previewed. */
const MAX_ITEMS = 6;

/**
 * The first elements of a fast array: tagged values in a FixedArray, or raw doubles in a
 * FixedDoubleArray (V8 src/objects/fixed-array.h); undefined for other element stores.
 */
function arrayItems(heap: V8Heap, o: HeapObject, length: number, options: PreviewOptions): string | undefined {
  const at = heap.layout.opt.JSObject_elements;
  if (at === undefined || length < 0) return undefined;
  const el = heap.objectField(o.address, at);
  if (el === undefined) return undefined;
  const cap = heap.fixedArrayLength(el.address);
  if (cap === undefined) return undefined;
  const n = Math.min(length, cap, MAX_ITEMS);
  const data = el.address + heap.layout.req.FixedArray_data;
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    if (el.type === heap.types.FIXED_DOUBLE_ARRAY) {
      const b = heap.space.tryRead(data + i * 8, 8);
      if (b === undefined) return undefined;
      parts.push(b.readUInt32LE(4) === HOLE_NAN_WORD ? '<hole>' : formatNumber(b.readDoubleLE(0)));
    } else if (el.type === heap.types.FIXED_ARRAY) {
      const v = previewInner(heap, heap.word(data + i * 8), { ...options, maxString: Math.min(options.maxString ?? 40, 20) }, 0);
      parts.push(v.type === 'Object' || v.type === 'Array' ? nested(v) : v.type === 'hole' ? '<hole>' : v.preview);
    } else {
      return undefined;
    }
  }
  if (length > n) parts.push('…');
  return parts.join(', ');
}

function nested(v: ValuePreview): string {
  if (v.type === 'Array') return `[${v.preview}]`;
  return `[${v.constructorName ?? 'Object'}]`;
}

function className(heap: V8Heap, o: HeapObject): string {
  return heap.layout.types.className(o.type) ?? heap.typeName(o.type);
}

function quote(s: string): string {
  return JSON.stringify(s);
}

function formatNumber(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}
