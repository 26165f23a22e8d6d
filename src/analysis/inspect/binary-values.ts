// Inspection of raw-data objects: ArrayBuffer contents, typed arrays and Node Buffers (bytes read
// from their backing stores), plus the number and byte formatting the value model uses.
import { ownNamedProperties } from '../../v8/heap/named-properties.js';
import type { HeapObject, V8Heap } from '../../v8/heap/v8-heap.js';
import { functionName, prototypeOf } from '../../v8/objects/object-class.js';
import { arrayBufferInfo, typedArrayInfo, TYPED_ARRAY_KINDS } from '../../v8/objects/special-objects.js';
import type { ValueNode } from './value-node.js';

/** Bytes of a Buffer shown (Node's buffer.INSPECT_MAX_BYTES). */
const BUFFER_INSPECT_MAX = 50;
/** Prototype steps followed to find a typed array's base class. */
const MAX_PROTO_STEPS = 8;

/** A double as the model keeps it: finite numbers as numbers, the rest (and -0) as JS text. */
export function numberValue(v: number): number | string {
  if (Object.is(v, -0)) return '-0';
  return Number.isFinite(v) ? v : String(v);
}

/** The name of the function in `proto`'s own `constructor` property, or undefined. */
export function ownConstructorName(heap: V8Heap, proto: HeapObject): string | undefined {
  const walk = ownNamedProperties(heap, proto, 64);
  const c = walk.entries.find((e) => e.key.kind === 'string' && e.key.text === 'constructor');
  const fn = heap.objectOf(c?.value);
  return fn !== undefined && heap.isJSFunction(fn.type) ? functionName(heap, fn) : undefined;
}

/** Fills `node` with an ArrayBuffer's byte length and first `maxElements` bytes. */
export function arrayBufferBody(heap: V8Heap, o: HeapObject, node: ValueNode, maxElements: number): void {
  const info = arrayBufferInfo(heap, o);
  if (info === undefined) {
    node.corrupt = 'ArrayBuffer fields unreadable';
    return;
  }
  node.byteLength = info.byteLength;
  if (info.detached) {
    node.detached = true;
    return;
  }
  const n = Math.min(info.byteLength, maxElements);
  const bytes = n === 0 ? Buffer.alloc(0) : heap.space.tryRead(info.backingStore, n);
  if (bytes === undefined) node.corrupt = `backing store at 0x${info.backingStore.toString(16)} is not in the core`;
  else node.value = hexBytes(bytes);
  if (info.byteLength > n) node.more = info.byteLength - n;
}

/** Fills `node` with a typed array's elements (or a Buffer's bytes), length and byte length. */
export function typedArrayBody(heap: V8Heap, o: HeapObject, node: ValueNode, maxElements: number): void {
  const info = typedArrayInfo(heap, o);
  if (info === undefined) {
    node.corrupt = 'typed array fields unreadable';
    return;
  }
  node.byteLength = info.byteLength;
  const base = node.type === 'Buffer' ? 'Uint8Array' : typedArrayBase(heap, o, typeof node.constructorName === 'string' ? node.constructorName : undefined);
  const kind = base !== undefined ? TYPED_ARRAY_KINDS[base] : undefined;
  if (kind === undefined) {
    node.corrupt = 'unknown typed array kind';
    return;
  }
  if (info.buffer !== undefined && arrayBufferInfo(heap, info.buffer)?.detached === true) node.detached = true;
  const length = Math.floor(info.byteLength / kind.size);
  node.length = length;
  const cap = node.type === 'Buffer' ? Math.min(maxElements, BUFFER_INSPECT_MAX) : maxElements;
  const n = Math.min(length, cap);
  const bytes = n === 0 ? Buffer.alloc(0) : heap.space.tryRead(info.data, n * kind.size);
  if (bytes === undefined) {
    node.corrupt = `data at 0x${info.data.toString(16)} is not in the core`;
    return;
  }
  if (node.type === 'Buffer') node.value = hexBytes(bytes);
  else {
    node.elements = [];
    for (let i = 0; i < n; i++) {
      const v = kind.read(bytes, i * kind.size);
      node.elements.push(typeof v === 'bigint' ? { type: 'bigint', value: v.toString() } : { type: 'number', value: numberValue(v) });
    }
  }
  if (length > n) node.more = length - n;
}

/** The built-in typed array class of `o`: its constructor, else the first on its prototype chain. */
function typedArrayBase(heap: V8Heap, o: HeapObject, ctor: string | undefined): string | undefined {
  if (ctor !== undefined && TYPED_ARRAY_KINDS[ctor] !== undefined) return ctor;
  let proto = prototypeOf(heap, o);
  for (let i = 0; i < MAX_PROTO_STEPS && proto !== undefined && proto !== 'null'; i++) {
    const name = ownConstructorName(heap, proto);
    if (name !== undefined && TYPED_ARRAY_KINDS[name] !== undefined) return name;
    proto = prototypeOf(heap, proto);
  }
  return undefined;
}

function hexBytes(b: Buffer): string {
  const parts: string[] = [];
  for (const x of b) parts.push(x.toString(16).padStart(2, '0'));
  return parts.join(' ');
}
