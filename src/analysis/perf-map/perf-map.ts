// A perf map (/tmp/perf-PID.map, the format perf and V8's --perf-basic-prof share: one line per
// code range, `START SIZE NAME` in hex) built from the live heap: every JSFunction of the heap
// census, the Code it runs now (src/v8/objects/function-code.ts: its code slot, or the
// JSDispatchTable entry in V8 ≥ 13), one line per distinct Code. Interpreted functions run the
// shared interpreter builtin and get no line of their own; builtins are named by the binary's
// symbols already.
import { hex } from '../../util/hex.js';
import { describeFunction } from '../../v8/heap/function-info.js';
import { functionCode, type Tier } from '../../v8/objects/function-code.js';
import type { ScanProgress } from '../census/heap-census.js';
import { heapObjectOf } from '../census/object-ref.js';
import type { Session } from '../session.js';

/** Role: one line of a perf map. */
export interface PerfMapEntry {
  readonly start: number;
  readonly size: number;
  /**
   * As V8's perf-basic-prof spells it: `JS:` + tier mark (`*` TurboFan, `+` Maglev, `^` Sparkplug)
   * + name + ` file:line:column` (V8 ≥ 13 writes `*'` for context-specialized TurboFan code; we `*`).
   */
  readonly name: string;
  readonly tier: Tier;
}

/** Role: what a perf map was built from. */
export interface PerfMapResult {
  readonly entries: readonly PerfMapEntry[];
  /** JSFunctions seen, and those whose code could not be read. */
  readonly functions: number;
  readonly unreadable: number;
}

const MARK: Partial<Record<Tier, string>> = { TurboFan: '*', Maglev: '+', baseline: '^' };

/** The perf map of a session's heap: JIT code of every function, sorted by address. */
export function perfMapOf(session: Session, onProgress?: ScanProgress): PerfMapResult {
  const census = session.census(onProgress);
  const heap = census.heap;
  const byStart = new Map<number, PerfMapEntry>();
  let functions = 0;
  let unreadable = 0;
  for (let i = 0; i < census.table.count; i++) {
    if (!heap.isJSFunction(census.table.type(i))) continue;
    functions++;
    const fn = heapObjectOf(census, i);
    const code = functionCode(heap, fn, session.dispatchTable(fn));
    const mark = MARK[code.tier];
    if (mark === undefined) {
      if (code.tier === 'unknown') unreadable++;
      continue;
    }
    if (code.instructionStart === undefined || code.instructionSize === undefined || code.instructionSize <= 0 || byStart.has(code.instructionStart)) continue;
    const info = describeFunction(heap, fn);
    const name = info?.name || info?.inferredName || '(anonymous)';
    const where = info?.scriptName ? ` ${info.scriptName}${info.line !== undefined ? `:${info.line}:${info.column ?? 0}` : ''}` : '';
    byStart.set(code.instructionStart, { start: code.instructionStart, size: code.instructionSize, name: `JS:${mark}${name}${where}`, tier: code.tier });
  }
  const entries = [...byStart.values()].sort((a, b) => a.start - b.start);
  return { entries, functions, unreadable };
}

/** The perf map's text: `START SIZE NAME` per line, hex without 0x, as perf reads it. */
export function perfMapText(r: PerfMapResult): string {
  return r.entries.map((e) => `${hex(e.start).slice(2)} ${e.size.toString(16)} ${e.name.replace(/\n/g, ' ')}\n`).join('');
}
