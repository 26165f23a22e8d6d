// Resolves a property path (`height`, `conf.height`, `data.0`, `constructor.name`,
// `__proto__`, `prototype`) from a heap object to the value it names, as JS would read it: own
// named properties and elements, then along the prototype chain; `__proto__` is the prototype
// and a function's `prototype` its prototype_or_initial_map (a Map's prototype when it is a Map).
import type { Tagged } from '../../v8/heap/tagged.js';
import type { HeapObject, V8Heap } from '../../v8/heap/v8-heap.js';
import { readElements } from '../../v8/objects/elements.js';
import { ownNamedProperties } from '../../v8/heap/named-properties.js';
import { objectKind, prototypeOf } from '../../v8/objects/object-class.js';
import { sharedOf } from '../../v8/heap/function-info.js';
import { readScopeInfoTail } from '../../v8/heap/scope-info.js';
import { UsageError } from '../../util/errors.js';

/** Most path segments followed. */
const MAX_SEGMENTS = 64;
/** Most prototypes searched for one name. */
const MAX_PROTOTYPES = 32;

/** The tagged value `path` names below the object at `address` ('null' for a null prototype); throws UsageError when absent. */
export function resolvePropertyPath(heap: V8Heap, address: number, path: string): Tagged | 'null' {
  const segments = path.split('.').filter((s) => s !== '');
  if (segments.length === 0 || segments.length > MAX_SEGMENTS) throw new UsageError(`bad property path '${path}'`);
  let current: Tagged | 'null' = { kind: 'heap', address: address % 8 === 1 ? address - 1 : address };
  let where = `0x${address.toString(16)}`;
  for (const seg of segments) {
    const o: HeapObject | undefined = current === 'null' ? undefined : heap.objectOf(current);
    if (o === undefined || !heap.isJSReceiver(o.type)) throw new UsageError(`${where} is not an object, so it has no property '${seg}'`);
    const next: Tagged | 'null' | undefined = special(heap, o.address, seg) ?? inherited(heap, o.address, seg);
    if (next === undefined) throw new UsageError(`${where} has no property '${seg}' (own or inherited)`);
    current = next;
    where = `${where}.${seg}`;
  }
  return current;
}

/** `__proto__` and a function's `prototype`, which live in V8's own slots, not in properties. */
function special(heap: V8Heap, address: number, name: string): Tagged | 'null' | undefined {
  const o = heap.object(address)!;
  if (name === '__proto__') {
    const p = prototypeOf(heap, o);
    return p === 'null' ? 'null' : p === undefined ? undefined : { kind: 'heap', address: p.address };
  }
  // A function's `name` is a native accessor (AccessorInfo) whose value is the SFI's name string,
  // unless the function has its own data property `name` (static name = …, defineProperty).
  if (name === 'name' && heap.isJSFunction(o.type) && ownDataProperty(heap, o, name) === undefined) {
    const n = sharedNameString(heap, o);
    if (n !== undefined) return { kind: 'heap', address: n };
  }
  // An array's `length` is a native accessor over JSArray::length.
  const lengthAt = heap.layout.opt.JSArray_length;
  if (name === 'length' && lengthAt !== undefined && objectKind(heap, o) === 'array') return heap.field(o.address, lengthAt);
  const at = heap.layout.opt.JSFunction_prototype_or_initial_map;
  if (name === 'prototype' && heap.isJSFunction(o.type) && at !== undefined) {
    const v = heap.field(o.address, at);
    const m = heap.objectOf(v);
    // An initial map holds the prototype in its own slot (V8 src/objects/js-function.h).
    if (m !== undefined && m.type === heap.types.MAP) {
      const p = prototypeOf(heap, { address: 0, map: m.address, type: m.type });
      return p === 'null' ? 'null' : p === undefined ? undefined : { kind: 'heap', address: p.address };
    }
    if (m !== undefined && heap.isJSReceiver(m.type)) return v;
  }
  return undefined;
}

/** The address of a function's name string: name_or_scope_info itself, or its ScopeInfo's function name. */
function sharedNameString(heap: V8Heap, fn: HeapObject): number | undefined {
  const sfi = sharedOf(heap, fn);
  const n = sfi === undefined ? undefined : heap.objectField(sfi.address, heap.layout.req.SharedFunctionInfo_name_or_scope_info);
  if (n === undefined) return undefined;
  if (heap.isString(n.type)) return n.address;
  return n.type === heap.types.SCOPE_INFO ? readScopeInfoTail(heap, n.address).functionName : undefined;
}

/** `name` on the object or, as JS reads it, on its prototypes (data properties; getters are not run). */
function inherited(heap: V8Heap, address: number, name: string): Tagged | undefined {
  let at: number | undefined = address;
  for (let depth = 0; at !== undefined && depth < MAX_PROTOTYPES; depth++) {
    const hit = lookup(heap, at, name);
    if (hit !== undefined) return hit;
    const p = prototypeOf(heap, heap.object(at)!);
    at = p !== undefined && p !== 'null' ? p.address : undefined;
  }
  return undefined;
}

function lookup(heap: V8Heap, address: number, name: string): Tagged | undefined {
  const o = heap.object(address)!;
  const walk = ownNamedProperties(heap, o, 4096);
  const hit = walk.entries.find((e) => (e.key.kind === 'string' && e.key.text === name) || (e.key.kind === 'symbol' && `Symbol(${e.key.description ?? ''})` === name));
  if (hit?.accessor !== undefined) throw new UsageError(`'${name}' of 0x${address.toString(16)} is an accessor property: its value comes from running a getter, which a core cannot do`);
  if (hit !== undefined) return hit.value;
  if (/^(0|[1-9][0-9]*)$/.test(name)) {
    const index = Number(name);
    const els = readElements(heap, o, index + 1);
    const item = els.items.find((i) => i.kind !== 'hole' && i.index === index);
    if (item?.kind === 'tagged') return item.value;
    if (item?.kind === 'double') {
      // A double element has no heap object of its own; it is returned as a Smi when exact.
      if (Number.isInteger(item.value) && Math.abs(item.value) < 2 ** 31) return { kind: 'smi', value: item.value };
      throw new UsageError(`element ${index} is the raw double ${item.value} (no heap object to print)`);
    }
  }
  return undefined;
}

/** The value of `o`'s own data property `name`, or undefined (absent, or an accessor). */
function ownDataProperty(heap: V8Heap, o: HeapObject, name: string): Tagged | undefined {
  const hit = ownNamedProperties(heap, o, 4096).entries.find((e) => e.key.kind === 'string' && e.key.text === name);
  return hit !== undefined && hit.accessor === undefined ? hit.value : undefined;
}
