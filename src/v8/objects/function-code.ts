// What a JSFunction runs and where its source is: its Code object (kind → tier, instruction range)
// where the layout reaches it, and the function's source range from its ScopeInfo or
// UncompiledData. V8 ≥ 13 reaches Code through the dispatch table (leaptiering): not modelled.
import { bytecodeArrayOf, functionDataSlots, sharedOf } from '../heap/function-info.js';
import { readScopeInfoTail } from '../heap/scope-info.js';
import type { HeapObject, V8Heap } from '../heap/v8-heap.js';

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

/** V8 src/objects/code-kind.h: CodeKind::BUILTIN (BYTECODE_HANDLER, FOR_TESTING, BUILTIN, …). */
const CODE_KIND_BUILTIN = 2;
/** CODE_KIND_LIST order after INTERPRETED_FUNCTION (V8 src/objects/code-kind.h). */
const TIERS_FROM_INTERPRETED: readonly Tier[] = ['interpreted', 'baseline', 'Maglev', 'TurboFan'];

/** Reads the tier and code of the JSFunction `fn`. */
export function functionCode(heap: V8Heap, fn: HeapObject): FunctionCode {
  const L = heap.layout.opt;
  const sfi = sharedOf(heap, fn);
  const bytecode = sfi !== undefined ? bytecodeArrayOf(heap, sfi) : undefined;
  const bc = bytecode !== undefined ? { bytecodeArray: bytecode.address } : {};
  if (L.JSFunction_code === undefined) {
    return {
      tier: bytecode !== undefined ? 'unknown' : 'lazy',
      note: "this binary's metadata has no JSFunction::code (V8 ≥ 13 reaches code through its JSDispatchTable; neither is modelled yet, TODO(#3))",
      ...bc,
    };
  }
  const code = heap.objectField(fn.address, L.JSFunction_code);
  if (code === undefined || L.Code_flags === undefined || L.CodeKindFieldMask === undefined || L.CodeKindFieldShift === undefined) {
    return { tier: 'unknown', note: 'Code object unreadable', ...bc };
  }
  const flags = heap.uint(code.address + L.Code_flags, 4);
  const kind = flags === undefined ? undefined : (flags & L.CodeKindFieldMask) >>> L.CodeKindFieldShift;
  const start = L.Code_instruction_start !== undefined ? heap.pointer(code.address + L.Code_instruction_start) : undefined;
  const size = L.Code_instruction_size !== undefined ? heap.int(code.address + L.Code_instruction_size, 4) : undefined;
  const base = { code: code.address, ...(start !== undefined ? { instructionStart: start } : {}), ...(size !== undefined && size >= 0 ? { instructionSize: size } : {}), ...(kind !== undefined ? { codeKind: kind } : {}), ...bc };
  const interp = L.CodeKindInterpretedFunction;
  if (kind === undefined || interp === undefined) return { tier: 'unknown', note: 'Code kind unreadable', ...base };
  const t = TIERS_FROM_INTERPRETED[kind - interp];
  if (t !== undefined) return { tier: t, ...base };
  // Interpreted functions run the InterpreterEntryTrampoline builtin; lazy ones CompileLazy.
  if (kind === CODE_KIND_BUILTIN) return { tier: bytecode !== undefined ? 'interpreted' : 'lazy', ...base };
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
