// Small readers of JS objects for the Node-state analyses: an own property by name or by a
// symbol's description, strings, numbers, booleans, a function's name and location, and V8's
// constructor name. All go through the one property walker; bad memory gives undefined.
import { describeFunction } from '../../v8/heap/function-info.js';
import { ownNamedProperties } from '../../v8/heap/named-properties.js';
import { readString } from '../../v8/heap/strings.js';
import type { Tagged } from '../../v8/heap/tagged.js';
import type { HeapObject, V8Heap } from '../../v8/heap/v8-heap.js';
import { v8ConstructorName } from '../../v8/heap/constructor-name.js';
import { functionName } from '../../v8/objects/object-class.js';
import { numberOf } from '../../v8/objects/special-objects.js';
import { contextChain } from '../../v8/objects/context-chain.js';
import { hex } from '../../util/hex.js';

/** Most own properties looked at per object. */
const MAX_PROPS = 512;

/** Role: a callback as the Node-state commands show it: `{name, script, line}` (line 1-based). */
export interface CallbackInfo {
  readonly name: string;
  readonly script?: string;
  readonly line?: number;
  readonly column?: number;
  /** Address of the JSFunction. */
  readonly function?: string;
}

/** The own data property `name` (a string key, or `#name` for a private field) of `o`. */
export function prop(heap: V8Heap, o: HeapObject | undefined, name: string): Tagged | undefined {
  if (o === undefined || !heap.isJSReceiver(o.type)) return undefined;
  const priv = name.startsWith('#');
  for (const e of ownNamedProperties(heap, o, MAX_PROPS).entries) {
    if (!priv && e.key.kind === 'string' && e.key.text === name) return e.value;
    if (priv && e.key.kind === 'symbol' && e.key.isPrivate && e.key.description === name) return e.value;
  }
  return undefined;
}

/** The own data property of `o` keyed by a (public) symbol with this description. */
export function symbolProp(heap: V8Heap, o: HeapObject | undefined, description: string): Tagged | undefined {
  if (o === undefined || !heap.isJSReceiver(o.type)) return undefined;
  for (const e of ownNamedProperties(heap, o, MAX_PROPS).entries) {
    if (e.key.kind === 'symbol' && !e.key.isPrivate && e.key.description === description) return e.value;
  }
  return undefined;
}

/** The accessor getter of own property `name`, or undefined. */
export function getterOf(heap: V8Heap, o: HeapObject | undefined, name: string): HeapObject | undefined {
  if (o === undefined) return undefined;
  const e = ownNamedProperties(heap, o, MAX_PROPS).entries.find((x) => x.key.kind === 'string' && x.key.text === name);
  return heap.objectOf(e?.accessor?.getter);
}

/** The JS object (receiver) a property holds, or undefined (also for null and undefined). */
export function objectProp(heap: V8Heap, o: HeapObject | undefined, name: string): HeapObject | undefined {
  const v = heap.objectOf(prop(heap, o, name));
  return v !== undefined && heap.isJSReceiver(v.type) ? v : undefined;
}

/** A string value, or undefined. */
export function stringOf(heap: V8Heap, t: Tagged | undefined, maxLength = 4096): string | undefined {
  const o = heap.objectOf(t);
  return o !== undefined && heap.isString(o.type) ? readString(heap, o, { maxLength })?.text : undefined;
}

/** A number value (Smi or HeapNumber), or undefined. */
export function numberValue(heap: V8Heap, t: Tagged | undefined): number | undefined {
  return numberOf(heap, t);
}

/** A boolean value (the true or false oddball), or undefined. */
export function booleanOf(heap: V8Heap, t: Tagged | undefined): boolean | undefined {
  const o = heap.objectOf(t);
  const k = o === undefined ? undefined : heap.oddballKind(o);
  if (k === heap.layout.req.OddballTrue) return true;
  if (k === heap.layout.req.OddballFalse) return false;
  return undefined;
}

/** Whether a value is undefined or null (or absent). */
export function isNullish(heap: V8Heap, t: Tagged | undefined): boolean {
  const o = heap.objectOf(t);
  if (o === undefined) return t === undefined;
  const k = heap.oddballKind(o);
  return k === heap.layout.req.OddballUndefined || k === heap.layout.req.OddballNull;
}

/** V8's constructor name of a JS object (`Server`, `Socket`, `TCP`, `Object`). */
export function constructorOf(heap: V8Heap, o: HeapObject): string {
  return v8ConstructorName(heap, o, (fn) => functionName(heap, fn), 'Object');
}

/**
 * The function a user queued, behind Node's wrappers: a function bound to an AsyncResource that
 * holds it as `callback` (queueMicrotask), an anonymous node: closure that holds it as `cb` or
 * `callback` (fs's makeCallback), or a bound function's target.
 */
export function userFunction(heap: V8Heap, t: Tagged | undefined): HeapObject | undefined {
  let fn = heap.objectOf(t);
  for (let i = 0; fn !== undefined && i < 8; i++) {
    if (fn.type === heap.types.JS_BOUND_FUNCTION) {
      const thisAt = heap.layout.opt.JSBoundFunction_bound_this;
      const held = thisAt === undefined ? undefined : heap.objectOf(prop(heap, heap.objectField(fn.address, thisAt), 'callback'));
      const at = heap.layout.opt.JSBoundFunction_bound_target_function;
      fn = held !== undefined && heap.isJSFunction(held.type) ? held : at === undefined ? undefined : heap.objectField(fn.address, at);
      continue;
    }
    if (!heap.isJSFunction(fn.type)) return undefined;
    const info = describeFunction(heap, fn);
    if (info === undefined || info.name !== '' || !(info.scriptName ?? '').startsWith('node:')) return fn;
    const ctx = heap.objectField(fn.address, heap.layout.req.JSFunction_context);
    const held = ctx === undefined ? undefined : contextChain(heap, ctx)[0]?.variables.find((v) => v.name === 'cb' || v.name === 'callback');
    const inner = heap.objectOf(held?.value);
    if (inner === undefined || inner.address === fn.address || !heap.isJSFunction(inner.type)) return fn;
    fn = inner;
  }
  return fn;
}

/** A function's name and definition site (behind Node's wrappers, see userFunction). */
export function callbackOf(heap: V8Heap, t: Tagged | undefined): CallbackInfo | undefined {
  const fn = userFunction(heap, t);
  if (fn === undefined || !heap.isJSFunction(fn.type)) return undefined;
  const info = describeFunction(heap, fn);
  if (info === undefined) return { name: '', function: hex(fn.address) };
  return {
    name: info.name || info.inferredName || '',
    ...(info.scriptName !== undefined ? { script: info.scriptName } : {}),
    ...(info.line !== undefined ? { line: info.line } : {}),
    ...(info.column !== undefined ? { column: info.column } : {}),
    function: hex(fn.address),
  };
}
