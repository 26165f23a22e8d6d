// Turns a parsed perf.data into our Profile: callchains (or, with stack copies, our own
// frame-pointer walk) become stacks root first; native frames get ELF symbols (demangled),
// kernel frames /proc/kallsyms names, and JS frames go through the JsFrameResolver chain.
import { Demangler } from '../../native/demangle.js';
import { classifyFrameName } from '../classify-frame.js';
import { ProfileBuilder, type Frame, type Profile, type ProfileMeta } from '../profile-model.js';
import { unresolvedJsFrame, type JsFrameResolver } from './js-frame-resolver.js';
import type { KallsymsIndex } from './native-symbols.js';
import { ElfSymbolIndex } from './native-symbols.js';
import type { PerfData, PerfMmap, PerfSample } from './perf-data.js';
import { walkCopiedStackEnd, type CopiedFrame } from './stack-copy-walk.js';

/** Role: inputs of symbolization besides the perf data itself. */
export interface SymbolizeOptions {
  readonly pid: number;
  readonly resolvers: readonly JsFrameResolver[];
  readonly kallsyms?: KallsymsIndex;
  /** Opens the symbol index of a mapped file (tests pass fakes); default reads the ELF file. */
  readonly openSymbols?: (path: string) => ElfSymbolIndex | undefined;
}

// Interpreter entry points of V8's embedded builtins: a return address inside one of these is
// an interpreted JS frame (V8 src/builtins/x64/builtins-x64.cc, Generate_InterpreterEntryTrampoline).
const INTERPRETER = /^Builtins_(InterpreterEntryTrampoline|InterpreterEnterAtBytecode|InterpreterEnterAtNextBytecode|InterpreterEnterBytecode)/;

/** Role: the root frame of a stack whose copy ended before its frame chain (--stack-copy too small). */
export const TRUNCATED: Frame = { name: '[truncated stack]', kind: 'other' };

/** Role: resolves the addresses of one process's samples to frames, caching per address. */
export class PerfSymbolizer {
  private readonly demangler = new Demangler();
  private readonly files = new Map<string, ElfSymbolIndex | undefined>();
  private readonly maps: PerfMmap[];
  private readonly nativeCache = new Map<number, Frame | 'jit'>();
  /** Frame counts; `cut`: samples whose stack copy ended before their frame chain did. */
  readonly stats = { samples: 0, js: 0, jsResolved: 0, native: 0, kernel: 0, cut: 0 };

  /** `mmaps`: the mappings known so far (more may follow through addMmap, in record order). */
  constructor(mmaps: readonly PerfMmap[], private readonly opts: SymbolizeOptions) {
    this.maps = mmaps.filter((m) => m.pid === opts.pid || m.kernel).sort((a, b) => b.order - a.order);
  }

  /** Adds a mapping recorded after the ones known so far (pipe mode: as it arrives). */
  addMmap(m: PerfMmap): void {
    if (m.pid !== this.opts.pid && !m.kernel) return;
    this.maps.unshift(m);
    // An address cached as anonymous JIT code may now lie in a file mapping.
    if (m.filename !== '' && !m.filename.startsWith('//anon') && !m.filename.startsWith('[anon')) {
      for (const ip of this.nativeCache.keys()) if (ip >= m.start && ip < m.start + m.length) this.nativeCache.delete(ip);
    }
  }

  /** Opens the symbols of `path` now (pipe mode: before sampling, so no sample waits on it). */
  preload(path: string): void {
    this.symbols(path);
  }

  /** Starts a new batch of samples: resolvers re-check cached heap addresses once per batch. */
  beginBatch(): void {
    for (const r of this.opts.resolvers) r.beginBatch?.();
  }

  private mappingOf(ip: number): PerfMmap | undefined {
    // Latest record wins: mappings are replaced over time.
    return this.maps.find((m) => ip >= m.start && ip < m.start + m.length);
  }

  private symbols(path: string): ElfSymbolIndex | undefined {
    if (!this.files.has(path)) this.files.set(path, (this.opts.openSymbols ?? ElfSymbolIndex.open)(path));
    return this.files.get(path);
  }

