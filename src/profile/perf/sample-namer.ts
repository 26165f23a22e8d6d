// Names the frames of kernel-mode samples with the machinery the core reader uses: the
// Session's Symbolizer for native code, the unwinder (CFI, then frame pointers) over the user
// stack perf copied at sample time, and v8/frames for JS frames, whose function slot is read at
// the layout's offsets. Kernel frames get /proc/kallsyms names. Frames nobody can name are
// labelled [JIT] / [interpreted], never dropped.
import type { AddressSpace } from '../../target/address-space.js';
import { StackCopySpace } from '../../target/stack-copy-space.js';
import type { Thread } from '../../target/target.js';
import type { Symbolizer } from '../../native/symbolizer.js';
import { unwindThread, type NativeFrame } from '../../native/unwinder.js';
import { isInterpreterBuiltin, type BuiltinRanges } from '../../v8/frames/builtin-ranges.js';
import { v8FrameHead } from '../../v8/frames/v8-frame.js';
import { describeShared, sharedOf, type FunctionInfo } from '../../v8/heap/function-info.js';
import { scriptLineColumn } from '../../v8/heap/script.js';
import { V8Heap, type HeapObject } from '../../v8/heap/v8-heap.js';
import type { V8Layout } from '../../v8/layout/v8-layout.js';
import { classifyFrameName } from '../classify-frame.js';
import { ProfileBuilder, type Frame, type Profile, type ProfileMeta } from '../profile-model.js';
import { unresolvedJsFrame, type JsFrameResolver } from './js-frame-resolver.js';
import type { KallsymsIndex } from '../../native/kallsyms.js';
import type { PerfData, PerfSample } from './perf-data.js';

/** Role: what a target's Session lends kernel mode to name frames (built once, before sampling). */
export interface ProcessNaming {
  readonly symbolizer: Symbolizer;
  /** The process's live memory (the Session's LiveTarget space). */
  readonly space: AddressSpace;
  /** The embedded builtins; absent when the binary carries no V8 metadata. */
  readonly builtins?: BuiltinRanges;
  /** The V8 layout, to name JS frames from the live heap; absent without V8 metadata. */
  readonly layout?: V8Layout;
}

/** Role: everything SampleNamer reads: the process's services, kernel symbols and JS fallbacks. */
export interface SampleNamerOptions extends ProcessNaming {
  readonly pid: number;
  readonly kallsyms?: KallsymsIndex;
  /** Tried for JS frames the heap cannot name (the target's perf map). */
  readonly resolvers?: readonly JsFrameResolver[];
}

/** Role: the root frame of a stack whose copy ended before its frame chain (--stack-copy too small). */
export const TRUNCATED: Frame = { name: '[truncated stack]', kind: 'other' };

/** perf_regs.h (x86-64) index (PERF_REG_X86) → user_regs_struct name, for the unwinder's Thread. */
const PERF_REG_NAMES = ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp', 'rip', 'eflags', 'cs', 'ss', 'ds', 'es', 'fs', 'gs', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
/** Most frames walked per sample. */
const MAX_FRAMES = 1024;
/** Most JSFunction addresses remembered. */
const MAX_CACHED = 65536;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A profile frame as V8's CPU profiler spells it, so that kernel and inspector profiles agree:
 * the position of the function token (CodeEntry line/column), not the `(` of the definition.
 */
function jsFrameOf(heap: V8Heap, info: FunctionInfo): Frame {
  const name = info.name !== '' ? info.name : (info.inferredName ?? '');
  const f: { -readonly [K in keyof Frame]: Frame[K] } = { name, kind: 'js' };
  if (info.scriptName !== undefined && info.scriptName !== '') f.file = info.scriptName;
  const script = info.script !== undefined && info.functionTokenPosition !== undefined ? heap.object(info.script) : undefined;
  const token = script !== undefined ? scriptLineColumn(heap, script, info.functionTokenPosition!) : undefined;
  const line = token?.line ?? info.line;
  const column = token?.column ?? info.column;
  if (line !== undefined) f.line = line;
  if (column !== undefined) f.column = column;
  return f;
}

