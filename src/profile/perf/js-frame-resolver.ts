// The seam where JIT and interpreter frames become JS function names. Kernel mode asks each
// resolver in turn; frames nobody resolves are labelled `[JIT]` / `[interpreted]`, never dropped.
// V8HeapJsFrameResolver (JSFunction slot → SharedFunctionInfo → name via /proc/PID/mem and the
// V8 layout) and PerfMapJsFrameResolver are the implementations.
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
  /**
   * The tagged word in the frame's JSFunction slot (fp − 16, V8 src/execution/frame-constants.h
   * StandardFrameConstants::kFunctionOffset), copied at sample time, when the stack copy covered it.
   */
  readonly functionSlot?: bigint;
  /** The bytecode-array slot of interpreted frames (fp − 24), when copied. */
  readonly bytecodeSlot?: bigint;
}

/** Role: turns a JS frame of a kernel-mode sample into a named Frame, or declines (undefined). */
export interface JsFrameResolver {
  readonly name: string;
  resolve(q: JsFrameQuery): Frame | undefined;
  /** Marks the start of a batch of fresh samples: cached heap addresses are re-validated once per batch. */
  beginBatch?(): void;
  /** Releases what the resolver holds open (process memory, files). */
  close?(): void;
}

/** Role: the placeholder frame of a JS frame no resolver could name. */
export function unresolvedJsFrame(q: JsFrameQuery): Frame {
  return { name: q.state === 'jit' ? '[JIT]' : '[interpreted]', kind: 'js' };
}

/** Role: makes the JS frame resolvers of a process; the profile command's seam for the V8 heap. */
export interface JsResolverFactory {
  /** Cheap check before sampling: undefined when resolvers can be made, else the reason why not. */
  unavailable(pid: number): string | undefined;
  /** Opens the resolvers (a fraction of a second; pipe mode opens them before sampling starts). */
  open(pid: number): readonly JsFrameResolver[];
}
