// The `stack` text of an Error whose stack was captured but never formatted, built from its
// call-site records the way V8 formats a frame: `    at name (script:line:column)`. Positions
// come from the bytecode's (or optimized Code's) source position table.
import { describeFunction } from '../../v8/heap/function-info.js';
import { lineColumnOf, scriptLineEnds } from '../../v8/heap/script.js';
import type { V8Heap } from '../../v8/heap/v8-heap.js';
import { bytecodeScriptOffset, optimizedScriptOffset, type V8FrameContext } from '../../v8/frames/v8-frame.js';
import type { CallSiteRecord } from '../../v8/objects/call-site-info.js';

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
  return name === '' ? `    at ${where}` : `    at ${name} (${where})`;
}
