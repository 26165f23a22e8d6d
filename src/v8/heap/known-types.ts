// The instance-type values the heap model tests against, resolved once per layout from the
// `v8dbg_type_*` names (which drift across V8 versions, hence the alternatives per row).
import type { V8Layout } from '../layout/v8-layout.js';

/** Role: numeric instance types of the classes the heap model reads (undefined when absent). */
export interface KnownTypes {
  readonly MAP: number | undefined;
  readonly ODDBALL: number | undefined;
  readonly HOLE: number | undefined;
  readonly HEAP_NUMBER: number | undefined;
  readonly SYMBOL: number | undefined;
  readonly SHARED_FUNCTION_INFO: number | undefined;
  readonly SCRIPT: number | undefined;
  readonly SCOPE_INFO: number | undefined;
  readonly FIXED_ARRAY: number | undefined;
  readonly FIXED_DOUBLE_ARRAY: number | undefined;
  readonly BYTE_ARRAY: number | undefined;
  readonly TRUSTED_BYTE_ARRAY: number | undefined;
  readonly BYTECODE_ARRAY: number | undefined;
  readonly INTERPRETER_DATA: number | undefined;
  readonly CODE: number | undefined;
  readonly INSTRUCTION_STREAM: number | undefined;
  readonly DESCRIPTOR_ARRAY: number | undefined;
  readonly STRONG_DESCRIPTOR_ARRAY: number | undefined;
  readonly PROPERTY_ARRAY: number | undefined;
  readonly JS_OBJECT: number | undefined;
  readonly JS_ARRAY: number | undefined;
  readonly JS_PROXY: number | undefined;
  readonly JS_BOUND_FUNCTION: number | undefined;
  /** Inclusive range of JSFunction instance types (class constructors etc. are subtypes). */
  readonly firstJSFunction: number;
  readonly lastJSFunction: number;
  /** Instance types of UncompiledData* classes. */
  readonly uncompiledData: ReadonlySet<number>;
  /** First instance type that is not a string (V8 kFirstNonstringType). */
  readonly firstNonString: number;
}

/**
 * Without v8dbg_First/LastJSFunctionType (V8 ≤ 11), the JSFunction subtypes follow
 * JS_FUNCTION_TYPE (V8 src/objects/instance-type.h, JS_FUNCTION_TYPE is FIRST_JS_FUNCTION_TYPE
 * since V8 9); 16 is the span Node 22's metadata reports (2066…2082). Every candidate is still
 * checked structurally (its `shared` field must be a SharedFunctionInfo).
 */
const JS_FUNCTION_SUBTYPE_SPAN = 16;

/** Resolves the KnownTypes of a layout. */
export function knownTypes(layout: V8Layout): KnownTypes {
  const t = layout.types;
  const jsFunction = t.value('JS_FUNCTION_TYPE') ?? -1;
  const uncompiled = new Set<number>();
  for (const n of [
    'UNCOMPILED_DATA_WITHOUT_PREPARSE_DATA_TYPE',
    'UNCOMPILED_DATA_WITH_PREPARSE_DATA_TYPE',
    'UNCOMPILED_DATA_WITHOUT_PREPARSE_DATA_WITH_JOB_TYPE',
    'UNCOMPILED_DATA_WITH_PREPARSE_DATA_AND_JOB_TYPE',
  ]) {
    const v = t.value(n);
    if (v !== undefined) uncompiled.add(v);
  }
  return Object.freeze({
    MAP: t.value('MAP_TYPE'),
    ODDBALL: t.value('ODDBALL_TYPE'),
    HOLE: t.value('HOLE_TYPE'),
    HEAP_NUMBER: t.value('HEAP_NUMBER_TYPE'),
    SYMBOL: t.value('SYMBOL_TYPE'),
    SHARED_FUNCTION_INFO: t.value('SHARED_FUNCTION_INFO_TYPE'),
    SCRIPT: t.value('SCRIPT_TYPE'),
    SCOPE_INFO: t.value('SCOPE_INFO_TYPE'),
    FIXED_ARRAY: t.value('FIXED_ARRAY_TYPE'),
    FIXED_DOUBLE_ARRAY: t.value('FIXED_DOUBLE_ARRAY_TYPE'),
    BYTE_ARRAY: t.value('BYTE_ARRAY_TYPE'),
    TRUSTED_BYTE_ARRAY: t.value('TRUSTED_BYTE_ARRAY_TYPE'),
    BYTECODE_ARRAY: t.value('BYTECODE_ARRAY_TYPE'),
    INTERPRETER_DATA: t.value('INTERPRETER_DATA_TYPE'),
    CODE: t.value('CODE_TYPE'),
    INSTRUCTION_STREAM: t.value('INSTRUCTION_STREAM_TYPE'),
    DESCRIPTOR_ARRAY: t.value('DESCRIPTOR_ARRAY_TYPE'),
    STRONG_DESCRIPTOR_ARRAY: t.value('STRONG_DESCRIPTOR_ARRAY_TYPE'),
    PROPERTY_ARRAY: t.value('PROPERTY_ARRAY_TYPE'),
    JS_OBJECT: t.value('JS_OBJECT_TYPE'),
    JS_ARRAY: t.value('JS_ARRAY_TYPE'),
    JS_PROXY: t.value('JS_PROXY_TYPE'),
    JS_BOUND_FUNCTION: t.value('JS_BOUND_FUNCTION_TYPE'),
    firstJSFunction: layout.opt.FirstJSFunctionType ?? jsFunction,
    lastJSFunction: layout.opt.LastJSFunctionType ?? (jsFunction < 0 ? -1 : jsFunction + JS_FUNCTION_SUBTYPE_SPAN),
    uncompiledData: uncompiled,
    firstNonString: layout.req.FirstNonstringType,
  });
}