  /** The frame of a user address; `lookupIp` is ip − 1 for return addresses. */
  private userFrame(ip: number, lookupIp: number, copied?: CopiedFrame): Frame {
    let hit = this.nativeCache.get(lookupIp);
    if (hit === undefined) {
      const m = this.mappingOf(lookupIp);
      if (m === undefined || m.filename === '' || m.filename.startsWith('//anon') || m.filename.startsWith('[anon') || m.filename.startsWith('/memfd:') || m.filename.startsWith('/tmp/perf-')) {
        hit = 'jit';
      } else if (m.filename.startsWith('[')) {
        hit = { name: m.filename, kind: 'other' };
      } else {
        const idx = this.symbols(m.filename);
        const vaddr = idx?.offsetToVaddr(lookupIp - m.start + m.pgoff);
        const sym = vaddr !== undefined ? idx?.lookup(vaddr) : undefined;
        const base = m.filename.split('/').pop() ?? m.filename;
        if (sym === undefined) {
          hit = { name: `[${base}+0x${(lookupIp - m.start + m.pgoff).toString(16)}]`, kind: 'native' };
        } else {
          const name = this.demangler.demangle(sym);
          const kind = INTERPRETER.test(sym) ? 'js' : sym.startsWith('Builtins_') ? 'builtin' : classifyFrameName(name) === 'gc' ? 'gc' : 'native';
          hit = { name, kind };
        }
      }
      this.nativeCache.set(lookupIp, hit);
    }
    if (hit !== 'jit' && !(hit.kind === 'js' && INTERPRETER.test(hit.name))) { this.stats.native++; return hit; }
    const state = hit === 'jit' ? 'jit' : 'interpreted';
    this.stats.js++;
    const q = { pid: this.opts.pid, ip, state, ...(copied ? { fp: copied.fp } : {}), ...(copied?.functionSlot !== undefined ? { functionSlot: copied.functionSlot } : {}), ...(copied?.bytecodeSlot !== undefined ? { bytecodeSlot: copied.bytecodeSlot } : {}) } as const;
    for (const r of this.opts.resolvers) {
      const f = r.resolve(q);
      if (f !== undefined) { this.stats.jsResolved++; return f; }
    }
    return unresolvedJsFrame(q);
  }

  private kernelFrame(addr: bigint): Frame {
    this.stats.kernel++;
    const name = this.opts.kallsyms?.lookup(addr);
    return { name: name ?? `0x${addr.toString(16)}`, kind: 'kernel' };
  }

  /** The frames of one sample, root first. */
  stackOf(s: PerfSample, stackCopySize = 0): Frame[] {
    this.stats.samples++;
    const leafFirst: Frame[] = [];
    let context: string = s.user ? 'user' : 'kernel';
    let firstUser = true;
    for (const e of s.callchain ?? []) {
      if (e.kind === 'context') { context = e.context; continue; }
      if (e.kind === 'kernel-ip' || context === 'kernel') {
        leafFirst.push(this.kernelFrame(typeof e.address === 'bigint' ? e.address : BigInt(e.address)));
        continue;
      }
      if (context !== 'user') continue;
      leafFirst.push(this.userFrame(e.address, firstUser ? e.address : e.address - 1));
      firstUser = false;
    }
    if (s.regsUser !== undefined && s.stackUser !== undefined) {
      const walk = walkCopiedStackEnd(s.regsUser, s.stackUser, stackCopySize > 0 && s.stackUser.length >= stackCopySize);
      walk.frames.forEach((cf, i) => leafFirst.push(this.userFrame(cf.ip, i === 0 ? cf.ip : cf.ip - 1, cf)));
      if (walk.cut) {
        this.stats.cut++;
        leafFirst.push(TRUNCATED);
      }
    } else if ((s.callchain === undefined || s.callchain.length === 0) && s.ip !== undefined) {
      leafFirst.push(s.user && s.ip <= BigInt(Number.MAX_SAFE_INTEGER) ? this.userFrame(Number(s.ip), Number(s.ip)) : this.kernelFrame(s.ip));
    }
    return leafFirst.reverse();
  }
}

/** Role: builds a Profile from the samples of `opts.pid` in a parsed perf.data. */
export function profileFromPerfData(data: PerfData, opts: SymbolizeOptions, meta: Omit<ProfileMeta, 'mode'>): { profile: Profile; stats: PerfSymbolizer['stats'] } {
  const sym = new PerfSymbolizer(data.mmaps, opts);
  const b = new ProfileBuilder();
  const first = data.samples.find((s) => s.time !== undefined)?.time;
  const copySize = data.attrs[0]?.sampleStackUser ?? 0;
  for (const s of data.samples) {
    if (s.pid !== undefined && s.pid !== opts.pid) continue;
    const stack = sym.stackOf(s, copySize);
    const t = s.time !== undefined && first !== undefined ? Number(s.time - first) / 1000 : undefined;
    b.addStack(stack, 1, t);
  }
  return { profile: b.build({ ...meta, mode: 'perf' }), stats: sym.stats };
}
