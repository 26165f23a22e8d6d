// A LayoutBinary over an ElfFile that decodes only the symbols the V8 layout loader reads
// (v8dbg_*, nodedbg_*, v8::internal::Version statics) through ElfFile.symbolsWithPrefix: a node
// binary has ~100k symbols and decoding them all costs seconds.
import type { ElfFile } from '../../elf/elf-file.js';
import type { LayoutBinary, LayoutSection, LayoutSymbol } from '../../v8/layout/layout-binary.js';

const PREFIXES = ['v8dbg_', 'nodedbg_', '_ZN2v88internal7Version'];

/** Role: LayoutBinary that reads only V8/Node metadata symbols from an ELF file. */
export class MetadataOnlyBinary implements LayoutBinary {
  private cache: LayoutSymbol[] | undefined;

  constructor(private readonly elf: ElfFile) {}

  symbols(): readonly LayoutSymbol[] {
    this.cache ??= this.elf.symbolsWithPrefix(PREFIXES).map((s) => ({ name: s.name, value: s.value, size: s.size, shndx: s.shndx }));
    return this.cache;
  }

  sections(): readonly LayoutSection[] {
    return this.elf.sections();
  }

  readVaddr(vaddr: number, length: number): Buffer {
    return this.elf.readVaddr(vaddr, length);
  }
}
