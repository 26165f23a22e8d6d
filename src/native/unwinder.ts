// Native stack walk of one thread on x86-64: the CFI row of the pc's module when there is one,
// else the frame-pointer rule (V8 keeps rbp chains through JIT code and embedded builtins, which
// have no CFI). Target memory may be garbage: every failure ends the walk with a reason, never
// an exception. Registers use DWARF numbering (System V x86-64 psABI, figure 3.36).
import { findMapping } from '../target/address-space.js';
import type { Target, Thread } from '../target/target.js';
import type { CfiRow, RegisterRule } from '../dwarf/cfi-row.js';
import { evaluateExpression, type ExpressionContext } from '../dwarf/expression.js';
import { isNodescopeError } from '../util/errors.js';
import type { NativeSymbol, Symbolizer } from './symbolizer.js';

/** DWARF register numbers of x86-64 (psABI figure 3.36). */
export const DWARF_X86_64 = { rax: 0, rdx: 1, rcx: 2, rbx: 3, rsi: 4, rdi: 5, rbp: 6, rsp: 7, r8: 8, r9: 9, r10: 10, r11: 11, r12: 12, r13: 13, r14: 14, r15: 15, rip: 16 } as const;

const USER_REG_BY_DWARF = ['rax', 'rdx', 'rcx', 'rbx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'rip'];
const RSP = 7;
const RBP = 6;
const RIP = 16;
const NREGS = 17;
/** Callee-saved registers keep their value across calls when the CFI says nothing (psABI 3.2.1). */
const CALLEE_SAVED = new Set([3, 6, 12, 13, 14, 15]);
const MASK64 = (1n << 64n) - 1n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** How a frame was found: the thread's registers, a CFI row of its callee, or its callee's rbp chain. */
export type UnwindMethod = 'initial' | 'cfi' | 'fp';

/** Role: one native frame, innermost first. */
export interface NativeFrame {
  readonly pc: number;
  readonly sp: number;
  /** rbp in this frame, when known. */
  readonly fp: number | undefined;
  /** Canonical frame address of this frame (its caller's sp at the call), when it was computed. */
  cfa: number | undefined;
  readonly method: UnwindMethod;
  /** Path of the module holding pc, when any (absent for JIT code). */
  readonly module?: string;
  readonly symbol?: NativeSymbol;
  /** The pc used for symbol and CFI lookups (pc − 1 for return addresses). */
  readonly lookupPc: number;
}

/** Why a walk ended. */
export type UnwindStop =
  | 'end-of-stack' // the CFI marks the return address undefined, or the pc/fp is 0
  | 'max-frames'
  | 'sp-not-increasing'
  | 'unreadable-memory'
  | 'pc-not-executable'
  | 'no-rule'; // no CFI and no usable frame pointer

/** Role: the native stack of one thread. */
export interface NativeStack {
  readonly tid: number;
  readonly frames: NativeFrame[];
  readonly stop: UnwindStop;
  /** Detail for the stop (the failing address, the CFI error). */
  readonly stopDetail?: string;
}

/** Options of unwindThread. */
export interface UnwindOptions {
  readonly symbolizer: Symbolizer;
  /** Frame limit (default 20,000: deep JS recursion makes long native stacks). */
  readonly maxFrames?: number;
  /** Attach symbols to frames (default true). */
  readonly symbolize?: boolean;
}

type Regs = (bigint | undefined)[];

/** Role: walks the native stack of `thread`, innermost frame first. Never throws for bad memory. */
export function unwindThread(target: Pick<Target, 'space'>, thread: Thread, opts: UnwindOptions): NativeStack {
  const maxFrames = opts.maxFrames ?? 20_000;
  const symbolize = opts.symbolize ?? true;
  const space = target.space;
  const frames: NativeFrame[] = [];
  let regs = initialRegisters(thread);
  let method: UnwindMethod = 'initial';
  let exactPc = true;

  const readU64 = (address: bigint): bigint | undefined => {
    if (address < 0n || address > MAX_SAFE) return undefined;
    const b = space.tryRead(Number(address), 8);
    return b === undefined ? undefined : b.readBigUInt64LE(0);
  };
  const finish = (stop: UnwindStop, stopDetail?: string): NativeStack => ({ tid: thread.tid, frames, stop, ...(stopDetail ? { stopDetail } : {}) });

  for (;;) {
    const pcBig = regs[RIP];
    const spBig = regs[RSP];
    if (pcBig === undefined || pcBig === 0n) return finish('end-of-stack');
    if (spBig === undefined || pcBig > MAX_SAFE || spBig > MAX_SAFE) return finish('unreadable-memory', 'pc or sp is not a user address');
    const pc = Number(pcBig);
    const sp = Number(spBig);
    const fpBig = regs[RBP];
    const lookupPc = exactPc ? pc : pc - 1;
    const where = opts.symbolizer.resolve(lookupPc);
    const img = where?.image;
    if (method !== 'initial' && !(img?.isExecutable(where!.vaddr) ?? isExecutable(target, pc))) return finish('pc-not-executable', `0x${pc.toString(16)}`);
    const symbol = symbolize ? opts.symbolizer.symbolize(pc, lookupPc) : undefined;
    const frame: NativeFrame = {
      pc,
      sp,
      fp: fpBig !== undefined && fpBig <= MAX_SAFE ? Number(fpBig) : undefined,
      cfa: undefined,
      method,
      lookupPc,
      ...(img ? { module: img.module.path } : {}),
      ...(symbol ? { symbol } : {}),
    };
    frames.push(frame);
    if (frames.length >= maxFrames) return finish('max-frames');

    // 1. CFI of the module holding the pc.
    let row: CfiRow | undefined;
    let cfiError: string | undefined;
    if (where !== undefined) {
      try {
        row = where.image.cfi()?.rowAt(where.vaddr);
      } catch (e) {
        if (!isNodescopeError(e)) throw e;
        cfiError = e.message;
      }
    }
    let next: { regs: Regs; cfa: number; signal: boolean } | undefined;
    if (row !== undefined) {
      const r = applyRow(row, regs, readU64);
      if (r === 'end') return finish('end-of-stack');
      if (typeof r === 'string') cfiError = r;
      else next = r;
    }
    // 2. Frame-pointer rule: [rbp] = caller's rbp, [rbp+8] = return address, caller's sp = rbp+16.
    let nextMethod: UnwindMethod = 'cfi';
    if (next === undefined) {
      const fp = regs[RBP];
      if (fp === undefined || fp === 0n) return finish(cfiError ? 'no-rule' : 'end-of-stack', cfiError);
      if (fp % 8n !== 0n || fp < spBig) return finish('no-rule', cfiError ?? `frame pointer 0x${fp.toString(16)} is not above sp`);
      const savedFp = readU64(fp);
      const ra = readU64(fp + 8n);
      if (savedFp === undefined || ra === undefined) return finish('unreadable-memory', `frame at 0x${fp.toString(16)}`);
      const caller: Regs = new Array(NREGS).fill(undefined);
      caller[RBP] = savedFp;
      caller[RSP] = fp + 16n;
      caller[RIP] = ra;
      next = { regs: caller, cfa: Number(fp + 16n), signal: false };
      nextMethod = 'fp';
    }
    frame.cfa = next.cfa;
    const nextSp = next.regs[RSP];
    if (nextSp === undefined || nextSp <= spBig) {
      // A signal frame may legitimately return to a lower sp (sigaltstack); anything else is a loop.
      if (!(next.signal && nextSp !== undefined)) return finish('sp-not-increasing', `sp 0x${spBig.toString(16)} → ${nextSp === undefined ? 'unknown' : '0x' + nextSp.toString(16)}`);
    }
    regs = next.regs;
    method = nextMethod;
    exactPc = next.signal;
  }
}

/** The thread's registers by DWARF number. */
function initialRegisters(thread: Thread): Regs {
  const regs: Regs = new Array(NREGS).fill(undefined);
  USER_REG_BY_DWARF.forEach((name, i) => {
    regs[i] = thread.regs.all[name];
  });
  regs[RIP] = BigInt(thread.regs.rip);
  regs[RSP] = BigInt(thread.regs.rsp);
  regs[RBP] = BigInt(thread.regs.rbp);
  return regs;
}

/** Applies a CFI row: the caller's registers and this frame's CFA, 'end' for an undefined RA, or why it failed. */
function applyRow(row: CfiRow, regs: Regs, readU64: (a: bigint) => bigint | undefined): { regs: Regs; cfa: number; signal: boolean } | 'end' | string {
  const ctx: ExpressionContext = {
    register: (r) => (r < NREGS ? regs[r] : undefined),
    memory: (a, size) => {
      const v = readU64(a);
      return v === undefined ? undefined : size >= 8 ? v : v & ((1n << BigInt(size * 8)) - 1n);
    },
  };
  let cfa: bigint;
  try {
    if (row.cfa.kind === 'register') {
      const base = row.cfa.register < NREGS ? regs[row.cfa.register] : undefined;
      if (base === undefined) return `CFA register ${row.cfa.register} is unknown`;
      cfa = (base + BigInt(row.cfa.offset)) & MASK64;
    } else {
      cfa = evaluateExpression(row.cfa.expression, ctx);
    }
  } catch (e) {
    if (!isNodescopeError(e)) throw e;
    return e.message;
  }
  if (cfa > MAX_SAFE) return `CFA 0x${cfa.toString(16)} is not a user address`;
  const raRule = row.registers.get(row.raRegister);
  if (raRule === undefined || raRule.kind === 'undefined') return 'end';
  const caller: Regs = new Array(NREGS).fill(undefined);
  for (let r = 0; r < NREGS; r++) {
    const rule: RegisterRule | undefined = r === RIP ? raRule : row.registers.get(r);
    if (rule === undefined) {
      if (CALLEE_SAVED.has(r)) caller[r] = regs[r];
      continue;
    }
    const v = applyRule(rule, r, cfa, regs, ctx, readU64);
    if (typeof v === 'string') {
      if (r === RIP || r === RSP) return v;
      continue; // An unrecoverable callee-saved register only matters if a later frame needs it.
    }
    caller[r] = v;
  }
  if (row.registers.get(RSP) === undefined) caller[RSP] = cfa;
  return { regs: caller, cfa: Number(cfa), signal: row.isSignalFrame };
}

function applyRule(rule: RegisterRule, r: number, cfa: bigint, regs: Regs, ctx: ExpressionContext, readU64: (a: bigint) => bigint | undefined): bigint | undefined | string {
  try {
    switch (rule.kind) {
      case 'undefined':
        return undefined;
      case 'same-value':
        return regs[r];
      case 'offset': {
        const a = (cfa + BigInt(rule.offset)) & MASK64;
        const v = readU64(a);
        return v === undefined ? `cannot read register ${r} at 0x${a.toString(16)}` : v;
      }
      case 'val-offset':
        return (cfa + BigInt(rule.offset)) & MASK64;
      case 'register':
        return rule.register < NREGS ? regs[rule.register] : undefined;
      case 'expression': {
        const a = evaluateExpression(rule.expression, ctx, [cfa]);
        const v = readU64(a);
        return v === undefined ? `cannot read register ${r} at 0x${a.toString(16)}` : v;
      }
      case 'val-expression':
        return evaluateExpression(rule.expression, ctx, [cfa]);
    }
  } catch (e) {
    if (!isNodescopeError(e)) throw e;
    return e.message;
  }
}

/**
 * Whether pc may be code: in an executable mapping (JIT pages included), or readable memory
 * outside every listed mapping (a core's file-backed text can be absent from its PT_LOADs and
 * still readable from the file). A pc in a listed non-executable mapping, or unreadable, is not.
 */
function isExecutable(target: Pick<Target, 'space'>, pc: number): boolean {
  const m = findMapping(target.space.mappings(), pc);
  return m !== undefined ? m.executable : target.space.isMapped(pc, 1);
}
