// Reports on one JSFunction for `function`, `source` and `closure`: name, definition site, tier
// and code; the numbered source text from its Script; the variables its context chain holds.
import type { Session } from '../session.js';
import { UsageError } from '../../util/errors.js';
import { describeFunction, sharedOf } from '../../v8/heap/function-info.js';
import { scriptLineEnds, scriptSource, lineColumnOf } from '../../v8/heap/script.js';
import { readString } from '../../v8/heap/strings.js';
import type { HeapObject, V8Heap } from '../../v8/heap/v8-heap.js';
import { visibleScopes } from './visible-scopes.js';
import { functionCode, functionSourceRange, type Tier } from '../../v8/objects/function-code.js';
import { isClassConstructor, objectKind } from '../../v8/objects/object-class.js';
import { boundFunctionParts } from '../../v8/objects/special-objects.js';
import { inspectTagged, type InspectOptions } from './inspect-value.js';
import { numberValue } from './binary-values.js';
import type { ValueNode } from './value-node.js';

/** Role: what `function` prints about a JSFunction or JSBoundFunction. */
export interface FunctionReport {
  readonly address: number;
  readonly kind: 'function' | 'class' | 'bound';
  readonly name: string;
  readonly inferredName?: string;
  readonly script?: string;
  readonly line?: number;
  readonly column?: number;
  readonly formalParameterCount?: number;
  readonly shared?: number;
  readonly tier?: Tier;
  readonly tierNote?: string;
  readonly code?: number;
  readonly instructionStart?: number;
  readonly instructionSize?: number;
  readonly bytecodeArray?: number;
  /** Bound functions: target, this and arguments. */
  readonly bound?: { readonly target: ValueNode; readonly boundThis: ValueNode; readonly args: readonly ValueNode[] };
}

/** Role: the numbered source lines of a function. */
export interface SourceReport {
  readonly function: string;
  readonly script?: string;
  readonly lines: readonly { readonly line: number; readonly text: string }[];
}

/** Role: the variables a closure sees, innermost context first. */
export interface ClosureReport {
  readonly function: string;
  /** Innermost context first, then the realm's script contexts (`kind: 'script'`: top-level let/const/class of classic scripts). */
  readonly scopes: readonly { readonly context: number; readonly kind?: 'script'; readonly variables: readonly { readonly name: string; readonly value: ValueNode }[]; readonly note?: string }[];
}

/** The JSFunction (or bound function, when `allowBound`) at `address`; throws UsageError otherwise. */
function functionAt(heap: V8Heap, address: number, allowBound: boolean): HeapObject {
  const a = address % 8 === 1 ? address - 1 : address;
  const o = heap.object(a);
  const kind = o === undefined ? undefined : objectKind(heap, o);
  if (o === undefined || (kind !== 'function' && !(allowBound && kind === 'boundFunction'))) {
    throw new UsageError(`0x${address.toString(16)} is not a JSFunction${allowBound ? ' or JSBoundFunction' : ''}`);
  }
  return o;
}

