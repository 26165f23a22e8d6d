// pc → mapped module → function symbol, demangled. One per session: each module's ELF is opened
// and indexed on first use only, so symbolizing the first frame never loads every library.
import type { MappedModule, Target } from '../target/target.js';
import { findMapping, type Mapping } from '../target/address-space.js';
import { Demangler } from './demangle.js';
import { ModuleFile, ModuleImage } from './module-image.js';

/** Role: a symbolized pc. */
export interface NativeSymbol {
  /** Path of the module as the target mapped it. */
  readonly module: string;
  /** Symbol name as in the ELF (mangled for C++). */
  readonly symbol: string;
  /** Demangled name (equal to `symbol` for C names and builtins). */
  readonly demangled: string;
  /** pc − symbol start. */
  readonly offset: number;
  /** Runtime address of the symbol start. */
  readonly address: number;
  /** Symbol size (0 when unknown). */
  readonly size: number;
}

/** Role: a runtime address resolved to a module file and the ELF vaddr it maps to. */
export interface ResolvedPc {
  readonly image: ModuleImage;
  /** ELF virtual address in the module file (what symbols and CFI are keyed by). */
  readonly vaddr: number;
}

/** Options of a Symbolizer. */
export interface SymbolizerOptions {
  /** Read the main executable from this path instead of the path the target mapped (--binary). */
  readonly binary?: string;
  /** Share a Demangler (one per session); a new one is made otherwise. */
  readonly demangler?: Demangler;
  /**
   * File-backed mappings to use besides `target.space.mappings()` (for example a core's NT_FILE
   * entries that have no PT_LOAD): each maps [start, end) to `fileOffset` in `path`.
   */
  readonly fileMappings?: readonly Mapping[];
}

/** Role: symbolizes pcs of one target, opening module files lazily. */
export class Symbolizer {
  readonly demangler: Demangler;
  private readonly images: ModuleImage[];
  private readonly starts: Float64Array;
  private readonly byPath = new Map<string, ModuleImage>();
  /** File-backed mappings sorted by start, for pcs in a second mapping of a file (V8's remapped embedded builtins). */
  private readonly fileMaps: readonly Mapping[];

  constructor(target: Pick<Target, 'modules' | 'executablePath' | 'space'>, opts: SymbolizerOptions = {}) {
    this.demangler = opts.demangler ?? new Demangler();
    const sorted = [...target.modules].sort((a, b) => a.start - b.start);
    // One ModuleFile per file, so a file mapped twice (remapped builtins) is indexed once.
    const files = new Map<string, ModuleFile>();
    const fileFor = (path: string): ModuleFile => {
      let f = files.get(path);
      if (f === undefined) files.set(path, (f = new ModuleFile(path)));
      return f;
    };
    this.images = sorted.map((m: MappedModule) => new ModuleImage(m, fileFor(opts.binary !== undefined && m.path === target.executablePath ? opts.binary : m.path)));
    for (const img of this.images) if (!this.byPath.has(img.module.path)) this.byPath.set(img.module.path, img);
    this.starts = Float64Array.from(sorted, (m) => m.start);
    const seen = new Set<string>();
    this.fileMaps = [...target.space.mappings(), ...(opts.fileMappings ?? [])]
      .filter((m) => m.path !== undefined && m.fileOffset !== undefined && this.byPath.has(m.path))
      .filter((m) => {
        const k = `${m.start}:${m.end}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      })
      .sort((a, b) => a.start - b.start);
  }

  /**
   * Loads every module's symbols and CFI now (each file once), so that a walk of a frozen live
   * process spends its pause on the process, not on indexing files.
   */
  warm(): void {
    for (const img of this.images) {
      img.symbols();
      img.cfi();
    }
    // The demangler compiles its WebAssembly on first use: do it now, not inside a freeze.
    this.demangler.demangle('_ZN4node5StartEv');
  }

  /**
   * Role: the module file and ELF vaddr of runtime address `pc`: through the file mapping that
   * holds pc when known (exact for files mapped twice), else through the module's load bias.
   */
  resolve(pc: number): ResolvedPc | undefined {
    const m = findMapping(this.fileMaps, pc);
    if (m !== undefined) {
      const image = this.byPath.get(m.path!)!;
      const vaddr = image.vaddrOfFileOffset(m.fileOffset! + (pc - m.start));
      if (vaddr !== undefined) return { image, vaddr };
    }
    const image = this.moduleByBias(pc);
    return image === undefined ? undefined : { image, vaddr: pc - image.module.bias };
  }

  /** Role: the module image holding `pc`, or undefined (JIT code, anonymous memory). */
  moduleAt(pc: number): ModuleImage | undefined {
    return this.resolve(pc)?.image;
  }

  private moduleByBias(pc: number): ModuleImage | undefined {
    let lo = 0;
    let hi = this.starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid]! <= pc) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // A module's range can enclose other modules and JIT memory (a file mapped twice, far apart):
    // check candidates against their ELF segments, nearest start first.
    for (let i = found; i >= 0 && i > found - 64; i--) {
      const img = this.images[i]!;
      if (img.contains(pc)) return img;
    }
    return undefined;
  }

  /**
   * Role: the function symbol holding `pc` (runtime address). For a return address pass
   * `lookupPc` = pc − 1 so a call at a function's end is not credited to the next function.
   */
  symbolize(pc: number, lookupPc = pc): NativeSymbol | undefined {
    const r = this.resolve(lookupPc);
    const hit = r?.image.symbols()?.lookup(r.vaddr);
    if (r === undefined || hit === undefined) return undefined;
    const address = lookupPc - hit.offset;
    return {
      module: r.image.module.path,
      symbol: hit.name,
      demangled: this.demangler.demangle(hit.name),
      offset: pc - address,
      address,
      size: hit.size,
    };
  }

  /** Role: a one-line label for a pc: `name+0x1c`, else `libfoo.so+0x1234`, else `0x7f…`. */
  label(pc: number, lookupPc = pc): string {
    const s = this.symbolize(pc, lookupPc);
    if (s) return s.offset === 0 ? s.demangled : `${s.demangled}+0x${s.offset.toString(16)}`;
    const img = this.moduleAt(lookupPc);
    if (img) return `${basename(img.module.path)}+0x${(pc - img.module.start).toString(16)}`;
    return `0x${pc.toString(16)}`;
  }

  /** Role: every mapped module's image (one per mapping), sorted by start. */
  modules(): readonly ModuleImage[] {
    return this.images;
  }

  /** Modules whose file could not be used, with why (for `-v` diagnostics). */
  problems(): { module: string; problem: string }[] {
    return this.images.filter((i) => i.problem !== undefined).map((i) => ({ module: i.module.path, problem: i.problem! }));
  }

  /** Closes every opened module file. */
  close(): void {
    for (const i of this.images) i.close();
  }
}

function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? p : p.slice(i + 1);
}
