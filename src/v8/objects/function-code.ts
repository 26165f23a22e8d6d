// What a JSFunction runs and where its source is: its Code object (kind → tier, instruction range)
// where the layout reaches it, and the function's source range from its ScopeInfo or
// UncompiledData. V8 ≥ 13 reaches Code through the JSDispatchTable (leaptiering).
import { bytecodeArrayOf, functionDataSlots, sharedOf } from '../heap/function-info.js';
import { readScopeInfoTail } from '../heap/scope-info.js';
import type { HeapObject, V8Heap } from '../heap/v8-heap.js';
import { dispatchEntry, dispatchHandleOf, type JSDispatchTable } from './js-dispatch-table.js';

/** Role: a function's execution tier as its Code object's kind says. */
export type Tier = 'interpreted' | 'baseline' | 'Maglev' | 'TurboFan' | 'lazy' | 'builtin' | 'unknown';

/** Role: what is known about the code a function runs. */
export interface FunctionCode {
  readonly tier: Tier;
  /** Why the tier is unknown, when it is. */
  readonly note?: string;
  readonly code?: number;
  readonly instructionStart?: number;
  readonly instructionSize?: number;
  readonly codeKind?: number;
  readonly bytecodeArray?: number;
}

/** CODE_KIND_LIST order after INTERPRETED_FUNCTION (V8 src/objects/code-kind.h). */
const TIERS_FROM_INTERPRETED: readonly Tier[] = ['interpreted', 'baseline', 'Maglev', 'TurboFan'];

/**
 * The Code a JSFunction runs: its code slot (V8 ≤ 12), or the entry of its dispatch handle in the
 * JSDispatchTable (V8 ≥ 13). The object must be a Code (or, in V8 10, a CodeDataContainer).
 */
function codeOf(heap: V8Heap, fn: HeapObject, dispatch: JSDispatchTable | undefined): HeapObject | string {
  const L = heap.layout.opt;
  if (L.JSFunction_code !== undefined) {
    const code = heap.objectField(fn.address, L.JSFunction_code);
    const name = code === undefined ? undefined : heap.layout.types.name(code.type);
    if (code === undefined || (code.type !== heap.types.CODE && name !== 'CODE_DATA_CONTAINER_TYPE')) return 'the code slot does not hold a Code object';
    return code;
  }
  const handle = dispatchHandleOf(heap, fn);
  if (handle === undefined) return "this binary's layout has neither JSFunction::code nor a dispatch handle";
  if (dispatch === undefined) return 'the JSDispatchTable was not found (TODO(#3): needs the IsolateGroup symbol)';
  const entry = dispatchEntry(heap, dispatch, handle);
  return entry?.code ?? `dispatch handle 0x${handle.toString(16)} names no Code`;
}

/**
 * Start of a Code's instructions: the instruction_start pointer (V8 ≥ 11), or, in V8 10 where the
 * metadata's instruction_start is the header size of an on-heap Code, the address right after it.
 */
function instructionStartOf(heap: V8Heap, code: HeapObject, offset: number): number | undefined {
  const exec = (a: number): boolean => heap.space.mappings().some((m) => m.executable && a >= m.start && a < m.end);
  const p = heap.pointer(code.address + offset);
  if (p !== undefined && exec(p)) return p;
  return exec(code.address + offset) ? code.address + offset : p;
}

/** Reads the tier and code of the JSFunction `fn`; `dispatch` is the JSDispatchTable where V8 uses one. */
export function functionCode(heap: V8Heap, fn: HeapObject, dispatch?: JSDispatchTable): FunctionCode {
  const L = heap.layout.opt;
  const sfi = sharedOf(heap, fn);
  const bytecode = sfi !== undefined ? bytecodeArrayOf(heap, sfi) : undefined;
  const bc = bytecode !== undefined ? { bytecodeArray: bytecode.address } : {};
  const code = codeOf(heap, fn, dispatch);
  if (typeof code === 'string') return { tier: bytecode !== undefined ? 'unknown' : 'lazy', note: code, ...bc };
  if (L.Code_flags === undefined || L.CodeKindFieldMask === undefined || L.CodeKindFieldShift === undefined) {
    return { tier: 'unknown', note: "this binary's layout has no Code::flags", code: code.address, ...bc };
  }
  const flags = heap.uint(code.address + L.Code_flags, 4);
  const kind = flags === undefined ? undefined : (flags & L.CodeKindFieldMask) >>> L.CodeKindFieldShift;
  const start = L.Code_instruction_start !== undefined ? instructionStartOf(heap, code, L.Code_instruction_start) : undefined;
  const size = L.Code_instruction_size !== undefined ? heap.int(code.address + L.Code_instruction_size, 4) : undefined;
  const base = { code: code.address, ...(start !== undefined ? { instructionStart: start } : {}), ...(size !== undefined && size >= 0 ? { instructionSize: size } : {}), ...(kind !== undefined ? { codeKind: kind } : {}), ...bc };
  const interp = L.CodeKindInterpretedFunction;
  if (kind === undefined || interp === undefined) return { tier: 'unknown', note: 'Code kind unreadable', ...base };
  const t = TIERS_FROM_INTERPRETED[kind - interp];
  if (t !== undefined) return { tier: t, ...base };
  // Interpreted functions run the InterpreterEntryTrampoline builtin, lazy ones CompileLazy: kinds
  // before INTERPRETED_FUNCTION, whose order shifts between versions (FOR_TESTING_JS in V8 14).
  if (kind < interp) return { tier: bytecode !== undefined ? 'interpreted' : 'lazy', ...base };
  return { tier: 'unknown', note: `Code kind ${kind}`, ...base };
}

/** The source range [start, end) of the function of `sfi`, in characters of its Script. */
export function functionSourceRange(heap: V8Heap, sfi: HeapObject): { start: number; end: number } | undefined {
  const L = heap.layout;
  const nameOrScope = heap.objectField(sfi.address, L.req.SharedFunctionInfo_name_or_scope_info);
  if (nameOrScope !== undefined && nameOrScope.type === heap.types.SCOPE_INFO) {
    const tail = readScopeInfoTail(heap, nameOrScope.address);
    if (tail.startPosition !== undefined && tail.endPosition !== undefined) return { start: tail.startPosition, end: tail.endPosition };
  }
  const s = L.opt.UncompiledData_start_position;
  const e = L.opt.UncompiledData_end_position;
  if (s === undefined || e === undefined) return undefined;
  for (const d of functionDataSlots(heap, sfi)) {
    if (!heap.types.uncompiledData.has(d.type)) continue;
    const start = heap.int(d.address + s, 4);
    const end = heap.int(d.address + e, 4);
    if (start !== undefined && end !== undefined && start >= 0 && end >= start) return { start, end };
  }
  return undefined;
}
