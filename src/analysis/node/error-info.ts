// A thrown value or rejection reason as the Node-state results show it: the error's constructor,
// message and stack (V8's own text, or its captured call sites formatted as V8 would), plus the
// stack's frames parsed back into {function, file, line, column} for triage. Non-Error values
// (a thrown string or object) keep their type and a preview as the message.
import { previewValue } from '../../v8/heap/preview.js';
import type { Tagged } from '../../v8/heap/tagged.js';
import { objectKind } from '../../v8/objects/object-class.js';
import { hex } from '../../util/hex.js';
import { errorStackOf } from '../inspect/error-stack.js';
import type { Session } from '../session.js';
import { constructorOf, stringOf } from './js-object.js';

/** Role: one frame of a stack text. */
export interface StackLine {
  readonly function: string;
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

/** Role: an error as `info`, `why`, `promises` and `triage` show it. */
export interface ErrorInfo {
  readonly constructor: string;
  readonly message: string;
  /** V8's stack text: the header line, then `    at …` lines. */
  readonly stack?: string;
  readonly frames: readonly StackLine[];
  /** Address of the thrown object (absent for Smis). */
  readonly address?: string;
}

/** Parses the `    at …` lines of a V8 stack text (the header and other lines are skipped). */
export function parseStackLines(stack: string): StackLine[] {
  const out: StackLine[] = [];
  for (const raw of stack.split('\n')) {
    const m = /^\s*at (?:(.*?) \((.*?)(?::(\d+):(\d+))?\)|(.*?)(?::(\d+):(\d+))?)$/.exec(raw);
    if (m === null) continue;
    if (m[2] !== undefined) out.push({ function: m[1] ?? '', file: m[2], ...(m[3] !== undefined ? { line: Number(m[3]), column: Number(m[4]) } : {}) });
    else out.push({ function: '', file: m[5] ?? '', ...(m[6] !== undefined ? { line: Number(m[6]), column: Number(m[7]) } : {}) });
  }
  return out;
}

/** Describes a thrown value or rejection reason. */
export function errorInfo(session: Session, t: Tagged | undefined): ErrorInfo {
  const heap = session.heap();
  const o = heap.objectOf(t);
  if (o === undefined || !heap.isJSReceiver(o.type)) {
    const p = previewValue(heap, t);
    const text = stringOf(heap, t);
    return { constructor: p.type, message: text ?? p.preview, frames: [], ...(o !== undefined ? { address: hex(o.address) } : {}) };
  }
  const constructor = constructorOf(heap, o);
  if (objectKind(heap, o) !== 'error') return { constructor, message: previewValue(heap, t).preview, frames: [], address: hex(o.address) };
  const ctx = session.frameContext();
  const e = errorStackOf(ctx, o, (m) => {
    const text = stringOf(heap, m);
    return text === undefined || text === '' ? constructor : `${constructor}: ${text}`;
  });
  const message = stringOf(heap, e.message) ?? '';
  return { constructor, message, ...(e.stack !== undefined ? { stack: e.stack } : {}), frames: e.stack !== undefined ? parseStackLines(e.stack) : [], address: hex(o.address) };
}
