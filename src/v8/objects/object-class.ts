// Classifies a validated heap object into the JS-visible kind `print` renders, from its instance
// type (names from metadata; BigInt by position) and, for functions, the FunctionKind in the
// SharedFunctionInfo flags. Also the constructor name and prototype of receivers.
import { constructorName } from '../heap/constructor-name.js';
import { describeFunction, sharedOf } from '../heap/function-info.js';
import { isHoleObject } from '../heap/hole.js';
import type { HeapObject, V8Heap } from '../heap/v8-heap.js';
import { bigIntType } from './special-objects.js';

/** Role: the JS-visible kind of a heap object. */
export type ObjectKind =
  | 'string' | 'heapNumber' | 'oddball' | 'hole' | 'symbol' | 'bigint'
  | 'array' | 'function' | 'boundFunction' | 'proxy' | 'error' | 'date' | 'regexp' | 'promise'
  | 'map' | 'set' | 'weakMap' | 'weakSet' | 'arrayBuffer' | 'typedArray' | 'primitiveWrapper'
  | 'object' | 'internal';

const BY_TYPE_NAME: Readonly<Record<string, ObjectKind>> = {
  JS_ARRAY_TYPE: 'array',
  JS_BOUND_FUNCTION_TYPE: 'boundFunction',
  JS_PROXY_TYPE: 'proxy',
  JS_ERROR_TYPE: 'error',
  JS_DATE_TYPE: 'date',
  JS_REG_EXP_TYPE: 'regexp',
  JS_PROMISE_TYPE: 'promise',
  JS_MAP_TYPE: 'map',
  JS_SET_TYPE: 'set',
  JS_WEAK_MAP_TYPE: 'weakMap',
  JS_WEAK_SET_TYPE: 'weakSet',
  JS_ARRAY_BUFFER_TYPE: 'arrayBuffer',
  JS_TYPED_ARRAY_TYPE: 'typedArray',
  JS_DETACHED_TYPED_ARRAY_TYPE: 'typedArray',
  JS_PRIMITIVE_WRAPPER_TYPE: 'primitiveWrapper',
  HEAP_NUMBER_TYPE: 'heapNumber',
  SYMBOL_TYPE: 'symbol',
  HOLE_TYPE: 'hole',
  ODDBALL_TYPE: 'oddball',
};

/** The kind of `o`. */
export function objectKind(heap: V8Heap, o: HeapObject): ObjectKind {
  if (heap.isString(o.type)) return 'string';
  const name = heap.layout.types.name(o.type);
  const byName = name !== undefined ? BY_TYPE_NAME[name] : undefined;
  if (byName !== undefined) return byName;
  if (o.type === bigIntType(heap)) return 'bigint';
  if (name === undefined && isHoleObject(heap, o)) return 'hole';
  if (heap.isJSFunction(o.type) && sharedOf(heap, o) !== undefined) return 'function';
  if (heap.isJSReceiver(o.type)) return 'object';
  return 'internal';
}

/**
 * Whether a function is a class constructor: FunctionKind (bits 0–4 of the SharedFunctionInfo
 * flags) is kBaseConstructor … kDerivedConstructor, 3–6 (V8 src/objects/function-kind.h,
 * src/objects/shared-function-info.tq SharedFunctionInfoFlags).
 */
export function isClassConstructor(heap: V8Heap, fn: HeapObject): boolean {
  if ((heap.layout.types.name(fn.type) ?? '') === 'JS_CLASS_CONSTRUCTOR_TYPE') return true;
  const sfi = sharedOf(heap, fn);
  if (sfi === undefined) return false;
  const flags = heap.uint(sfi.address + heap.layout.req.SharedFunctionInfo_flags, 4);
  const kind = flags === undefined ? -1 : flags & 0x1f;
  return kind >= 3 && kind <= 6;
}

/** The display name of a function (own name, else inferred name), or undefined. */
export function functionName(heap: V8Heap, fn: HeapObject): string | undefined {
  const i = describeFunction(heap, fn);
  return i === undefined ? undefined : i.name || i.inferredName || '';
}

/** The constructor name of a receiver from its map's root constructor, or undefined. */
export function receiverConstructorName(heap: V8Heap, o: HeapObject): string | undefined {
  return constructorName(heap, o, (fn) => functionName(heap, fn));
}

/** The receiver's prototype (Map::prototype): an object, 'null', or undefined when unreadable. */
export function prototypeOf(heap: V8Heap, o: HeapObject): HeapObject | 'null' | undefined {
  const at = heap.layout.opt.Map_prototype;
  if (at === undefined) return undefined;
  const p = heap.objectField(o.map, at);
  if (p === undefined) return undefined;
  return heap.oddballKind(p) === heap.layout.req.OddballNull ? 'null' : p;
}
