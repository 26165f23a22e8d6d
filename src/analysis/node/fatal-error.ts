// Why the process ended, from the crashing thread's native frames and the core's signal:
// an uncaught exception under --abort-on-uncaught-exception (V8 aborts in
// Isolate::CreateMessageOrAbort below Runtime_Throw; the thrown value is the runtime call's
// argument, the first word above the exit frame's return address), an unhandled rejection
// (node::errors::TriggerUncaughtException aborts; the error is the API call's first Error
// argument in the exit frame), out of memory (node::OOMErrorHandler), other aborts (V8_Fatal,
// node::Abort, CHECKs), a fatal signal, or none at all: a snapshot of a live process.
import type { Tagged } from '../../v8/heap/tagged.js';
import { objectKind } from '../../v8/objects/object-class.js';
import type { Session } from '../session.js';
import type { ThreadStack } from '../stack-model.js';
import { threadStacks } from '../stack.js';
import { errorInfo, type ErrorInfo, type StackLine } from './error-info.js';

/** Role: how the process ended. */
export type FatalKind = 'uncaught-exception' | 'unhandled-rejection' | 'oom' | 'abort' | 'signal' | 'snapshot';

/** Role: the fatal error as `info --json` documents it (`fatal`). */
export interface FatalError {
  readonly kind: FatalKind;
  /** The signal's name (SIGTRAP, SIGABRT, SIGSEGV …); absent for a snapshot. */
  readonly signal?: string;
  readonly error?: ErrorInfo;
  /** One line: what the native frames say (`JavaScript heap out of memory`, `V8_Fatal`, the faulting function). */
  readonly detail?: string;
  /** The thread that crashed. */
  readonly thread?: { readonly tid: number; readonly name: string };
  /** Its JS frames, innermost first (function, file, current line). */
  readonly jsFrames: readonly StackLine[];
}

/** Linux signal numbers (asm-generic/signal.h, x86-64). */
const SIGNALS: Readonly<Record<number, string>> = {
  1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 4: 'SIGILL', 5: 'SIGTRAP', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE', 9: 'SIGKILL', 10: 'SIGUSR1',
  11: 'SIGSEGV', 12: 'SIGUSR2', 13: 'SIGPIPE', 14: 'SIGALRM', 15: 'SIGTERM', 16: 'SIGSTKFLT', 17: 'SIGCHLD', 18: 'SIGCONT', 19: 'SIGSTOP',
  20: 'SIGTSTP', 21: 'SIGTTIN', 22: 'SIGTTOU', 23: 'SIGURG', 24: 'SIGXCPU', 25: 'SIGXFSZ', 26: 'SIGVTALRM', 27: 'SIGPROF', 28: 'SIGWINCH', 29: 'SIGIO', 30: 'SIGPWR', 31: 'SIGSYS',
};

/** The name of a signal number. */
export function signalName(n: number): string {
  return SIGNALS[n] ?? `signal ${n}`;
}

/** Native frames that only carry out an abort (skipped when naming the faulting function). */
// With libc's debug file installed its locals are named too: glibc 2.35+ kills through
// __pthread_kill_implementation and __pthread_kill_internal (nptl/pthread_kill.c).
const ABORT_PLUMBING = /^((__GI_)?(raise|abort|gsignal)|__pthread_kill(_implementation|_internal)?|pthread_kill|v8::base::OS::Abort|node::Abort|node::DumpNativeBacktrace|node::DumpJavaScriptBacktrace)\b/;

function symbols(t: ThreadStack): string[] {
  return t.frames.filter((f) => f.kind === 'native').map((f) => f.symbol ?? '');
}

/** The innermost JS frames of a thread, as stack lines. */
export function jsFramesOf(t: ThreadStack): StackLine[] {
  return t.frames
    .filter((f) => f.kind === 'js')
    .map((f) => ({ function: f.function || f.inferredName || '', file: f.script ?? '<unknown>', ...(f.currentLine ?? f.line) !== undefined ? { line: f.currentLine ?? f.line } : {} }));
}

/** The value thrown at an exit frame: Runtime_Throw's argument (fp+16), or the first Error among an API call's arguments. */
function thrownAt(session: Session, t: ThreadStack, firstErrorOnly: boolean): Tagged | undefined {
  const heap = session.heap();
  const exit = t.frames.findIndex((f) => f.kind === 'internal' && f.frameType === 'exit');
  const js = t.frames.findIndex((f, i) => i > exit && f.kind === 'js');
  if (exit < 0 || js < 0) return undefined;
  const fp = parseInt(t.frames[exit]!.fp ?? '0', 16);
  const end = parseInt(t.frames[js]!.fp ?? '0', 16);
  if (!firstErrorOnly) return heap.word(fp + 16);
  for (let a = fp + 16; a < end && a < fp + 4096; a += 8) {
    const o = heap.objectOf(heap.word(a));
    if (o !== undefined && heap.isJSReceiver(o.type) && objectKind(heap, o) === 'error') return heap.word(a);
  }
  return undefined;
}