/** Role: turns the samples of one process into stacks of named frames, caching per address. */
export class SampleNamer {
  private readonly overlay: StackCopySpace;
  private readonly heap: V8Heap | undefined;
  private readonly nativeCache = new Map<number, Frame | 'v8'>();
  /** JSFunction address → its frame, its SharedFunctionInfo, and the batch it was checked in. */
  private readonly jsCache = new Map<number, { frame: Frame; shared: number; epoch: number }>();
  private epoch = 0;
  /** Frame counts; `cut`: samples whose stack copy ended before their frame chain did. */
  readonly stats = { samples: 0, js: 0, jsResolved: 0, native: 0, kernel: 0, cut: 0 };

  constructor(private readonly opts: SampleNamerOptions) {
    this.overlay = new StackCopySpace(opts.space);
    if (opts.layout !== undefined) this.heap = new V8Heap(this.overlay, opts.layout);
  }

  /**
   * Starts a batch of fresh samples (pipe mode: one read from perf): a JSFunction address seen
   * in an earlier batch is re-checked, since a GC may have put another function there.
   */
  beginBatch(): void {
    this.epoch++;
  }

  /** The frames of one sample, root first; `stackCopySize` is the copy size perf was asked for. */
  stackOf(s: PerfSample, stackCopySize = 0): Frame[] {
    this.stats.samples++;
    const leafFirst: Frame[] = [];
    let context: string = s.user ? 'user' : 'kernel';
    let firstUser = true;
    for (const e of s.callchain ?? []) {
      if (e.kind === 'context') {
        context = e.context;
        continue;
      }
      if (e.kind === 'kernel-ip' || context === 'kernel') {
        leafFirst.push(this.kernelFrame(typeof e.address === 'bigint' ? e.address : BigInt(e.address)));
        continue;
      }
      if (context !== 'user') continue;
      leafFirst.push(this.userFrame(e.address, firstUser ? e.address : e.address - 1, undefined));
      firstUser = false;
    }
    if (s.regsUser !== undefined && s.stackUser !== undefined) {
      this.walkCopy(s, stackCopySize, leafFirst);
    } else if ((s.callchain === undefined || s.callchain.length === 0) && s.ip !== undefined) {
      leafFirst.push(s.user && s.ip <= MAX_SAFE ? this.userFrame(Number(s.ip), Number(s.ip), undefined) : this.kernelFrame(s.ip));
    }
    return leafFirst.reverse();
  }

  /** Unwinds the copied user stack (CFI, then frame pointers) and names each frame. */
  private walkCopy(s: PerfSample, stackCopySize: number, out: Frame[]): void {
    const regs = s.regsUser!;
    const all: Record<string, bigint> = {};
    for (const [i, v] of regs) if (PERF_REG_NAMES[i] !== undefined) all[PERF_REG_NAMES[i]!] = v;
    const rip = all.rip, rsp = all.rsp, rbp = all.rbp ?? 0n;
    if (rip === undefined || rsp === undefined || rip > MAX_SAFE || rsp > MAX_SAFE) return;
    const sp = Number(rsp);
    const space = this.overlay;
    space.setStack(sp, s.stackUser!);
    const thread: Thread = { tid: s.tid ?? this.opts.pid, regs: { rip: Number(rip), rsp: sp, rbp: rbp <= MAX_SAFE ? Number(rbp) : 0, all } };
    const walk = unwindThread({ space }, thread, { symbolizer: this.opts.symbolizer, maxFrames: MAX_FRAMES, symbolize: false });
    for (const nf of walk.frames) out.push(this.userFrame(nf.pc, nf.lookupPc, nf));
    // A full copy whose chain runs on past its end was cut (a shorter copy reached the stack top).
    const last = walk.frames[walk.frames.length - 1];
    const copyWasFull = stackCopySize > 0 && s.stackUser!.length >= stackCopySize;
    if (copyWasFull && last?.fp !== undefined && walk.stop !== 'end-of-stack' && last.fp >= sp && last.fp + 16 > space.copyEnd && last.fp < space.copyEnd + 8 * 1024 * 1024) {
      this.stats.cut++;
      out.push(TRUNCATED);
    }
  }

