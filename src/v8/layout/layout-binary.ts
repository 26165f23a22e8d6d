// The slice of an ELF reader that the V8 layout loader needs: symbols, section kinds and reads by
// virtual address. src/elf's ElfFile satisfies it; tests may pass a small fake.

/** One ELF symbol as the layout loader sees it. */
export interface LayoutSymbol {
  readonly name: string;
  readonly value: number;
  readonly size: number;
  /** Index of the section the symbol is defined in (0 = undefined, ≥ 0xff00 = special). */
  readonly shndx: number;
}

/** One ELF section header as the layout loader sees it (index in the array = section index). */
export interface LayoutSection {
  readonly name: string;
  /** sh_type; SHT_NOBITS (8) marks .bss, whose bytes are not in the file. */
  readonly type: number;
  readonly addr: number;
  readonly size: number;
}

/** Role: the node executable, for reading its v8dbg_ / nodedbg_ metadata and version statics. */
export interface LayoutBinary {
  symbols(): readonly LayoutSymbol[];
  sections(): readonly LayoutSection[];
  /** Reads file bytes at an ELF virtual address; throws ReadFault/FormatError when not in the file. */
  readVaddr(vaddr: number, length: number): Buffer;
}

/** ELF section type of .bss (no file bytes). */
export const SHT_NOBITS = 8;
