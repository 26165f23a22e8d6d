// Native leaks by conservative mark, as MDB's ::findleaks: roots are every aligned word of the
// target's writable memory outside the malloc heap (every module's data and bss, the V8 heap with
// its backing-store and external-string pointers, other anonymous memory), each thread's stack
// from its stack pointer up, and every thread's registers. Marking runs transitively through
// allocated chunks (a word anywhere inside a chunk's user memory marks it); allocated chunks left
// unmarked are leaks. Conservative: a word that merely looks like a pointer keeps a block alive.
import { findMapping } from '../../target/address-space.js';
import { MALLOC_CHUNK as C } from '../../native/glibc/malloc-facts.js';
import type { MallocHeapModel } from '../../native/glibc/malloc-heap-model.js';
import { WordScanner } from '../../native/glibc/word-scan.js';
import { describeGlibc } from '../../native/glibc/glibc-libc.js';
import { hex } from '../../util/hex.js';
import type { Session } from '../session.js';
import type { Target } from '../../target/target.js';

/** Role: one group of leaked blocks of one size. */
export interface LeakGroup {
  /** Usable bytes of each block (malloc_usable_size). */
  readonly size: number;
  readonly count: number;
  readonly bytes: number;
  /** The first block's first bytes: text when printable, else hex. */
  readonly preview: string;
  /** User addresses (what malloc returned) of the first few blocks. */
  readonly examples: readonly string[];
}

/** Role: one leaked block (--verbose). */
export interface LeakBlock {
  readonly address: string;
  readonly size: number;
  readonly preview: string;
}

/** Role: the result of `leaks`. */
export interface LeaksResult {
  readonly method: string;
  readonly glibc: string;
  readonly leaks: readonly LeakGroup[];
  /** Allocated chunks examined and their bytes. */
  readonly scanned: { readonly chunks: number; readonly bytes: number; readonly rootBytes: number };
  /** Every leaked block, when asked for. */
  readonly blocks?: readonly LeakBlock[];
}

/** Role: options of the leak search. */
export interface LeakOptions {
  /** List every leaked block. */
  readonly verbose?: boolean;
  /** Examples kept per group. */
  readonly examples?: number;
}

/** Bytes below a thread's stack pointer that still count (the x86-64 ABI red zone). */
const RED_ZONE = 128;
const PREVIEW_BYTES = 48;

/** Role: marks the malloc heap from the roots; returns the mark bitmap (one bit per chunk) and the root bytes read. */
export function markChunks(target: Pick<Target, 'space' | 'threads'>, model: MallocHeapModel): { marked: Uint32Array; rootBytes: number; from: Float64Array } {
  const space = target.space;
  const marked = new Uint32Array((model.count >>> 5) + 1);
  // Where the word that first marked each chunk lies (−1: a register).
  const from = new Float64Array(model.count);
  const regions = model.regions;
  const lo = regions.length > 0 ? regions[0]!.start : 0;
  const hi = regions.reduce((m, r) => Math.max(m, r.end), 0);
  let work = new Int32Array(1024);
  let top = 0;
  const visit = (v: number, at: number): void => {
    const i = model.chunkAt(v);
    if (i < 0 || !model.allocated(i) || (marked[i >>> 5]! & (1 << (i & 31))) !== 0) return;
    marked[i >>> 5]! |= 1 << (i & 31);
    from[i] = at;
    if (top === work.length) {
      const w = new Int32Array(work.length * 2);
      w.set(work);
      work = w;
    }
    work[top++] = i;
  };
  const scanner = new WordScanner(space, lo, hi);
  const stacks = new Map<number, number>();
  for (const t of target.threads) {
    const m = findMapping(space.mappings(), t.regs.rsp);
    if (m !== undefined) stacks.set(m.start, Math.min(stacks.get(m.start) ?? Infinity, t.regs.rsp - RED_ZONE));
    for (const v of Object.values(t.regs.all)) {
      const n = Number(v);
      if (n >= lo && n < hi) visit(n, -1);
    }
  }
  // Every writable byte outside the malloc heap's regions (a mapping may hold both: the kernel
  // merges adjacent anonymous mappings), stacks from their thread's sp.
  for (const m of space.mappings()) {
    if (!m.writable) continue;
    let from = Math.max(m.start, stacks.get(m.start) ?? m.start);
    for (const r of regions) {
      if (r.end <= from || r.start >= m.end) continue;
      if (r.start > from) scanner.scan(from, r.start, visit);
      from = Math.max(from, r.end);
    }
    if (from < m.end) scanner.scan(from, m.end, visit);
  }
  const rootBytes = scanner.scanned;
  while (top > 0) {
    const i = work[--top]!;
    const s = model.start[i]!;
    scanner.scan(s + C.userOffset, s + model.size[i]!, visit);
  }
  return { marked, rootBytes, from };
}

/** Role: the leak search over the session's malloc heap. */
export function findLeaks(session: Session, opts: LeakOptions = {}): LeaksResult {
  const model = session.mallocHeap();
  const { marked, rootBytes } = markChunks(session.target, model);
  const space = session.target.space;
  const groups = new Map<number, { count: number; first: number; examples: number[] }>();
  const blocks: LeakBlock[] = [];
  let chunks = 0;
  let bytes = 0;
  const keep = opts.examples ?? 5;
  for (let i = 0; i < model.count; i++) {
    if (!model.allocated(i)) continue;
    chunks++;
    bytes += model.size[i]!;
    if ((marked[i >>> 5]! & (1 << (i & 31))) !== 0) continue;
    const size = model.usable(i);
    const user = model.start[i]! + C.userOffset;
    let g = groups.get(size);
    if (g === undefined) groups.set(size, (g = { count: 0, first: user, examples: [] }));
    g.count++;
    if (g.examples.length < keep) g.examples.push(user);
    if (opts.verbose) blocks.push({ address: hex(user), size, preview: preview(space.tryRead(user, Math.min(PREVIEW_BYTES, size))) });
  }
  const leaks = [...groups.entries()]
    .map(([size, g]): LeakGroup => ({ size, count: g.count, bytes: size * g.count, preview: preview(space.tryRead(g.first, Math.min(PREVIEW_BYTES, size))), examples: g.examples.map(hex) }))
    .sort((a, b) => b.bytes - a.bytes || a.size - b.size);
  const glibc = session.glibc();
  return {
    method: 'conservative mark (::findleaks): roots are writable memory outside the malloc heap, thread stacks from sp, registers; any word inside a block keeps it',
    glibc: describeGlibc(glibc),
    leaks,
    scanned: { chunks, bytes, rootBytes },
    ...(opts.verbose ? { blocks } : {}),
  };
}

/** Role: a block's first bytes as text (printable, up to its first NUL) or as hex. */
export function preview(b: Buffer | undefined): string {
  if (b === undefined) return '(unreadable)';
  const nul = b.indexOf(0);
  const text = b.subarray(0, nul < 0 ? b.length : nul);
  let printable = 0;
  for (const c of text) if ((c >= 0x20 && c < 0x7f) || c === 9 || c === 10) printable++;
  if (text.length >= 4 && printable === text.length) return JSON.stringify(text.toString('latin1'));
  return b.subarray(0, 16).toString('hex').replace(/(..)(?=.)/g, '$1 ');
}
