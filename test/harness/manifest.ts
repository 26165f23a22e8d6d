// The manifest a scenario script writes about the state it built (see test/scenarios/lib/kit.js),
// as TypeScript types, with a checker that lists what is missing or malformed.

/** Role: one value as a scenario described it. */
export interface ManifestValue {
  /** typeof, or 'null'. */
  readonly type: string;
  /** Constructor name for objects. */
  readonly constructor?: string;
  /** util.inspect(v, {depth: 2, breakLength: Infinity, compact: true}). */
  readonly inspect: string;
  /** JSON.stringify(v) when it has one. */
  readonly json?: string;
}

/** Role: one known JS frame, innermost first within its stack. */
export interface ManifestFrame {
  /** Function.prototype.name (SharedFunctionInfo name; '' for anonymous functions). */
  readonly name: string;
  /** The name V8 infers for an anonymous function (e.g. `exports.bucketize`), when it has one. */
  readonly inferredName?: string;
  /** The function as V8 printed it in Error.stack (`Router.handle`, `new Widget`). */
  readonly stackName?: string;
  /** Absolute path of the script (the V8 Script name of a CommonJS module). */
  readonly script: string;
  /** 1-based line and column of the definition as V8 itself gives it ([[FunctionLocation]]). */
  readonly line?: number;
  readonly column?: number;
  /** 1-based line and column where Function.prototype.toString's text starts. */
  readonly tokenLine?: number;
  readonly tokenColumn?: number;
  /** 1-based line the frame is at while the state holds (innermost: the `@hold` statement). */
  readonly currentLine?: number;
  /** Function.prototype.length (declared parameters, receiver not counted). */
  readonly formalCount: number;
  /** Arguments actually passed. */
  readonly argc: number;
  readonly args: readonly ManifestValue[];
  /** `this` when it is meaningful (methods, exports.* functions). */
  readonly receiver?: ManifestValue;
  readonly kind?: 'static' | 'method';
  readonly isConstruct?: boolean;
  readonly isAsync?: boolean;
  readonly afterAwait?: boolean;
  /** The frame repeats this many times in a row (deep recursion); args are the innermost's. */
  readonly repeat?: number;
  /** A builtin between this frame and its caller (e.g. Array.prototype.forEach). */
  readonly calledBy?: string;
}

/** Role: one frame of a V8-printed stack (Error.stack or Node's abort report). */
export interface ParsedStackFrame {
  readonly function: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly async?: boolean;
}

/** Role: the known stack of one thread. */
export interface ManifestStack {
  readonly thread: 'main' | 'worker';
  /** Kernel thread id (the main thread's is the PID). */
  readonly tid: number;
  readonly frames: readonly ManifestFrame[];
  /** Error.stack taken in the innermost known function, just before it held. */
  readonly errorStack: string;
  readonly parsedStack: readonly ParsedStackFrame[];
}

/** Role: the whole manifest of one scenario run (schema 1). */
export interface ScenarioManifest {
  readonly schema: 1;
  readonly scenario: string;
  readonly pid: number;
  readonly nodeVersion: string;
  readonly execPath: string;
  readonly execArgv: readonly string[];
  /** Every thread at ready time with its kernel name (/proc/self/task/TID/comm). */
  readonly threads: readonly { readonly tid: number; readonly name: string }[];
  readonly script: string;
  /** How the state holds: Atomics.wait, a spinning loop, or an abort (no ready line). */
  readonly hold: 'wait' | 'spin' | 'abort';
  readonly stacks: readonly ManifestStack[];
  /** Scenario-specific known values (the heat-map conf, closure-captured variables, …). */
  readonly values?: Readonly<Record<string, unknown>>;
  /** uncaught-abort: the error thrown. */
  readonly error?: { readonly name: string; readonly message: string };
  /** deep-recursion: frames of the recursing function, and where the RangeError came. */
  readonly depth?: number;
  readonly rangeErrorDepth?: number;
  /** worker-thread: the worker's name (also its thread name on Node 24+). */
  readonly workerName?: string;
  /** async-await: the `async` callers Error.stack shows. */
  readonly asyncCallers?: readonly string[];
  /** Files the scenario wrote next to its manifest (names), kept with the core (CoreResult.files). */
  readonly files?: readonly string[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkFrame(f: unknown, where: string, problems: string[]): void {
  if (!isObject(f)) {
    problems.push(`${where}: not an object`);
    return;
  }
  if (typeof f.name !== 'string') problems.push(`${where}.name: not a string`);
  if (typeof f.script !== 'string' || !f.script.startsWith('/')) problems.push(`${where}.script: not an absolute path`);
  for (const k of ['line', 'column', 'formalCount', 'argc']) {
    if (!Number.isInteger(f[k]) || (f[k] as number) < (k === 'line' || k === 'column' ? 1 : 0)) problems.push(`${where}.${k}: bad`);
  }
  if (!Array.isArray(f.args) || f.args.length !== f.argc) problems.push(`${where}.args: not argc values`);
  else f.args.forEach((a, i) => {
    if (!isObject(a) || typeof a.type !== 'string' || typeof a.inspect !== 'string') problems.push(`${where}.args[${i}]: bad`);
  });
}

/** Role: lists what is wrong with a parsed manifest (an empty list means it is well formed). */
export function validateManifest(m: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(m)) return ['manifest: not an object'];
  if (m.schema !== 1) problems.push('schema: not 1');
  for (const k of ['scenario', 'nodeVersion', 'execPath', 'script']) if (typeof m[k] !== 'string') problems.push(`${k}: not a string`);
  if (!Number.isInteger(m.pid)) problems.push('pid: not an integer');
  if (!['wait', 'spin', 'abort'].includes(m.hold as string)) problems.push('hold: unknown');
  if (!Array.isArray(m.threads) || m.threads.length === 0) problems.push('threads: empty');
  else if (!m.threads.every((t) => isObject(t) && Number.isInteger(t.tid) && typeof t.name === 'string')) problems.push('threads: bad entry');
  if (!Array.isArray(m.stacks) || m.stacks.length === 0) {
    problems.push('stacks: empty');
    return problems;
  }
  m.stacks.forEach((s, i) => {
    if (!isObject(s)) {
      problems.push(`stacks[${i}]: not an object`);
      return;
    }
    if (s.thread !== 'main' && s.thread !== 'worker') problems.push(`stacks[${i}].thread: bad`);
    if (!Number.isInteger(s.tid)) problems.push(`stacks[${i}].tid: bad`);
    if (typeof s.errorStack !== 'string') problems.push(`stacks[${i}].errorStack: not a string`);
    if (!Array.isArray(s.frames) || s.frames.length === 0) problems.push(`stacks[${i}].frames: empty`);
    else s.frames.forEach((f, j) => checkFrame(f, `stacks[${i}].frames[${j}]`, problems));
    const top = Array.isArray(s.frames) && isObject(s.frames[0]) ? s.frames[0] : undefined;
    if (top && !Number.isInteger(top.currentLine)) problems.push(`stacks[${i}].frames[0].currentLine: missing`);
  });
  return problems;
}
