// The `stack` text of an Error: the string V8 formatted, or, when the stack was captured but
// never read, its call-site records formatted the way V8 formats a frame (V8
// src/objects/call-site-info.cc SerializeJSStackFrame): `at fn (file:line:col)`, method calls as
// `Type.fn [as method]`, `new Ctor`, `async fn`, top-level code as the bare location. Positions
// come from the bytecode's (or optimized Code's) source position table.
import { describeFunction } from '../../v8/heap/function-info.js';
import { ownNamedProperties } from '../../v8/heap/named-properties.js';
import { lineColumnOf, scriptLineEnds } from '../../v8/heap/script.js';
import { readString } from '../../v8/heap/strings.js';
import type { Tagged } from '../../v8/heap/tagged.js';
import type { HeapObject, V8Heap } from '../../v8/heap/v8-heap.js';
import { v8ConstructorName } from '../../v8/heap/constructor-name.js';
import { bytecodeScriptOffset, optimizedScriptOffset, type V8FrameContext } from '../../v8/frames/v8-frame.js';
import { callSiteRecords, type CallSiteRecord } from '../../v8/objects/call-site-info.js';
import { functionName, isClassConstructor, prototypeOf } from '../../v8/objects/object-class.js';

/** V8 src/objects/call-site-info.tq CallSiteInfoFlags: is_constructor (bit 3), is_async (bit 5). */
const IS_CONSTRUCTOR = 1 << 3;
const IS_ASYNC = 1 << 5;
/** Prototype levels searched for the property that holds a called method. */
const METHOD_SEARCH_DEPTH = 4;

/** The script offset of a captured frame, or undefined. */
function scriptOffsetOf(ctx: V8FrameContext, r: CallSiteRecord): number | undefined {
  const heap = ctx.heap;
  if (r.code === undefined) return r.offset >= 0 ? r.offset : undefined;
  if (r.code.type !== heap.types.CODE) {
    const p = bytecodeScriptOffset(ctx, r.code, r.offset);
    return p >= 0 ? p : undefined;
  }
  const at = heap.layout.opt.Code_instruction_start;
  const start = at === undefined ? undefined : heap.pointer(r.code.address + at);
  return start === undefined ? undefined : optimizedScriptOffset(ctx, start + r.offset);
}

/** The receiver when the call is a method call (not top-level: not the global proxy, undefined or null). */
function methodReceiver(heap: V8Heap, t: Tagged | undefined): HeapObject | undefined {
  const o = heap.objectOf(t);
  if (o === undefined || !heap.isJSReceiver(o.type)) return undefined;
  return heap.layout.types.name(o.type) === 'JS_GLOBAL_PROXY_TYPE' ? undefined : o;
}

/** The property of the receiver (or its prototypes) that holds `fn` (V8 CallSiteInfo::GetMethodName, simplified). */
function methodName(heap: V8Heap, receiver: HeapObject, fn: HeapObject): string | undefined {
  let o: HeapObject | 'null' | undefined = receiver;
  for (let depth = 0; o !== undefined && o !== 'null' && depth < METHOD_SEARCH_DEPTH; depth++) {
    for (const e of ownNamedProperties(heap, o, 256).entries) {
      if (e.key.kind === 'string' && e.value?.kind === 'heap' && e.value.address === fn.address) return e.key.text;
    }
    o = prototypeOf(heap, o);
  }
  return undefined;
}

/**
 * The type part of a method call's name (V8 CallSiteInfo::GetTypeName): JSReceiver::GetConstructorName,
 * which ends in "Object"; for a function receiver (a static method) "Function", except a class
 * constructor's own name, and from V8 13 on any function's name (measured: Node 22 prints
 * `Function.zz`, Node 24 `Mod.zz`, every version `K.ww` for a class K).
 */
function typeName(heap: V8Heap, receiver: HeapObject): string {
  if (heap.isJSFunction(receiver.type)) {
    const major = Number((heap.layout.v8Version ?? '').split('.')[0]);
    const own = functionName(heap, receiver);
    return (major >= 13 || isClassConstructor(heap, receiver)) && own !== undefined && own !== '' ? own : 'Function';
  }
  return v8ConstructorName(heap, receiver, (f) => functionName(heap, f), 'Object');
}

