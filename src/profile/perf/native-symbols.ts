// A minimal address → function-name lookup over one ELF file's symbols, for kernel-mode
// profiles; src/native's symbolizer will replace it (TODO(#4)). Also maps a file offset (from a
// perf MMAP record) to the ELF virtual address through the PT_LOAD program headers.
import { FileByteSource } from '../../io/byte-source.js';
import { ElfFile } from '../../elf/elf-file.js';
import { isNodescopeError } from '../../util/errors.js';

const STT_FUNC = 2;
const STT_GNU_IFUNC = 10;
const PT_LOAD = 1;

interface Sym { value: number; end: number; name: string }

/** Role: sorted function symbols of one ELF file, with file-offset → vaddr translation. */
export class ElfSymbolIndex {
  private constructor(private readonly syms: Sym[], private readonly loads: Array<{ offset: number; vaddr: number; filesz: number }>) {}

  /** Opens `path`; undefined when it is not a readable ELF file (its frames stay addresses). */
  static open(path: string): ElfSymbolIndex | undefined {
    let src: FileByteSource | undefined;
    try {
      src = new FileByteSource(path, 8 * 1024 * 1024);
      const elf = ElfFile.open(src);
      const syms: Sym[] = [];
      for (const s of elf.symbols()) {
        if ((s.type !== STT_FUNC && s.type !== STT_GNU_IFUNC) || s.value === 0 || s.name === '') continue;
        syms.push({ value: s.value, end: s.value + s.size, name: s.name });
      }
      syms.sort((a, b) => a.value - b.value || b.end - a.end);
      const loads = elf.programHeaders.filter((p) => p.type === PT_LOAD).map((p) => ({ offset: p.offset, vaddr: p.vaddr, filesz: p.filesz }));
      return new ElfSymbolIndex(syms, loads);
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

  /** The function symbol containing `vaddr` (size 0 symbols cover up to the next symbol, 64 KiB at most). */
  lookup(vaddr: number): string | undefined {
    const s = this.syms;
    let lo = 0, hi = s.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid]!.value <= vaddr) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    for (let i = best; i >= 0 && i > best - 4; i--) {
      const sym = s[i]!;
      const end = sym.end > sym.value ? sym.end : Math.min(s[i + 1]?.value ?? sym.value + 65536, sym.value + 65536);
      if (vaddr < end) return sym.name;
    }
    return undefined;
  }
}

/** Role: kernel text symbols from /proc/kallsyms (addresses as bigint, sorted). */
export class KallsymsIndex {
  private constructor(private readonly addrs: bigint[], private readonly names: string[]) {}

  /** Reads /proc/kallsyms; undefined when unreadable or all addresses are hidden (zero). */
  static load(text: string): KallsymsIndex | undefined {
    const rows: Array<[bigint, string]> = [];
    for (const line of text.split('\n')) {
      const m = /^([0-9a-f]+) [tTwW] (\S+)/.exec(line);
      if (!m) continue;
      const a = BigInt('0x' + m[1]);
      if (a !== 0n) rows.push([a, m[2]!]);
    }
    if (rows.length === 0) return undefined;
    rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return new KallsymsIndex(rows.map((r) => r[0]), rows.map((r) => r[1]));
  }

  /** The kernel function containing `addr`, or undefined. */
  lookup(addr: bigint): string | undefined {
    let lo = 0, hi = this.addrs.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.addrs[mid]! <= addr) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return best >= 0 ? this.names[best] : undefined;
  }
}
