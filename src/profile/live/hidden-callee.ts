// V8's CPU profiler cannot see a function that loops in optimized code compiled by on-stack
// replacement before profiling began: that code was never logged to the profiler, so every sample
// in it is charged to the caller. The stack read in place (LiveTarget) at the start and the end of
// an inspector profile shows what was really running; when the same activation of a function the
// profile never names was innermost both times, its caller's samples on that path are given back
// to it, and the profile says so. When the evidence is partial, the profile says that instead.
import type { Frame, Profile, StackSample } from '../profile-model.js';

/** Role: one JS frame of a stack read in place. */
export interface ProbedFrame {
  readonly name: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** Frame pointer: the same fp and function at start and end is one activation throughout. */
  readonly fp: string;
}

/** Role: the main thread's JS frames read in place, innermost first, or why they could not be read. */
export type StackProbe = { readonly frames: readonly ProbedFrame[] } | { readonly error: string };

const plainPath = (file: string | undefined): string => (file ?? '').replace(/^file:\/\//, '');

function sameFunction(f: Frame, p: ProbedFrame): boolean {
  return f.kind === 'js' && f.name === p.name && plainPath(f.file) === plainPath(p.file) && (f.line === undefined || p.line === undefined || f.line === p.line);
}

/** Whether the JS frames of `s` end (leaf side) with `callers` (innermost first), as far as both go. */
function endsWith(p: Profile, s: StackSample, callers: readonly ProbedFrame[]): boolean {
  const js = s.frames.map((i) => p.frames[i]!).filter((f) => f.kind === 'js');
  if (js.length === 0 || !sameFunction(js[js.length - 1]!, callers[0]!)) return false;
  for (let k = 1; k < callers.length && k < js.length; k++) if (!sameFunction(js[js.length - 1 - k]!, callers[k]!)) return false;
  return true;
}

/** Role: gives back to a hidden innermost function the samples V8 charged to its caller; returns the profile and what to tell the user. */
export function restoreHiddenCallee(p: Profile, start: StackProbe, end: StackProbe | undefined): { profile: Profile; notes: string[] } {
  if ('error' in start) {
    return {
      profile: p,
      notes: [`the main thread's stack could not be read in place (${start.error}); a function looping in code optimized on-stack before the profile began would be charged to its caller (--mode perf sees it)`],
    };
  }
  const [top, ...callers] = start.frames;
  if (top === undefined || callers.length === 0) return { profile: p, notes: [] };
  if (p.frames.some((f) => sameFunction(f, top))) return { profile: p, notes: [] };
  const hits = p.stacks.filter((s) => endsWith(p, s, callers));
  const charged = hits.reduce((n, s) => n + s.count, 0);
  if (charged === 0) return { profile: p, notes: [] };
  const caller = callers[0]!.name || '(anonymous)';
  const name = top.name || '(anonymous)';
  const endTop = end !== undefined && !('error' in end) ? end.frames[0] : undefined;
  const throughout = endTop !== undefined && endTop.fp === top.fp && endTop.name === top.name && plainPath(endTop.file) === plainPath(top.file);
  if (!throughout) {
    return {
      profile: p,
      notes: [
        `${name} was innermost when the profile began (stack read in place) but V8's profiler never names it: it has no record of code compiled before profiling began (on-stack replacement); some of the ${charged} samples charged to ${caller} are likely ${name}'s (--mode perf measures it)`,
      ],
    };
  }
  // The caller's profile frames spell files as the profiler does (file:// URLs for ESM and CJS).
  const callerFrame = hits[0]!.frames.map((i) => p.frames[i]!).filter((f) => f.kind === 'js').pop()!;
  const file = top.file !== undefined && callerFrame.file?.startsWith('file://') && top.file.startsWith('/') ? `file://${top.file}` : top.file;
  const hidden: Frame = { name: top.name, kind: 'js', ...(file !== undefined ? { file } : {}), ...(top.line !== undefined ? { line: top.line } : {}), ...(top.column !== undefined ? { column: top.column } : {}) };
  const frames = [...p.frames, hidden];
  const id = frames.length - 1;
  const stacks = p.stacks.map((s) => (hits.includes(s) ? { ...s, frames: [...s.frames, id] } : s));
  return {
    profile: { ...p, frames, stacks },
    notes: [
      `${charged} samples V8's profiler charged to ${caller} are shown in ${name}: V8's profiler has no record of the code ${name} runs (compiled before profiling began, by on-stack replacement), and the same activation of ${name} was innermost when the main thread's stack was read in place at the start and at the end`,
    ],
  };
}
