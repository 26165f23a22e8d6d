// JSFunction → SharedFunctionInfo → name, inferred name, Script, definition position and formal
// parameter count. Names and positions of compiled functions live in the ScopeInfo held in
// name_or_scope_info; those of lazy functions in the UncompiledData among the SFI's data slots.
import { readScopeInfoTail, type ScopeInfoTail } from './scope-info.js';
import { isScript, scriptLineColumn, scriptName } from './script.js';
import { readString } from './strings.js';
import type { HeapObject, V8Heap } from './v8-heap.js';

/** Role: what a stack frame shows about its function. Plain data. */
export interface FunctionInfo {
  /** The function's own name; '' for an anonymous function. */
  readonly name: string;
  /** V8's inferred name (`exports.bucketize`), when it has one. */
  readonly inferredName?: string;
  /** Script name (file path or URL). */
  readonly scriptName?: string;
  /** Address of the Script. */
  readonly script?: number;
  /** Address of the SharedFunctionInfo. */
  readonly shared: number;
  /** Character offset where the function starts (V8 SharedFunctionInfo::StartPosition). */
  readonly startPosition?: number;
  /** Character offset of the `function` token or method name (StartPosition − raw_function_token_offset). */
  readonly functionTokenPosition?: number;
  /**
   * 1-based definition line and column, where V8 puts a function (the inspector's
   * [[FunctionLocation]], Function::GetScriptColumnNumber): its StartPosition, the `(` of its
   * parameters; the function token's when the start is unknown.
   */
  readonly line?: number;
  readonly column?: number;
  /** Declared parameters without the receiver (V8 ≥ 9.x counts the receiver in the SFI). */
  readonly formalParameterCount?: number;
}

/** V8 SharedFunctionInfo::kFunctionTokenOutOfRange (V8 src/objects/shared-function-info.h). */
const FUNCTION_TOKEN_OUT_OF_RANGE = 0xffff;
/** Longest function name read. */
const MAX_NAME = 512;

/** The JSFunction at `address` (its shared field must be a SharedFunctionInfo), or undefined. */
export function jsFunctionAt(heap: V8Heap, address: number): HeapObject | undefined {
  const o = heap.object(address);
  if (o === undefined || !heap.isJSFunction(o.type)) return undefined;
  return sharedOf(heap, o) === undefined ? undefined : o;
}

/** The SharedFunctionInfo of a JSFunction, or undefined. */
export function sharedOf(heap: V8Heap, fn: HeapObject): HeapObject | undefined {
  const s = heap.objectField(fn.address, heap.layout.req.JSFunction_shared);
  return s !== undefined && s.type === heap.types.SHARED_FUNCTION_INFO ? s : undefined;
}

/** Most SharedFunctionInfo descriptions kept per session. */
const MAX_CACHED_INFOS = 100_000;

/** Describes the function whose SharedFunctionInfo is `sfi` (cached per session). */
export function describeShared(heap: V8Heap, sfi: HeapObject): FunctionInfo {
  const cached = heap.sharedInfos.get(sfi.address) as FunctionInfo | undefined;
  if (cached !== undefined) return cached;
  const info = Object.freeze(readShared(heap, sfi));
  if (heap.sharedInfos.size >= MAX_CACHED_INFOS) heap.sharedInfos.clear();
  heap.sharedInfos.set(sfi.address, info);
  return info;
}

