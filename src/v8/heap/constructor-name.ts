// The constructor name of a JS object as util.inspect finds it, from the property walker and the
// map's constructor_or_back_pointer chain. Names come back through a caller-given function reader.
import { ownNamedProperties } from './named-properties.js';
import { readString } from './strings.js';
import type { HeapObject, V8Heap } from './v8-heap.js';

/** Most own properties of a prototype searched for `constructor`. */
const PROTOTYPE_PROPERTIES = 64;
/** Most own properties read per object when looking for Symbol.toStringTag (the global object has ~200). */
const TAG_PROPERTIES = 4096;
/** Longest back-pointer chain followed to the root map. */
const MAX_BACK_POINTERS = 256;

/**
 * Role: the constructor name of an object: the own `constructor` property of its prototype, else
 * the constructor of its root map (V8 src/objects/map.h: constructor_or_back_pointer). The map's
 * constructor alone would name the base function for instances of derived classes.
 */
export function constructorName(heap: V8Heap, obj: HeapObject, nameOf: (fn: HeapObject) => string | undefined): string | undefined {
  const protoAt = heap.layout.opt.Map_prototype;
  const proto = protoAt === undefined ? undefined : heap.objectField(obj.map, protoAt);
  if (proto !== undefined && heap.isJSReceiver(proto.type)) {
    const walk = ownNamedProperties(heap, proto, PROTOTYPE_PROPERTIES);
    const ctor = walk.entries.find((e) => e.key.kind === 'string' && e.key.text === 'constructor');
    const fn = ctor?.accessor === undefined ? heap.objectOf(ctor?.value) : undefined;
    if (fn !== undefined && heap.isJSFunction(fn.type)) {
      const n = nameOf(fn);
      if (n) return n;
    }
  }
  return mapConstructorName(heap, obj, nameOf);
}

/** Role: the name of the constructor recorded in the object's root map. */
export function mapConstructorName(heap: V8Heap, obj: HeapObject, nameOf: (fn: HeapObject) => string | undefined): string | undefined {
  const at = heap.layout.opt.Map_constructor_or_back_pointer;
  if (at === undefined) return undefined;
  let map = obj.map;
  for (let depth = 0; depth < MAX_BACK_POINTERS; depth++) {
    const c = heap.objectField(map, at);
    if (c === undefined) return undefined;
    if (c.type === heap.types.MAP) {
      map = c.address;
      continue;
    }
    return heap.isJSFunction(c.type) ? nameOf(c) : undefined;
  }
  return undefined;
}

/** Longest prototype chain followed for a V8 constructor name. */
const MAX_CHAIN = 64;

/**
 * Role: the constructor name V8 itself gives an object (JSReceiver::GetConstructorName, V8
 * src/objects/js-objects.cc), which heap snapshots and DevTools show: the map's constructor when
 * the object was made with new.target == its constructor and is not a prototype; else, from the
 * object up its prototype chain, the first own data property Symbol.toStringTag (a string) or
 * `constructor` (a named function other than Object; not the object's own, so that
 * `B.prototype = new A()` stays an A); else `fallback` (V8's class_name).
 * Names of functions come back through `nameOf`.
 */
export function v8ConstructorName(heap: V8Heap, obj: HeapObject, nameOf: (fn: HeapObject) => string | undefined, fallback: string): string {
  const fromMap = mapConstructorIfBase(heap, obj.map, nameOf);
  if (fromMap !== undefined) return fromMap;
  let current: HeapObject | undefined = obj;
  for (let depth = 0; current !== undefined && depth < MAX_CHAIN; depth++) {
    const own = ownConstructorName(heap, current, nameOf, depth > 0);
    if (own !== undefined) return own;
    current = prototypeObject(heap, current.map);
  }
  return fallback;
}

