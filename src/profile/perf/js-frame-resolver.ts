// The fallback seam for JS frames the live heap cannot name (no frame pointer in the sample, no
// V8 metadata): each resolver is asked in turn; frames nobody resolves are labelled `[JIT]` /
// `[interpreted]`, never dropped. PerfMapJsFrameResolver (the target's /tmp/perf-PID.map) is
// the implementation; JS frames with a frame pointer are named by SampleNamer through v8/frames.
import type { Frame } from '../profile-model.js';

/** Role: what is known about one JS frame of a kernel-mode sample. */
export interface JsFrameQuery {
  readonly pid: number;
  /** Instruction pointer (leaf) or return address (callers) inside the frame's code. */
  readonly ip: number;
  /** `jit`: code in an anonymous executable mapping; `interpreted`: inside the interpreter trampoline. */
  readonly state: 'jit' | 'interpreted';
  /** The frame pointer of this frame, when the sample carried a user stack copy. */
  readonly fp?: number;
}

/** Role: turns a JS frame of a kernel-mode sample into a named Frame, or declines (undefined). */
export interface JsFrameResolver {
  readonly name: string;
  resolve(q: JsFrameQuery): Frame | undefined;
}

/** Role: the placeholder frame of a JS frame no resolver could name. */
export function unresolvedJsFrame(q: JsFrameQuery): Frame {
  return { name: q.state === 'jit' ? '[JIT]' : '[interpreted]', kind: 'js' };
}