  /** The frame of a user address; `lookupPc` is pc − 1 for return addresses; `nf` when walked here. */
  private userFrame(pc: number, lookupPc: number, nf: NativeFrame | undefined): Frame {
    let hit = this.nativeCache.get(lookupPc);
    if (hit === undefined) {
      hit = this.nativeFrame(pc, lookupPc);
      this.nativeCache.set(lookupPc, hit);
    }
    if (hit !== 'v8') {
      this.stats.native++;
      return hit;
    }
    this.stats.js++;
    const named = nf?.fp !== undefined ? this.v8Frame(nf.fp, pc) : undefined;
    if (named !== undefined) {
      this.stats.jsResolved++;
      return named;
    }
    const builtin = this.opts.builtins?.find(lookupPc);
    if (builtin !== undefined && !isInterpreterBuiltin(builtin)) {
      // A builtin running outside any JS frame of its own (a stub, an IC handler).
      this.stats.js--;
      this.stats.native++;
      return { name: `Builtins_${builtin}`, kind: 'builtin' };
    }
    const q = { pid: this.opts.pid, ip: pc, state: builtin !== undefined ? 'interpreted' : 'jit', ...(nf?.fp !== undefined ? { fp: nf.fp } : {}) } as const;
    for (const r of this.opts.resolvers ?? []) {
      const f = r.resolve(q);
      if (f !== undefined) {
        this.stats.jsResolved++;
        return f;
      }
    }
    return unresolvedJsFrame(q);
  }

  /** A native frame by its module's symbols, or 'v8' for V8 code (JIT memory, embedded builtins). */
  private nativeFrame(pc: number, lookupPc: number): Frame | 'v8' {
    if (this.opts.builtins?.find(lookupPc) !== undefined) return 'v8';
    const image = this.opts.symbolizer.moduleAt(lookupPc);
    if (image === undefined) return 'v8';
    const sym = this.opts.symbolizer.symbolize(pc, lookupPc);
    if (sym === undefined) {
      const path = image.module.path;
      return { name: `[${path.split('/').pop() ?? path}+0x${(lookupPc - image.module.start).toString(16)}]`, kind: 'native' };
    }
    const kind = sym.symbol.startsWith('Builtins_') ? 'builtin' : classifyFrameName(sym.demangled) === 'gc' ? 'gc' : 'native';
    return { name: sym.demangled, kind };
  }

  /** The JS function of the V8 frame at `fp` (typed frames and garbage give undefined). */
  private v8Frame(fp: number, pc: number): Frame | undefined {
    const heap = this.heap;
    if (heap === undefined) return undefined;
    const head = v8FrameHead({ heap, ...(this.opts.builtins ? { builtins: this.opts.builtins } : {}) }, fp, pc);
    if (head.kind !== 'js-function') return undefined;
    return this.functionFrame(heap, head.fn);
  }

  private functionFrame(heap: V8Heap, fn: HeapObject): Frame | undefined {
    const hit = this.jsCache.get(fn.address);
    if (hit !== undefined && hit.epoch === this.epoch) return hit.frame;
    const sfi = sharedOf(heap, fn);
    if (sfi === undefined) return undefined;
    if (hit !== undefined && hit.shared === sfi.address) {
      hit.epoch = this.epoch;
      return hit.frame;
    }
    // The heap caches descriptions by SharedFunctionInfo address, which a live GC may have
    // given to another SFI since: describe it afresh whenever this cache misses.
    heap.sharedInfos.delete(sfi.address);
    const frame = jsFrameOf(heap, describeShared(heap, sfi));
    if (this.jsCache.size >= MAX_CACHED) this.jsCache.clear();
    this.jsCache.set(fn.address, { frame, shared: sfi.address, epoch: this.epoch });
    return frame;
  }

  private kernelFrame(addr: bigint): Frame {
    this.stats.kernel++;
    const name = this.opts.kallsyms?.lookup(addr);
    return { name: name ?? `0x${addr.toString(16)}`, kind: 'kernel' };
  }
}

/** Role: builds a Profile from the samples of `opts.pid` in a parsed perf.data. */
export function profileFromPerfData(data: PerfData, opts: SampleNamerOptions, meta: Omit<ProfileMeta, 'mode'>): { profile: Profile; stats: SampleNamer['stats'] } {
  const namer = new SampleNamer(opts);
  const b = new ProfileBuilder();
  const first = data.samples.find((s) => s.time !== undefined)?.time;
  const copySize = data.attrs[0]?.sampleStackUser ?? 0;
  for (const s of data.samples) {
    if (s.pid !== undefined && s.pid !== opts.pid) continue;
    const stack = namer.stackOf(s, copySize);
    const t = s.time !== undefined && first !== undefined ? Number(s.time - first) / 1000 : undefined;
    b.addStack(stack, 1, t);
  }
  return { profile: b.build({ ...meta, mode: 'perf' }), stats: namer.stats };
}
