// The stack analysis behind `nodescope stack`: for every thread, native frames from the
// unwinder (CFI, then frame pointers through JIT code), each classified as a V8 frame (JS or
// internal) or symbolized as native. Returns plain StackResult data; render/ formats it.
import { classifyV8Frame, type V8Frame, type V8FrameContext } from '../v8/frames/v8-frame.js';
import type { ValuePreview } from '../v8/heap/preview.js';
import type { Symbolizer } from '../native/symbolizer.js';
import { unwindThread, type NativeFrame } from '../native/unwinder.js';
import { v8CallName } from './inspect/error-stack.js';
import type { V8Heap } from '../v8/heap/v8-heap.js';
import { hex } from '../util/hex.js';
import type { Thread } from '../target/target.js';
import type { Session } from './session.js';
import type { StackFrame, StackResult, StackValue, ThreadStack } from './stack-model.js';

/** Options of the stack analysis. */
export interface StackOptions {
  /** Only this thread (by TID). */
  readonly tid?: number;
  /** Most frames per thread (deep recursion reaches 10k+). */
  readonly maxFrames?: number;
}

/** Role: the per-session pieces the stack analysis reuses across calls. */
interface StackTools {
  readonly symbolizer: Symbolizer;
  readonly frames: V8FrameContext;
}

function tools(session: Session): StackTools {
  return { symbolizer: session.symbolizer(), frames: session.frameContext() };
}

/** Runs the stack analysis over every thread (or one) of the session's target. */
export function stackAnalysis(session: Session, opts: StackOptions = {}): StackResult {
  return { threads: [...threadStacks(session, opts)] };
}

/** Yields each thread's stack as soon as it is walked (the main thread first), for streaming output. */
export function* threadStacks(session: Session, opts: StackOptions = {}): Generator<ThreadStack> {
  const t = tools(session);
  const pid = session.target.pid;
  const threads = session.target.threads
    .filter((th) => opts.tid === undefined || th.tid === opts.tid)
    .sort((a, b) => Number(b.tid === pid) - Number(a.tid === pid));
  for (const th of threads) yield threadStack(session, t, th, opts);
}

function threadName(session: Session, th: Thread, frames: readonly StackFrame[]): string {
  const known = session.threadNames.get(th.tid) ?? th.name;
  if (known) return known;
  const syms = frames.map((f) => f.symbol ?? '').join('\n');
  if (/node::worker::Worker::StartThread/.test(syms)) return 'worker thread';
  if (/uv__thread_start|worker\b/.test(syms) && /uv_/.test(syms)) return 'libuv threadpool';
  if (/PlatformWorkerThread/.test(syms)) return 'V8 platform worker';
  if (/DelayedTaskScheduler/.test(syms)) return 'V8 delayed tasks';
  if (/StartIoThreadMain/.test(syms)) return 'inspector signal thread';
  if (/inspector/i.test(syms)) return 'inspector';
  return 'thread';
}

function threadStack(session: Session, t: StackTools, th: Thread, opts: StackOptions): ThreadStack {
  const walk = unwindThread(session.target, th, { symbolizer: t.symbolizer, maxFrames: opts.maxFrames ?? 20_000, symbolize: false });
  const frames: StackFrame[] = walk.frames.map((nf) => frameOf(t, nf));
  const stopped = walk.stop === 'end-of-stack' ? undefined : `${walk.stop}${walk.stopDetail ? ` (${walk.stopDetail})` : ''}`;
  const name = threadName(session, th, frames);
  return {
    tid: th.tid,
    name,
    ...(th.signal ? { signal: th.signal } : {}),
    frames,
    ...(stopped ? { stopped } : {}),
  };
}

/** Whether a pc should be read as a V8 frame: JIT code outside every module, or an embedded builtin. */
function isV8Pc(t: StackTools, nf: NativeFrame): boolean {
  return t.symbolizer.moduleAt(nf.pc) === undefined || t.frames.builtins?.find(nf.pc) !== undefined;
}

function frameOf(t: StackTools, nf: NativeFrame): StackFrame {
  const regs = { pc: hex(nf.pc), ...(nf.fp ? { fp: hex(nf.fp) } : {}), sp: hex(nf.sp) };
  if (isV8Pc(t, nf) && nf.fp) {
    const v = classifyV8Frame(t.frames, nf.fp, nf.pc);
    if (v.kind === 'js') return jsFrame(v, regs, t.frames.heap);
    if (v.kind !== 'unknown') return { kind: 'internal', frameType: v.kind === 'internal' ? (v.typeName ?? 'internal') : v.kind, ...regs };
    if (v.builtin) return { kind: 'internal', frameType: `builtin ${v.builtin}`, ...regs };
    return { kind: 'internal', frameType: 'unknown', unknown: v.reason ?? 'unrecognised frame', ...regs };
  }
  const lookup = nf.lookupPc;
  const s = t.symbolizer.symbolize(nf.pc, lookup);
  if (s) return { kind: 'native', symbol: s.demangled, offset: s.offset, module: s.module, ...regs };
  const m = t.symbolizer.moduleAt(lookup);
  return { kind: 'native', ...(m ? { module: m.module.path, offset: nf.pc - m.module.start } : {}), ...regs };
}

function value(p: ValuePreview): StackValue {
  // mdb_v8's habit: `(Object: Object)`, `(Object: Bucket)` — the kind, then the constructor.
  const type = p.constructorName ? `${p.type}: ${p.constructorName}` : p.type;
  return { ...(p.address !== undefined ? { address: hex(p.address) } : {}), type, preview: p.preview };
}

function jsFrame(v: V8Frame, regs: { pc: string; fp?: string; sp: string }, heap: V8Heap): StackFrame {
  const f = v.function;
  // A function with no name of its own: V8's stack traces name the call from its receiver.
  const fn = v.functionAddress !== undefined && !f?.name && !f?.inferredName ? heap.object(v.functionAddress) : undefined;
  const callName = fn !== undefined ? v8CallName(heap, fn, v.receiverWord) : '';
  return {
    kind: 'js',
    ...(v.typeName ? { frameType: v.tier ?? v.typeName } : {}),
    function: f?.name ?? '',
    ...(f?.inferredName ? { inferredName: f.inferredName } : {}),
    ...(callName !== '' ? { callName } : {}),
    ...(v.functionAddress !== undefined ? { functionAddress: hex(v.functionAddress) } : {}),
    ...(f?.scriptName ? { script: f.scriptName } : {}),
    ...(f?.line !== undefined ? { line: f.line } : {}),
    ...(f?.column !== undefined ? { column: f.column } : {}),
    ...(v.currentLine !== undefined ? { currentLine: v.currentLine } : {}),
    ...(v.receiver ? { this: value(v.receiver) } : {}),
    // Show what the caller passed (arguments.length); V8 pads missing formals with undefined.
    args: (v.args ?? []).slice(0, v.argc ?? Infinity).map(value),
    ...regs,
  };
}
