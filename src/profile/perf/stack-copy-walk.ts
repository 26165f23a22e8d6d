// Walks the frame-pointer chain inside a user stack copied at sample time (perf's
// sample_regs_user + sample_stack_user), so every frame comes with its fp and the words of its
// V8 fixed frame as they were then. The chain stops where the copy ends: copies are bounded.
// x86-64 only; register numbers from arch/x86/include/uapi/asm/perf_regs.h.

/** Role: perf_regs.h indices of the x86-64 registers the walk needs. */
export const PERF_REG_X86 = { BP: 6, SP: 7, IP: 8 } as const;

/** Role: one frame of a walk: code address, frame pointer, and V8 fixed-frame slots if copied. */
export interface CopiedFrame {
  readonly ip: number;
  readonly fp: number;
  /** fp − 16: the JSFunction slot of JS frames (V8 src/execution/frame-constants.h). */
  readonly functionSlot?: bigint;
  /** fp − 24: the bytecode array slot of interpreted frames (V8 src/execution/frame-constants.h, InterpreterFrameConstants). */
  readonly bytecodeSlot?: bigint;
}

const MAX_FRAMES = 1024;

/** Role: the frames of one walk, leaf first, and whether the copy ended before the chain did. */
export interface CopiedWalk {
  readonly frames: CopiedFrame[];
  /** The next saved fp/return address lay beyond a copy that was full (stack_user size reached). */
  readonly cut: boolean;
}

/** Role: walks the rbp chain through `stack` (copied from `regs` SP up); leaf first. */
export function walkCopiedStack(regs: ReadonlyMap<number, bigint>, stack: Buffer): CopiedFrame[] {
  return walkCopiedStackEnd(regs, stack, false).frames;
}

/**
 * Role: walks like walkCopiedStack and says whether the walk was cut by the copy's size limit;
 * `copyWasFull` is whether the kernel filled the whole requested copy (a shorter copy reached
 * the top of the stack, so nothing lay beyond it).
 */
export function walkCopiedStackEnd(regs: ReadonlyMap<number, bigint>, stack: Buffer, copyWasFull: boolean): CopiedWalk {
  const ip0 = regs.get(PERF_REG_X86.IP), bp0 = regs.get(PERF_REG_X86.BP), sp0 = regs.get(PERF_REG_X86.SP);
  if (ip0 === undefined || bp0 === undefined || sp0 === undefined) return { frames: [], cut: false };
  const max = BigInt(Number.MAX_SAFE_INTEGER);
  if (ip0 > max || sp0 > max) return { frames: [], cut: false };
  const sp = Number(sp0);
  const end = sp + stack.length;
  const word = (addr: number): bigint | undefined => (addr >= sp && addr + 8 <= end ? stack.readBigUInt64LE(addr - sp) : undefined);
  const out: CopiedFrame[] = [];
  let ip = Number(ip0);
  let fp = bp0 <= max ? Number(bp0) : 0;
  let cut = false;
  for (let i = 0; i < MAX_FRAMES; i++) {
    const fn = word(fp - 16), bc = word(fp - 24);
    out.push({ ip, fp, ...(fn !== undefined ? { functionSlot: fn } : {}), ...(bc !== undefined ? { bytecodeSlot: bc } : {}) });
    if (fp % 8 !== 0) break;
    const saved = word(fp), ret = word(fp + 8);
    if (saved === undefined || ret === undefined) {
      // A frame pointer just past the copy (within a few MiB, as a real stack frame would be).
      cut = copyWasFull && fp >= sp && fp + 16 > end && fp < end + 8 * 1024 * 1024;
      break;
    }
    if (ret === 0n || saved > max || ret > max) break;
    const next = Number(saved);
    // The caller's frame lies above ours; anything else is a broken or foreign chain.
    if (next <= fp) break;
    ip = Number(ret);
    fp = next;
  }
  return { frames: out, cut };
}
