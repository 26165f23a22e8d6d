// `nodescope frame <thread>:<n>`: one frame of the stack in depth (mdb_v8 ::jsframe -v): the
// function, `this` and each argument inspected, and the variables of the context the frame runs
// in (the locals V8 keeps in a Context, then the enclosing closures').
import { UsageError } from '../util/errors.js';
import { hex, parseAddress } from '../util/hex.js';
import { visibleScopes } from './inspect/visible-scopes.js';
import { inspectTagged, inspectValue, type InspectOptions } from './inspect/inspect-value.js';
import { numberValue } from './inspect/binary-values.js';
import type { ValueNode } from './inspect/value-node.js';
import type { Session } from './session.js';
import { threadStacks } from './stack.js';
import type { StackFrame, StackValue } from './stack-model.js';

/** Role: one context scope of a frame with its variables. */
export interface FrameScope {
  readonly context: string;
  /** A script context (the realm's Script scope). */
  readonly kind?: 'script';
  readonly variables: readonly { readonly name: string; readonly value: ValueNode }[];
  readonly note?: string;
}

/** Role: the in-depth view of one frame. Plain data. */
export interface FrameReport {
  readonly tid: number;
  readonly index: number;
  readonly frame: StackFrame;
  readonly this?: ValueNode;
  readonly args: readonly ValueNode[];
  /** Innermost first: the frame's own context, then the closures around it. */
  readonly scopes: readonly FrameScope[];
}

/** Parses `TID:N` or `N` (the main thread) into a thread id and a frame index. */
export function parseFrameRef(session: Session, ref: string): { tid: number; index: number } {
  const m = /^(?:(\d+):)?(\d+)$/.exec(ref.trim());
  if (!m) throw new UsageError(`frame: '${ref}' is not <thread>:<frame> (e.g. ${session.target.pid}:3) or <frame>`);
  const tid = m[1] !== undefined ? Number(m[1]) : session.target.pid;
  if (!session.target.threads.some((t) => t.tid === tid)) throw new UsageError(`frame: ${session.target.name} has no thread ${tid}`);
  return { tid, index: Number(m[2]) };
}

function inspectStackValue(session: Session, v: StackValue, options: InspectOptions): ValueNode {
  const address = v.address !== undefined ? parseAddress(v.address) : undefined;
  if (address !== undefined) return inspectValue(session, address, options);
  const n = Number(v.preview);
  return Number.isFinite(n) ? { type: 'number', value: n } : { type: 'unknown', value: v.preview };
}

/** Builds the report of frame `index` of thread `tid`. */
export function frameReport(session: Session, tid: number, index: number, options: InspectOptions = {}): FrameReport {
  const stack = [...threadStacks(session, { tid })][0];
  const frame = stack?.frames[index];
  if (!stack || !frame) throw new UsageError(`frame: thread ${tid} has ${stack?.frames.length ?? 0} frames; there is no frame ${index}`);
  const opts = { depth: 1, maxElements: 20, ...options };
  if (frame.kind !== 'js') return { tid, index, frame, args: [], scopes: [] };
  const heap = session.heap();
  const fp = frame.fp !== undefined ? parseAddress(frame.fp) : undefined;
  const ctxObj = fp !== undefined ? heap.objectOf(heap.word(fp + heap.layout.req.off_fp_context_or_frame_type)) : undefined;
  const scopes = ctxObj === undefined ? [] : visibleScopes(heap, ctxObj);
  return {
    tid,
    index,
    frame,
    ...(frame.this ? { this: inspectStackValue(session, frame.this, opts) } : {}),
    args: (frame.args ?? []).map((a) => inspectStackValue(session, a, opts)),
    scopes: scopes.map((s) => ({
      context: hex(s.context),
      ...(s.kind !== undefined ? { kind: s.kind } : {}),
      variables: s.variables.map((v) => ({ name: v.name, value: v.number !== undefined ? { type: 'number' as const, value: numberValue(v.number) } : inspectTagged(heap, v.value, { ...opts, depth: 0, maxElements: 6 }) })),
      ...(s.note !== undefined ? { note: s.note } : {}),
    })),
  };
}