/** The function part of a frame line: `fn`, `Type.fn [as m]`, `new Ctor`, or '' for top-level code without a name. */
function callName(heap: V8Heap, r: CallSiteRecord, name: string): string {
  const prefix = (r.flags & IS_ASYNC) !== 0 ? 'async ' : '';
  if ((r.flags & IS_CONSTRUCTOR) !== 0) return `${prefix}new ${name || '<anonymous>'}`;
  const receiver = methodReceiver(heap, r.receiver);
  if (receiver === undefined) return name === '' ? '' : prefix + name;
  const type = typeName(heap, receiver);
  const method = methodName(heap, receiver, r.function);
  if (name === '') return `${prefix}${type !== '' ? `${type}.` : ''}${method ?? '<anonymous>'}`;
  const typed = type !== '' && !name.startsWith(type) ? `${type}.${name}` : name;
  const as = method !== undefined && !name.endsWith(method) ? ` [as ${method}]` : '';
  return prefix + typed + as;
}

/**
 * Role: the name V8's stack traces give a call of `fn` on `receiver` (`Object.<anonymous>`,
 * `Module._compile`, `Foo.bar [as baz]`); '' for top-level code without a name.
 */
export function v8CallName(heap: V8Heap, fn: HeapObject, receiver: Tagged | undefined, flags = 0): string {
  const info = describeFunction(heap, fn);
  return callName(heap, { function: fn, offset: -1, flags, ...(receiver !== undefined ? { receiver } : {}) }, info?.name || info?.inferredName || ownNameProperty(heap, fn) || '');
}

/**
 * A function's own `name` data property when it is a string (V8 JSFunction::GetDebugName reads
 * it first): how a class method with a computed key (`[kHybridDispatch]() {}`) is named.
 */
function ownNameProperty(heap: V8Heap, fn: HeapObject): string | undefined {
  const e = ownNamedProperties(heap, fn, 8).entries.find((p) => p.key.kind === 'string' && p.key.text === 'name' && p.accessor === undefined);
  const v = heap.objectOf(e?.value);
  return v !== undefined && heap.isString(v.type) ? readString(heap, v, { maxLength: 256 })?.text : undefined;
}

/** Role: one line of a formatted stack: `    at innerThrower (/app/x.js:3:40)`. */
export function callSiteLine(ctx: V8FrameContext, r: CallSiteRecord): string {
  const heap: V8Heap = ctx.heap;
  const info = describeFunction(heap, r.function);
  const name = info?.name || info?.inferredName || '';
  const script = info?.script !== undefined ? heap.object(info.script) : undefined;
  const pos = scriptOffsetOf(ctx, r);
  const ends = script !== undefined ? scriptLineEnds(heap, script) : undefined;
  const lc = pos !== undefined && ends !== undefined ? lineColumnOf(ends, pos) : undefined;
  const where = `${info?.scriptName || '<anonymous>'}${lc !== undefined ? `:${lc.line}:${lc.column}` : ''}`;
  const call = callName(heap, r, name);
  return call === '' ? `    at ${where}` : `    at ${call} (${where})`;
}

/** Role: what an Error says about itself: its own `message` and its stack text. */
export interface ErrorStack {
  readonly message?: Tagged;
  /** The formatted stack (`Header\n    at …`), when one was captured. */
  readonly stack?: string;
  /** Whether `stack` was formatted here from captured call sites (the program never read it). */
  readonly fromCallSites?: boolean;
}

/**
 * An Error's stack: the own `stack` data property, or (V8 ≥ 11) the string held under a private
 * symbol once the stack was formatted, else the call sites captured there, formatted here with
 * `header` as the first line; the message is the own `message`.
 */
export function errorStackOf(ctx: V8FrameContext, o: HeapObject, header: (message: Tagged | undefined) => string, maxFrames = 256): ErrorStack {
  const heap = ctx.heap;
  const walk = ownNamedProperties(heap, o, 256);
  let message: Tagged | undefined;
  let stack: string | undefined;
  let captured: CallSiteRecord[] | undefined;
  for (const e of walk.entries) {
    const name = e.key.kind === 'string' ? e.key.text : undefined;
    if (name === 'message') message = e.value;
    const v = heap.objectOf(e.value);
    if (v === undefined) continue;
    if (!heap.isString(v.type)) {
      if (e.key.kind === 'symbol' && e.key.isPrivate && captured === undefined) captured = callSiteRecords(heap, v, maxFrames);
      continue;
    }
    if (name === 'stack' || (e.key.kind === 'symbol' && e.key.isPrivate)) {
      const s = readString(heap, v, { maxLength: 65536 });
      if (s !== undefined && /\n\s+at /.test(s.text) && (name === 'stack' || stack === undefined)) stack = s.text;
    }
  }
  const base = message !== undefined ? { message } : {};
  if (stack !== undefined) return { ...base, stack };
  if (captured === undefined || captured.length === 0) return base;
  return { ...base, stack: [header(message), ...captured.map((r) => callSiteLine(ctx, r))].join('\n'), fromCallSites: true };
}
