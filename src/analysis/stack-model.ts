// The result of the stack analysis: plain, JSON-serializable data, in the shape documented for
// `nodescope stack --json` (issue 2). Rendering lives in src/render.

/** A value shown for `this` or an argument: Smis and other immediates have no address. */
export interface StackValue {
  readonly address?: string;
  readonly type: string;
  readonly preview: string;
}

/** One frame, innermost first. Fields that do not apply are omitted. */
export interface StackFrame {
  readonly kind: 'js' | 'native' | 'internal';
  /** V8 frame type for JS and internal frames (interpreted, baseline, maglev, turbofan, entry, exit, stub, …). */
  readonly frameType?: string;
  readonly function?: string;
  readonly inferredName?: string;
  /**
   * The name V8's stack traces give this call when the function has neither a name nor an
   * inferred one (`Object.<anonymous>` for CommonJS top-level code): type and method from the receiver.
   */
  readonly callName?: string;
  /** Address of the frame's JSFunction (mdb_v8's `func`), for `source`, `function` and `closure`. */
  readonly functionAddress?: string;
  readonly script?: string;
  /** Definition line and column of the function (1-based). */
  readonly line?: number;
  readonly column?: number;
  /** Line executing now, for frames that carry a bytecode offset. */
  readonly currentLine?: number;
  readonly this?: StackValue;
  readonly args?: readonly StackValue[];
  /** Demangled native symbol. */
  readonly symbol?: string;
  readonly offset?: number;
  readonly module?: string;
  readonly pc: string;
  readonly fp?: string;
  readonly sp?: string;
  /** Why a frame could not be decoded (garbage in a slot, unreadable memory). */
  readonly unknown?: string;
}

/** One thread's stack. */
export interface ThreadStack {
  readonly tid: number;
  readonly name: string;
  readonly signal?: number;
  readonly frames: readonly StackFrame[];
  /** Why the walk ended early, when it did (limit, unreadable memory, corrupt frame). */
  readonly stopped?: string;
}

/** The whole result of `stack`. */
export interface StackResult {
  readonly threads: readonly ThreadStack[];
}
