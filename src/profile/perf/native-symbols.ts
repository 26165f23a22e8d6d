// Address → function-name lookup for kernel-mode profiles: each mapped file's symbols through
// src/native's ModuleSymbols (lazy names), plus the translation of a file offset (from a perf
// MMAP record) to the ELF virtual address through the PT_LOAD program headers.
import { FileByteSource } from '../../io/byte-source.js';
import { ElfFile } from '../../elf/elf-file.js';
import { ModuleSymbols } from '../../native/module-symbols.js';
import { isNodescopeError } from '../../util/errors.js';

const PT_LOAD = 1;

/** Role: function symbols of one ELF file, with file-offset → vaddr translation. */
export class ElfSymbolIndex {
  private constructor(private readonly syms: ModuleSymbols, private readonly loads: Array<{ offset: number; vaddr: number; filesz: number }>) {}

  /** Opens `path`; undefined when it is not a readable ELF file (its frames stay addresses). */
  static open(path: string): ElfSymbolIndex | undefined {
    let src: FileByteSource | undefined;
    try {
      src = new FileByteSource(path, 8 * 1024 * 1024);
      const elf = ElfFile.open(src);
      const loads = elf.programHeaders.filter((p) => p.type === PT_LOAD).map((p) => ({ offset: p.offset, vaddr: p.vaddr, filesz: p.filesz }));
      return new ElfSymbolIndex(ModuleSymbols.fromElf(elf), loads);
    } catch (e) {
      if (isNodescopeError(e)) return undefined;
      throw e;
    } finally {
      src?.close();
    }
  }

  /** The ELF virtual address of file offset `off`, when a PT_LOAD covers it. */
  offsetToVaddr(off: number): number | undefined {
    for (const p of this.loads) if (off >= p.offset && off < p.offset + p.filesz) return p.vaddr + (off - p.offset);
    return undefined;
  }

  /** The function symbol containing `vaddr`, or undefined. */
  lookup(vaddr: number): string | undefined {
    return this.syms.lookup(vaddr)?.name;
  }
}

/** Role: kernel text symbols from /proc/kallsyms. Kernel addresses share the high half 0xffffffff, so the low halves are indexed. */
export class KallsymsIndex {
  private constructor(private readonly lows: Float64Array, private readonly names: string[]) {}

  /** Parses /proc/kallsyms text; undefined when no address is visible (all zero: kptr_restrict). */
  static load(text: string): KallsymsIndex | undefined {
    const rows: Array<[number, string]> = [];
    let pos = 0;
    while (pos < text.length) {
      let nl = text.indexOf('\n', pos);
      if (nl < 0) nl = text.length;
      // "ffffffff81000000 T name [module]": 16 hex digits, type letter at 17, name from 19.
      if (nl - pos > 19 && text.startsWith('ffffffff', pos) && text[pos + 16] === ' ') {
        const type = text[pos + 17];
        if (type === 't' || type === 'T' || type === 'w' || type === 'W') {
          const low = parseInt(text.slice(pos + 8, pos + 16), 16);
          const end = text.indexOf(' ', pos + 19);
          const name = text.slice(pos + 19, end < 0 || end > nl ? nl : end).replace(/\t.*$/, '');
          if (low !== 0) rows.push([low, name]);
        }
      }
      pos = nl + 1;
    }
    if (rows.length === 0) return undefined;
    rows.sort((a, b) => a[0] - b[0]);
    return new KallsymsIndex(Float64Array.from(rows, (r) => r[0]), rows.map((r) => r[1]));
  }

  /** The kernel function containing `addr`, or undefined. */
  lookup(addr: bigint): string | undefined {
    if (addr >> 32n !== 0xffffffffn) return undefined;
    const low = Number(addr & 0xffffffffn);
    let lo = 0, hi = this.lows.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.lows[mid]! <= low) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return best >= 0 ? this.names[best] : undefined;
  }
}
