// The identity of a value node, before its body: a function's name, class-ness, parent class
// and location; a receiver's type, constructor, Symbol.toStringTag, embedder fields (and the C++
// class behind them), Buffer-ness and a bound function's name. The walker (inspect-value.ts)
// adds the members.
import { describeFunction } from '../../v8/heap/function-info.js';
import { stringTagOf } from '../../v8/heap/constructor-name.js';
import type { HeapObject, V8Heap } from '../../v8/heap/v8-heap.js';
import { embedderFields } from '../../v8/objects/embedder-fields.js';
import { functionName, isClassConstructor, prototypeOf, receiverConstructorName, type objectKind } from '../../v8/objects/object-class.js';
import { boundFunctionParts } from '../../v8/objects/special-objects.js';
import { ownConstructorName } from './binary-values.js';
import type { ValueNode, ValueType } from './value-node.js';

/** Role: what objectKind says an object is. */
export type ObjectKind = ReturnType<typeof objectKind>;

const TYPE_OF_KIND: Partial<Record<ObjectKind, ValueType>> = {
  array: 'Array',
  boundFunction: 'BoundFunction',
  proxy: 'Proxy',
  error: 'Error',
  date: 'Date',
  regexp: 'RegExp',
  promise: 'Promise',
  map: 'Map',
  set: 'Set',
  weakMap: 'WeakMap',
  weakSet: 'WeakSet',
  arrayBuffer: 'ArrayBuffer',
  typedArray: 'TypedArray',
  primitiveWrapper: 'PrimitiveWrapper',
  object: 'Object',
};

/**
 * A function's identity: name, class-ness (and the class it extends: its [[Prototype]]'s name,
 * as util.inspect prints `[class B extends A]`) and where it is defined. Its own enumerable
 * properties (statics, `fn.custom = …`) are its body, within the depth.
 */
export function functionHead(heap: V8Heap, o: HeapObject): ValueNode {
  const info = describeFunction(heap, o);
  const node: ValueNode = { address: o.address, type: 'Function', name: info?.name || info?.inferredName || '' };
  if (info === undefined) node.corrupt = 'SharedFunctionInfo unreadable';
  if (isClassConstructor(heap, o)) {
    node.functionKind = 'class';
    const parent = prototypeOf(heap, o);
    const parentName = parent !== undefined && parent !== 'null' && heap.isJSFunction(parent.type) ? functionName(heap, parent) : undefined;
    if (parentName) node.extends = parentName;
  }
  if (info?.scriptName !== undefined || info?.line !== undefined) {
    node.location = {
      ...(info.scriptName !== undefined ? { script: info.scriptName } : {}),
      ...(info.line !== undefined ? { line: info.line } : {}),
      ...(info.column !== undefined ? { column: info.column } : {}),
    };
  }
  return node;
}

/** The node's identity: address, type and constructor. */
export function receiverHead(heap: V8Heap, o: HeapObject, kind: ObjectKind, nativeClassAt: ((address: number) => string | undefined) | undefined): ValueNode {
  const type = TYPE_OF_KIND[kind] ?? 'Object';
  const node: ValueNode = { address: o.address, type };
  const proto = prototypeOf(heap, o);
  const ctor = kind === 'proxy' ? undefined : receiverConstructorName(heap, o);
  if (proto === 'null' && (kind === 'object' || kind === 'array')) node.constructorName = null;
  else if (ctor !== undefined) node.constructorName = ctor;
  if (kind === 'object') {
    const fields = embedderFields(heap, o);
    if (fields !== undefined) {
      node.embedderFields = fields.map((w) => {
        const cls = nativeClassAt !== undefined && w <= BigInt(Number.MAX_SAFE_INTEGER) ? nativeClassAt(Number(w)) : undefined;
        return { value: `0x${w.toString(16)}`, ...(cls !== undefined ? { nativeClass: cls } : {}) };
      });
    }
    const tag = stringTagOf(heap, o);
    if (tag !== undefined && tag !== ctor) node.stringTag = tag;
  }
  if (kind === 'typedArray' && isBuffer(heap, ctor, proto)) node.type = 'Buffer';
  if (kind === 'boundFunction') {
    const target = heap.objectOf(boundFunctionParts(heap, o).target);
    const name = target !== undefined && heap.isJSFunction(target.type) ? functionName(heap, target) : undefined;
    node.name = `bound ${name ?? ''}`;
  }
  return node;
}

/**
 * A Node Buffer is a Uint8Array made by FastBuffer (lib/internal/buffer.js), whose prototype is
 * Buffer.prototype: the map's constructor is named FastBuffer, or the prototype's own
 * `constructor` is a function named Buffer.
 */
function isBuffer(heap: V8Heap, ctor: string | undefined, proto: HeapObject | 'null' | undefined): boolean {
  if (ctor === 'FastBuffer' || ctor === 'Buffer') return true;
  return proto !== undefined && proto !== 'null' && ownConstructorName(heap, proto) === 'Buffer';
}