/** The innermost symbolized native function that is not abort plumbing (unsymbolized libc frames are skipped). */
function nativeTop(t: ThreadStack): string | undefined {
  for (const f of t.frames) {
    if (f.kind === 'js') return undefined;
    if (f.kind === 'native' && f.symbol !== undefined && !ABORT_PLUMBING.test(f.symbol)) return f.symbol.replace(/\(.*$/, '');
  }
  return undefined;
}

/** The innermost application JS frame (not a node: built-in), else the innermost JS frame, as `fn (file:line)`. */
function jsTop(t: ThreadStack): string | undefined {
  const js = jsFramesOf(t);
  const f = js.find((x) => !x.file.startsWith('node:')) ?? js[0];
  return f === undefined ? undefined : `${f.function || '(anonymous)'} (${f.file}${f.line !== undefined ? `:${f.line}` : ''})`;
}

/** `native, called from js`, from what is known. */
function faulting(t: ThreadStack, first?: string): string | undefined {
  const native = first ?? nativeTop(t);
  const js = jsTop(t);
  if (native === undefined) return js;
  return js === undefined ? native : `${native}, called from ${js}`;
}

/** Classifies how the process ended and reads the error behind it. */
export function fatalError(session: Session): FatalError {
  const target = session.target;
  // The kernel records the fatal signal per thread, the dumping thread first; gcore records
  // none per thread (its NT_SIGINFO says SIGSTOP): a snapshot.
  const SIGSTOP = 19;
  const byThread = target.threads.find((t) => t.signal !== undefined && t.signal !== 0);
  const processSignal = target.signal !== undefined && target.signal !== 0 && target.signal !== SIGSTOP ? target.signal : undefined;
  const crashing = byThread ?? (processSignal !== undefined ? target.threads.find((t) => t.tid === target.pid) : undefined);
  const signal = byThread?.signal ?? processSignal;
  if (crashing === undefined || signal === undefined) {
    const main = [...threadStacks(session, { tid: target.pid })][0];
    return { kind: 'snapshot', ...(main !== undefined ? { thread: { tid: main.tid, name: main.name }, jsFrames: jsFramesOf(main) } : { jsFrames: [] }) };
  }
  const t = [...threadStacks(session, { tid: crashing.tid })][0]!;
  const syms = symbols(t).join('\n');
  const base = { signal: signalName(signal), thread: { tid: t.tid, name: t.name }, jsFrames: jsFramesOf(t) };
  if (/Isolate::CreateMessageOrAbort|Runtime_(Re)?Throw/.test(syms)) {
    const thrown = thrownAt(session, t, false);
    return { kind: 'uncaught-exception', ...base, ...(thrown !== undefined ? { error: errorInfo(session, thrown) } : {}) };
  }
  if (/node::errors::TriggerUncaughtException/.test(syms)) {
    const thrown = thrownAt(session, t, true);
    const fromPromise = t.frames.some((f) => f.kind === 'js' && /processPromiseRejections|throwUnhandledRejectionsMode/.test(f.function ?? ''));
    return { kind: fromPromise ? 'unhandled-rejection' : 'uncaught-exception', ...base, ...(thrown !== undefined ? { error: errorInfo(session, thrown) } : {}) };
  }
  if (/node::OOMErrorHandler|FatalProcessOutOfMemory|ReportOOMFailure/.test(syms)) {
    // A JS heap limit: V8 gave up in a collection, or (V8 14) in the heap allocator's slow path.
    const where = /Heap::FatalProcessOutOfMemory|Heap::CollectGarbage|HeapAllocator::|Heap::AllocateRaw/.test(syms) ? 'JavaScript heap out of memory' : 'out of memory';
    return { kind: 'oom', ...base, detail: where };
  }
  if (signal === 6 || signal === 5) {
    const fatal = /V8_Fatal/.test(syms) ? 'V8_Fatal' : /node::Assert/.test(syms) ? 'node::Assert' : /node::Abort/.test(syms) ? 'node::Abort' : undefined;
    const at = faulting(t, fatal);
    return { kind: 'abort', ...base, ...(at !== undefined ? { detail: at } : {}) };
  }
  const at = faulting(t);
  return { kind: 'signal', ...base, ...(at !== undefined ? { detail: at } : {}) };
}