/** The name the map's root constructor gives, when V8 takes it from the map (step one above). */
export function mapConstructorIfBase(heap: V8Heap, map: number, nameOf: (fn: HeapObject) => string | undefined): string | undefined {
  const o = heap.layout.opt;
  if (o.Map_bit_field2 === undefined || o.Map_bit_field3 === undefined || o.bit_field2_new_target_is_base_shift === undefined || o.bit_field3_is_prototype_map_shift === undefined) return undefined;
  const bf2 = heap.uint(map + o.Map_bit_field2, 1);
  const bf3 = heap.uint(map + o.Map_bit_field3, 4);
  if (bf2 === undefined || bf3 === undefined) return undefined;
  const newTargetIsBase = ((bf2 >>> o.bit_field2_new_target_is_base_shift) & 1) === 1;
  const isPrototype = ((bf3 >>> o.bit_field3_is_prototype_map_shift) & 1) === 1;
  if (!newTargetIsBase || isPrototype) return undefined;
  const name = mapConstructorName(heap, { address: 0, map, type: heap.uint(map + heap.layout.req.Map_instance_type, 2) ?? 0 }, nameOf);
  return name !== undefined && name !== '' && name !== 'Object' ? name : undefined;
}

/** The own Symbol.toStringTag (string) or, with `withConstructor`, `constructor` (named function) of `o`, as V8 reads them. */
export function ownConstructorName(heap: V8Heap, o: HeapObject, nameOf: (fn: HeapObject) => string | undefined, withConstructor = true): string | undefined {
  const walk = ownNamedProperties(heap, o, PROTOTYPE_PROPERTIES);
  const tag = walk.entries.find((e) => e.key.kind === 'symbol' && !e.key.isPrivate && e.key.description === 'Symbol.toStringTag' && e.accessor === undefined);
  const tagValue = heap.objectOf(tag?.value);
  if (tagValue !== undefined && heap.isString(tagValue.type)) {
    const s = readString(heap, tagValue, { maxLength: 256 });
    if (s !== undefined) return s.text;
  }
  if (!withConstructor) return undefined;
  const ctor = walk.entries.find((e) => e.key.kind === 'string' && e.key.text === 'constructor' && e.accessor === undefined);
  const fn = heap.objectOf(ctor?.value);
  if (fn !== undefined && heap.isJSFunction(fn.type)) {
    const n = nameOf(fn);
    if (n !== undefined && n !== '' && n !== 'Object') return n;
  }
  return undefined;
}

/** The prototype object of maps like `map` (Map::prototype), or undefined for null or garbage. */
export function prototypeObject(heap: V8Heap, map: number): HeapObject | undefined {
  const at = heap.layout.opt.Map_prototype;
  const p = at === undefined ? undefined : heap.objectField(map, at);
  return p !== undefined && heap.isJSReceiver(p.type) ? p : undefined;
}

/**
 * The Symbol.toStringTag util.inspect shows beside the constructor (`Object [global]`): the first
 * data property of that name up the prototype chain whose value is a string, unless it is the
 * object's own enumerable property (then it is listed among the properties instead).
 */
export function stringTagOf(heap: V8Heap, obj: HeapObject): string | undefined {
  let current: HeapObject | undefined = obj;
  for (let depth = 0; current !== undefined && depth < MAX_CHAIN; depth++) {
    const walk = ownNamedProperties(heap, current, TAG_PROPERTIES);
    const tag = walk.entries.find((e) => e.key.kind === 'symbol' && !e.key.isPrivate && e.key.description === 'Symbol.toStringTag');
    if (tag !== undefined) {
      if (tag.accessor !== undefined || (depth === 0 && tag.enumerable)) return undefined;
      const v = heap.objectOf(tag.value);
      const s = v !== undefined && heap.isString(v.type) ? readString(heap, v, { maxLength: 256 }) : undefined;
      return s === undefined || s.text === '' ? undefined : s.text;
    }
    current = prototypeObject(heap, current.map);
  }
  return undefined;
}
