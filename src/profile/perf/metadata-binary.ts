// A LayoutBinary over an ElfFile that decodes only the symbols the V8 layout loader reads
// (v8dbg_*, nodedbg_*, v8::internal::Version statics), checking name prefixes in the raw
// string table: a node binary has ~100k symbols and decoding them all costs seconds.
import type { ElfFile } from '../../elf/elf-file.js';
import type { LayoutBinary, LayoutSection, LayoutSymbol } from '../../v8/layout/layout-binary.js';

const SHT_SYMTAB = 2;
const SHT_DYNSYM = 11;
const PREFIXES = ['v8dbg_', 'nodedbg_', '_ZN2v88internal7Version'].map((p) => Buffer.from(p, 'latin1'));

/** Role: LayoutBinary that reads only V8/Node metadata symbols from an ELF file. */
export class MetadataOnlyBinary implements LayoutBinary {
  private cache: LayoutSymbol[] | undefined;

  constructor(private readonly elf: ElfFile) {}

  symbols(): readonly LayoutSymbol[] {
    if (this.cache) return this.cache;
    const out: LayoutSymbol[] = [];
    const secs = this.elf.sections();
    for (const s of secs) {
      if ((s.type !== SHT_SYMTAB && s.type !== SHT_DYNSYM) || s.entsize !== 24) continue;
      const strs = secs[s.link];
      if (strs === undefined) continue;
      const data = this.elf.sectionData(s);
      const names = this.elf.sectionData(strs);
      for (let o = 24; o + 24 <= data.length; o += 24) {
        const off = data.readUInt32LE(o);
        if (off >= names.length) continue;
        const first = names[off];
        if (first !== 0x76 && first !== 0x6e && first !== 0x5f) continue; // 'v', 'n', '_'
        if (!PREFIXES.some((p) => names.compare(p, 0, p.length, off, off + p.length) === 0)) continue;
        const hi = data.readUInt32LE(o + 12), shi = data.readUInt32LE(o + 20);
        if (hi >= 0x200000 || shi >= 0x200000) continue;
        const end = names.indexOf(0, off);
        out.push({
          name: names.toString('latin1', off, end < 0 ? names.length : end),
          value: hi * 0x1_0000_0000 + data.readUInt32LE(o + 8),
          size: shi * 0x1_0000_0000 + data.readUInt32LE(o + 16),
          shndx: data.readUInt16LE(o + 6),
        });
      }
    }
    this.cache = out;
    return out;
  }

  sections(): readonly LayoutSection[] {
    return this.elf.sections();
  }

  readVaddr(vaddr: number, length: number): Buffer {
    return this.elf.readVaddr(vaddr, length);
  }
}
