// The constructor name of a JS object as util.inspect finds it, from the property walker and the
// map's constructor_or_back_pointer chain. Names come back through a caller-given function reader.
import { ownNamedProperties } from './named-properties.js';
import type { HeapObject, V8Heap } from './v8-heap.js';

/** Most own properties of a prototype searched for `constructor`. */
const PROTOTYPE_PROPERTIES = 64;
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