/** Describes the function at `address`. */
export function functionReport(session: Session, address: number, options: InspectOptions = {}): FunctionReport {
  const heap = session.heap();
  const fn = functionAt(heap, address, true);
  if (objectKind(heap, fn) === 'boundFunction') {
    const p = boundFunctionParts(heap, fn);
    const target = inspectTagged(heap, p.target, { depth: 0, ...options });
    const args: ValueNode[] = [];
    const n = p.args !== undefined ? (heap.fixedArrayLength(p.args.address) ?? 0) : 0;
    for (let i = 0; i < n && i < 256; i++) args.push(inspectTagged(heap, heap.fixedArrayGet(p.args!.address, i), { depth: 0, ...options }));
    return {
      address: fn.address,
      kind: 'bound',
      name: `bound ${target.name ?? ''}`,
      bound: { target, boundThis: inspectTagged(heap, p.boundThis, { depth: 0, ...options }), args },
    };
  }
  const info = describeFunction(heap, fn);
  const code = functionCode(heap, fn, session.dispatchTable(fn));
  return {
    address: fn.address,
    kind: isClassConstructor(heap, fn) ? 'class' : 'function',
    name: info?.name ?? '',
    ...(info?.inferredName !== undefined ? { inferredName: info.inferredName } : {}),
    ...(info?.scriptName !== undefined ? { script: info.scriptName } : {}),
    ...(info?.line !== undefined ? { line: info.line, column: info.column } : {}),
    ...(info?.formalParameterCount !== undefined ? { formalParameterCount: info.formalParameterCount } : {}),
    ...(info !== undefined ? { shared: info.shared } : {}),
    tier: code.tier,
    ...(code.note !== undefined ? { tierNote: code.note } : {}),
    ...(code.code !== undefined ? { code: code.code } : {}),
    ...(code.instructionStart !== undefined ? { instructionStart: code.instructionStart } : {}),
    ...(code.instructionSize !== undefined ? { instructionSize: code.instructionSize } : {}),
    ...(code.bytecodeArray !== undefined ? { bytecodeArray: code.bytecodeArray } : {}),
  };
}

/** Most source lines returned. */
const MAX_SOURCE_LINES = 10000;

/** The function's source lines, with `context` extra lines before and after. */
export function sourceReport(session: Session, address: number, context = 0): SourceReport {
  const heap = session.heap();
  const fn = functionAt(heap, address, false);
  const info = describeFunction(heap, fn);
  const sfi = sharedOf(heap, fn);
  const name = info?.name || info?.inferredName || '(anonymous)';
  const script = info?.script !== undefined ? heap.object(info.script) : undefined;
  if (sfi === undefined || script === undefined) throw new UsageError(`${name} has no Script (a native or builtin function)`);
  const range = functionSourceRange(heap, sfi);
  const src = scriptSource(heap, script);
  const ends = scriptLineEnds(heap, script);
  if (range === undefined || src === undefined || ends === undefined) throw new UsageError(`the source of ${name} is not in the core`);
  const startPos = info?.functionTokenPosition ?? range.start;
  const first = lineColumnOf(ends, startPos)?.line;
  const last = lineColumnOf(ends, Math.max(startPos, range.end - 1))?.line;
  if (first === undefined || last === undefined) throw new UsageError(`the source range of ${name} lies outside its Script`);
  const from = Math.max(1, first - context);
  const to = Math.min(ends.length, last + context, from + MAX_SOURCE_LINES - 1);
  const textStart = from === 1 ? 0 : ends[from - 2]! + 1;
  const textEnd = ends[to - 1]!;
  const text = readString(heap, src, { maxLength: textEnd + 1, maxNodes: 1 << 16 });
  if (text === undefined) throw new UsageError(`the source of ${name} is unreadable`);
  const lines = text.text.slice(textStart, textEnd).split(/\r?\n|\u2028|\u2029/).map((t, i) => ({ line: from + i, text: t }));
  return { function: name, ...(info?.scriptName !== undefined ? { script: info.scriptName } : {}), lines };
}

/** The variables of the closure at `address`, innermost context first. */
export function closureReport(session: Session, address: number, options: InspectOptions = {}): ClosureReport {
  const heap = session.heap();
  const fn = functionAt(heap, address, false);
  const info = describeFunction(heap, fn);
  const ctx = heap.objectField(fn.address, heap.layout.req.JSFunction_context);
  return {
    function: info?.name || info?.inferredName || '(anonymous)',
    scopes: (ctx === undefined ? [] : visibleScopes(heap, ctx))
      .map((s) => ({
        context: s.context,
        ...(s.kind !== undefined ? { kind: s.kind } : {}),
        variables: s.variables.map((v) => ({ name: v.name, value: v.number !== undefined ? { type: 'number' as const, value: numberValue(v.number) } : inspectTagged(heap, v.value, { depth: 0, maxElements: 8, ...options }) })),
        ...(s.note !== undefined ? { note: s.note } : {}),
      })),
  };
}

