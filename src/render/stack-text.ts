// Text rendering of StackResult in the manner of mdb_v8's ::jsstack: one line per frame,
// innermost first, internal frames elided with a count unless -a, repeated frames folded.
import type { StackFrame, StackResult, ThreadStack, StackValue } from '../analysis/stack-model.js';
import { padEnd, type Style } from './style.js';

/** Options of the stack text renderer. */
export interface StackTextOptions {
  /** Per-frame detail: file, lines, this and arguments. */
  readonly verbose: boolean;
  /** Show internal frames and each frame's fp and pc. */
  readonly all: boolean;
}

const SIGNALS: Record<number, string> = { 4: 'SIGILL', 5: 'SIGTRAP', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE', 9: 'SIGKILL', 11: 'SIGSEGV', 15: 'SIGTERM', 19: 'SIGSTOP' };

/** Renders every thread's stack. */
export function renderStack(result: StackResult, style: Style, opts: StackTextOptions): string {
  return result.threads.map((t) => renderThread(t, style, opts)).join('\n');
}

function frameLabel(f: StackFrame): string {
  if (f.kind === 'js') {
    const name = f.function || f.inferredName || f.callName || '(anonymous)';
    return f.inferredName && f.function && f.inferredName !== f.function && !f.inferredName.endsWith(f.function) ? `${name} (${f.inferredName})` : f.inferredName && !f.function ? f.inferredName : name;
  }
  if (f.kind === 'internal') return `<${f.frameType ?? 'internal'}>`;
  if (f.symbol) return `${f.symbol}${f.offset ? `+0x${f.offset.toString(16)}` : ''}`;
  return f.module ? `${f.pc} in ${f.module.split('/').pop()}` : f.pc;
}

function frameKey(f: StackFrame): string {
  return `${f.kind}|${frameLabel(f)}|${f.script ?? ''}|${f.line ?? ''}|${f.symbol ?? ''}`;
}

function location(f: StackFrame): string {
  if (f.kind !== 'js' || !f.script) return '';
  const loc = `${f.script}${f.line !== undefined ? `:${f.line}${f.column !== undefined ? `:${f.column}` : ''}` : ''}`;
  return f.currentLine !== undefined && f.currentLine !== f.line ? `${loc}   (line ${f.currentLine} now)` : loc;
}

function renderThread(t: ThreadStack, style: Style, opts: StackTextOptions): string {
  const sig = t.signal ? `  ${style.red(SIGNALS[t.signal] ?? `signal ${t.signal}`)}` : '';
  return [style.bold(`thread ${t.tid} (${t.name})`) + sig, ...frameLines(t, style, opts)].join('\n') + '\n';
}

/** Renders one stack's frame lines (no thread header), as `stack` prints them; `stacks` reuses it. */
export function frameLines(t: Pick<ThreadStack, 'frames' | 'stopped'>, style: Style, opts: StackTextOptions): string[] {
  const lines: string[] = [];
  const shown: StackFrame[] = [];
  const indexOf = new Map<StackFrame, number>(t.frames.map((f, i) => [f, i]));
  let elided = new Map<string, number>();
  const flushElided = (): void => {
    if (elided.size === 0) return;
    const n = [...elided.values()].reduce((a, b) => a + b, 0);
    const kinds = [...elided.keys()].join(', ');
    shown.push({ kind: 'internal', frameType: `${n} internal frame${n > 1 ? 's' : ''} elided: ${kinds}; -a shows them`, pc: '' });
    elided = new Map();
  };
  for (const f of t.frames) {
    if (f.kind === 'internal' && !opts.all) {
      const k = f.frameType ?? 'internal';
      elided.set(k, (elided.get(k) ?? 0) + 1);
      continue;
    }
    flushElided();
    shown.push(f);
  }
  flushElided();
  const folded = foldRepeats(shown);
  const numWidth = String(t.frames.length).length + 1;
  const labelWidth = Math.min(48, Math.max(8, ...folded.map((x) => ('frame' in x ? frameLabel(x.frame).length : 0)))) + 2;
  for (const item of folded) {
    if (!('frame' in item)) {
      lines.push(style.dim(`  ${' '.repeat(numWidth)} … ${item.count} more frames repeating the ${item.period} above (recursion) …`));
      continue;
    }
    const f = item.frame;
    if (f.kind === 'internal' && f.pc === '') {
      lines.push(style.dim(`  ${' '.repeat(numWidth)} <${f.frameType}>`));
      continue;
    }
    const tag = f.kind === 'js' ? style.green('js:    ') : f.kind === 'native' ? style.blue('native:') : style.dim('intern:');
    const label = f.kind === 'js' ? style.bold(frameLabel(f)) : f.kind === 'internal' ? style.dim(frameLabel(f)) : frameLabel(f);
    const regs = opts.all ? style.dim(`  fp=${f.fp ?? '?'} pc=${f.pc}`) : '';
    const unk = f.unknown ? style.yellow(`  <unknown frame: ${f.unknown}>`) : '';
    const num = style.dim(`#${indexOf.get(f) ?? '?'}`.padEnd(numWidth));
    lines.push(`  ${num} ${tag} ${padEnd(label, labelWidth)}${style.dim(location(f))}${unk}${regs}`.trimEnd());
    if (opts.verbose && f.kind === 'js') lines.push(...verboseLines(f, style));
  }
  if (t.stopped) lines.push(style.yellow(`  (walk stopped: ${t.stopped})`));
  return lines;
}

function value(v: StackValue): string {
  return `${v.address ? v.address + ' ' : ''}(${v.type}) ${v.preview}`.replace(/\s+$/, '');
}

function verboseLines(f: StackFrame, style: Style): string[] {
  const pad = '              ';
  const out: string[] = [];
  if (f.script) out.push(`${pad}${style.dim('defined at')} ${f.script}:${f.line ?? '?'}:${f.column ?? '?'}${f.frameType ? style.dim(`  [${f.frameType}]`) : ''}`);
  if (f.functionAddress) out.push(`${pad}${style.dim('func:')} ${f.functionAddress}`);
  if (f.this) out.push(`${pad}${style.dim('this:')} ${value(f.this)}`);
  (f.args ?? []).forEach((a, i) => out.push(`${pad}${style.dim(`arg${i + 1}:`)} ${value(a)}`));
  if (f.args && f.args.length === 0) out.push(`${pad}${style.dim('(no arguments)')}`);
  return out;
}

type Folded = { frame: StackFrame } | { count: number; period: string };

/** Folds runs where a block of 1–4 frames repeats (deep recursion) into one marker line. */
export function foldRepeats(frames: readonly StackFrame[]): Folded[] {
  const keys = frames.map(frameKey);
  const out: Folded[] = [];
  let i = 0;
  while (i < frames.length) {
    let folded = false;
    for (let p = 1; p <= 4 && !folded; p++) {
      let reps = 1;
      while (i + (reps + 1) * p <= frames.length && sameBlock(keys, i, i + reps * p, p)) reps++;
      if (reps >= 4) {
        for (let k = 0; k < p * 2; k++) out.push({ frame: frames[i + k]! });
        out.push({ count: (reps - 2) * p, period: p === 1 ? 'frame' : `${p} frames` });
        i += reps * p;
        folded = true;
      }
    }
    if (!folded) out.push({ frame: frames[i++]! });
  }
  return out;
}

function sameBlock(keys: readonly string[], a: number, b: number, p: number): boolean {
  for (let k = 0; k < p; k++) if (keys[a + k] !== keys[b + k]) return false;
  return true;
}