function readShared(heap: V8Heap, sfi: HeapObject): FunctionInfo {
  const L = heap.layout;
  const nameOrScope = heap.objectField(sfi.address, L.req.SharedFunctionInfo_name_or_scope_info);
  let name = '';
  let tail: ScopeInfoTail = {};
  if (nameOrScope !== undefined && heap.isString(nameOrScope.type)) {
    name = readString(heap, nameOrScope, { maxLength: MAX_NAME })?.text ?? '';
  } else if (nameOrScope !== undefined && nameOrScope.type === heap.types.SCOPE_INFO) {
    tail = readScopeInfoTail(heap, nameOrScope.address);
    if (tail.functionName !== undefined) name = stringAt(heap, tail.functionName) ?? '';
  }
  let inferredName = tail.inferredName !== undefined ? stringAt(heap, tail.inferredName) : undefined;
  let startPosition = tail.startPosition;
  const uncompiled = uncompiledDataOf(heap, sfi);
  if (uncompiled !== undefined) {
    const inf = L.opt.UncompiledData_inferred_name;
    if (inferredName === undefined && inf !== undefined) {
      const s = heap.objectField(uncompiled.address, inf);
      if (s !== undefined && heap.isString(s.type)) inferredName = readString(heap, s, { maxLength: MAX_NAME })?.text;
    }
    const sp = L.opt.UncompiledData_start_position;
    if (startPosition === undefined && sp !== undefined) {
      const v = heap.int(uncompiled.address + sp, 4);
      if (v !== undefined && v >= 0) startPosition = v;
    }
  }
  const tokenOffset = heap.uint(sfi.address + L.req.SharedFunctionInfo_raw_function_token_offset, 2);
  const functionTokenPosition =
    startPosition !== undefined && tokenOffset !== undefined && tokenOffset !== FUNCTION_TOKEN_OUT_OF_RANGE && tokenOffset <= startPosition
      ? startPosition - tokenOffset
      : undefined;
  const formal = heap.uint(sfi.address + L.req.SharedFunctionInfo_internal_formal_parameter_count, 2);
  const script = heap.objectField(sfi.address, L.req.SharedFunctionInfo_script);
  const out: {
    -readonly [K in keyof FunctionInfo]: FunctionInfo[K];
  } = { name, shared: sfi.address };
  if (inferredName !== undefined && inferredName !== '') out.inferredName = inferredName;
  if (startPosition !== undefined) out.startPosition = startPosition;
  if (functionTokenPosition !== undefined) out.functionTokenPosition = functionTokenPosition;
  if (formal !== undefined && formal > 0) out.formalParameterCount = formal - 1;
  if (isScript(heap, script)) {
    out.script = script.address;
    const sn = scriptName(heap, script);
    if (sn !== undefined) out.scriptName = sn;
    const pos = startPosition ?? functionTokenPosition;
    if (pos !== undefined) {
      const lc = scriptLineColumn(heap, script, pos);
      if (lc !== undefined) {
        out.line = lc.line;
        out.column = lc.column;
      }
    }
  }
  return out;
}

/** Describes a JSFunction (validated with jsFunctionAt), or undefined when its SFI is unreadable. */
export function describeFunction(heap: V8Heap, fn: HeapObject): FunctionInfo | undefined {
  const sfi = sharedOf(heap, fn);
  return sfi === undefined ? undefined : describeShared(heap, sfi);
}

/**
 * The SFI's function data slots are the tagged fields between the map and name_or_scope_info
 * (V8 src/objects/shared-function-info.tq: function_data, split into trusted and untrusted
 * function data in V8 ≥ 12); each is tried by instance type.
 */
export function functionDataSlots(heap: V8Heap, sfi: HeapObject): HeapObject[] {
  const out: HeapObject[] = [];
  const end = Math.min(heap.layout.req.SharedFunctionInfo_name_or_scope_info, 40);
  for (let off = 8; off < end; off += 8) {
    const o = heap.objectField(sfi.address, off);
    if (o !== undefined) out.push(o);
  }
  return out;
}

function uncompiledDataOf(heap: V8Heap, sfi: HeapObject): HeapObject | undefined {
  return functionDataSlots(heap, sfi).find((o) => heap.types.uncompiledData.has(o.type));
}

/** The BytecodeArray of a compiled SFI (directly, or through InterpreterData), or undefined. */
export function bytecodeArrayOf(heap: V8Heap, sfi: HeapObject): HeapObject | undefined {
  for (const o of functionDataSlots(heap, sfi)) {
    if (o.type === heap.types.BYTECODE_ARRAY) return o;
  }
  return undefined;
}

function stringAt(heap: V8Heap, address: number): string | undefined {
  const o = heap.object(address);
  return o !== undefined && heap.isString(o.type) ? readString(heap, o, { maxLength: MAX_NAME })?.text : undefined;
}
