// A lazy ELF64 little-endian reader over a ByteSource: header, program headers, sections,
// symbols and notes. Reads only the ranges it needs; validates every offset against the file.
import type { ByteSource } from '../io/byte-source.js';
import { FormatError, ReadFault } from '../util/errors.js';
import { joinU64 } from '../util/hex.js';
import { NT_GNU_BUILD_ID, PN_XNUM, PT_LOAD, PT_NOTE, SHT_DYNSYM, SHT_NOBITS, SHT_NOTE, SHT_SYMTAB } from './constants.js';
import { parseNotes, type ElfNote } from './notes.js';

/** One program header (Elf64_Phdr). */
export interface ProgramHeader {
  readonly type: number;
  readonly flags: number;
  readonly offset: number;
  readonly vaddr: number;
  readonly filesz: number;
  readonly memsz: number;
  readonly align: number;
}

/** One section header (Elf64_Shdr) with its resolved name. */
export interface SectionHeader {
  readonly index: number;
  readonly name: string;
  readonly type: number;
  readonly flags: number;
  readonly addr: number;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly entsize: number;
}

/** One symbol of .symtab or .dynsym. */
export interface ElfSymbol {
  readonly name: string;
  readonly value: number;
  readonly size: number;
  /** STT_* (low nibble of st_info). */
  readonly type: number;
  /** STB_* (high nibble of st_info). */
  readonly bind: number;
  readonly shndx: number;
}

const MAX_PHDRS = 1 << 22;
const MAX_SECTIONS = 1 << 16;

function u64(b: Buffer, off: number, file: string, what: string): number {
  const v = joinU64(b.readUInt32LE(off), b.readUInt32LE(off + 4));
  if (v === undefined) throw new FormatError(file, `${what} is out of range`);
  return v;
}

/** Role: the parsed view of one ELF64 file (executable, shared object or core). */
export class ElfFile {
  readonly type: number;
  readonly machine: number;
  readonly entry: number;
  readonly programHeaders: readonly ProgramHeader[];
  private readonly shoff: number;
  private readonly shnum: number;
  private readonly shstrndx: number;
  private sectionCache: SectionHeader[] | undefined;
  private symbolCache: ElfSymbol[] | undefined;
  private noteCache: ElfNote[] | undefined;

  private constructor(readonly source: ByteSource) {
    const file = source.name;
    if (source.size < 64) throw new FormatError(file, 'not an ELF file (too short)');
    const h = source.read(0, 64);
    if (h.readUInt32BE(0) !== 0x7f454c46) throw new FormatError(file, 'not an ELF file (bad magic)');
    if (h[4] !== 2) throw new FormatError(file, 'not a 64-bit ELF file');
    if (h[5] !== 1) throw new FormatError(file, 'not a little-endian ELF file');
    this.type = h.readUInt16LE(16);
    this.machine = h.readUInt16LE(18);
    this.entry = u64(h, 24, file, 'e_entry');
    const phoff = u64(h, 32, file, 'e_phoff');
    this.shoff = u64(h, 40, file, 'e_shoff');
    const phentsize = h.readUInt16LE(54);
    let phnum = h.readUInt16LE(56);
    const shentsize = h.readUInt16LE(58);
    let shnum = h.readUInt16LE(60);
    let shstrndx = h.readUInt16LE(62);
    if (this.shoff !== 0 && shentsize !== 64) throw new FormatError(file, `bad e_shentsize ${shentsize}`);
    if (this.shoff !== 0 && (shnum === 0 || phnum === PN_XNUM || shstrndx === 0xffff)) {
      // Extended numbering: real counts live in section header 0 (Linux fs/binfmt_elf.c).
      const s0 = this.readChecked(this.shoff, 64, 'section header 0');
      if (shnum === 0) shnum = Math.min(u64(s0, 32, file, 'sh_size[0]'), MAX_SECTIONS);
      if (phnum === PN_XNUM) phnum = s0.readUInt32LE(44);
      if (shstrndx === 0xffff) shstrndx = s0.readUInt32LE(40);
    }
    this.shnum = Math.min(shnum, MAX_SECTIONS);
    this.shstrndx = shstrndx;
    if (phnum > 0 && phentsize !== 56) throw new FormatError(file, `bad e_phentsize ${phentsize}`);
    if (phnum > MAX_PHDRS) throw new FormatError(file, `implausible program header count ${phnum}`);
    const ph = phnum > 0 ? this.readChecked(phoff, phnum * 56, 'program headers') : Buffer.alloc(0);
    const phdrs: ProgramHeader[] = [];
    for (let i = 0; i < phnum; i++) {
      const o = i * 56;
      const vaddr = joinU64(ph.readUInt32LE(o + 16), ph.readUInt32LE(o + 20));
      // Kernel-only ranges such as [vsyscall] at 0xffffffffff600000 lie above 2^53: skip them.
      if (vaddr === undefined) continue;
      phdrs.push({
        type: ph.readUInt32LE(o),
        flags: ph.readUInt32LE(o + 4),
        offset: u64(ph, o + 8, file, 'p_offset'),
        vaddr,
        filesz: u64(ph, o + 32, file, 'p_filesz'),
        memsz: u64(ph, o + 40, file, 'p_memsz'),
        align: u64(ph, o + 48, file, 'p_align'),
      });
    }
    this.programHeaders = phdrs;
  }

  /** Opens an ELF64 little-endian file; throws FormatError when it is not one. */
  static open(source: ByteSource): ElfFile {
    return new ElfFile(source);
  }

  private readChecked(offset: number, length: number, what: string): Buffer {
    try {
      return this.source.read(offset, length);
    } catch (e) {
      if (e instanceof ReadFault) throw new FormatError(this.source.name, `${what} lie beyond the end of the file (truncated?)`);
      throw e;
    }
  }

  /** All section headers, with names (empty for cores without sections). */
  sections(): readonly SectionHeader[] {
    if (this.sectionCache) return this.sectionCache;
    const file = this.source.name;
    const out: SectionHeader[] = [];
    if (this.shoff !== 0 && this.shnum > 0) {
      const raw = this.readChecked(this.shoff, this.shnum * 64, 'section headers');
      const rows = [];
      for (let i = 0; i < this.shnum; i++) {
        const o = i * 64;
        rows.push({
          index: i,
          nameOff: raw.readUInt32LE(o),
          type: raw.readUInt32LE(o + 4),
          flags: raw.readUInt32LE(o + 8),
          addr: u64(raw, o + 16, file, 'sh_addr'),
          offset: u64(raw, o + 24, file, 'sh_offset'),
          size: u64(raw, o + 32, file, 'sh_size'),
          link: raw.readUInt32LE(o + 40),
          info: raw.readUInt32LE(o + 44),
          entsize: u64(raw, o + 56, file, 'sh_entsize'),
        });
      }
      const strtab = rows[this.shstrndx];
      const names = strtab && strtab.type !== SHT_NOBITS ? this.tryRead(strtab.offset, strtab.size) : undefined;
      for (const r of rows) {
        const { nameOff, ...rest } = r;
        out.push({ ...rest, name: names ? cString(names, nameOff) : '' });
      }
    }
    this.sectionCache = out;
    return out;
  }

  /** The first section with this name, if any. */
  section(name: string): SectionHeader | undefined {
    return this.sections().find((s) => s.name === name);
  }

  /** The bytes of a section (empty for SHT_NOBITS); throws FormatError when truncated. */
  sectionData(s: SectionHeader): Buffer {
    if (s.type === SHT_NOBITS || s.size === 0) return Buffer.alloc(0);
    return this.readChecked(s.offset, s.size, `section ${s.name}`);
  }

  private tryRead(offset: number, length: number): Buffer | undefined {
    try {
      return this.source.read(offset, length);
    } catch (e) {
      // A range past the end of the file (ReadFault): the caller treats it as absent.
      if (!(e instanceof ReadFault)) throw e;
      return undefined;
    }
  }

  /** All symbols of .symtab then .dynsym (undefined and unnamed ones included). */
  symbols(): readonly ElfSymbol[] {
    this.symbolCache ??= this.collectSymbols(() => () => true);
    return this.symbolCache;
  }

  /**
   * Symbols whose names start with one of `prefixes` (e.g. `v8dbg_`), from .symtab then .dynsym.
   * Compares raw string-table bytes first and decodes only matching names, so it is far cheaper
   * than symbols() on binaries with 100k+ symbols.
   */
  symbolsWithPrefix(prefixes: readonly string[]): ElfSymbol[] {
    const want = prefixes.map((p) => Buffer.from(p, 'latin1')).filter((p) => p.length > 0);
    return this.collectSymbols((names) => {
      // The string table is searched for each prefix (memmem, native), marking where one starts
      // (a name may also begin inside another: linkers merge string tails); each symbol is then one byte lookup, not a compare per prefix.
      const starts = new Uint8Array(names.length + 1);
      for (const w of want) {
        for (let at = names.indexOf(w); at >= 0; at = names.indexOf(w, at + 1)) starts[at] = 1;
      }
      return (off) => starts[off] === 1;
    });
  }

  /** Reads the symbols of .symtab then .dynsym whose name offset passes the test `keepIn` makes for each string table. */
  private collectSymbols(keepIn: (names: Buffer) => (nameOff: number) => boolean): ElfSymbol[] {
    const out: ElfSymbol[] = [];
    const secs = this.sections();
    for (const type of [SHT_SYMTAB, SHT_DYNSYM]) {
      for (const s of secs) {
        if (s.type !== type || s.entsize !== 24) continue;
        const strs = secs[s.link];
        if (!strs) continue;
        const data = this.sectionData(s);
        const names = this.sectionData(strs);
        const keep = keepIn(names);
        const n = Math.floor(data.length / 24);
        for (let i = 1; i < n; i++) {
          const o = i * 24;
          const nameOff = data.readUInt32LE(o);
          if (!keep(nameOff)) continue;
          const value = joinU64(data.readUInt32LE(o + 8), data.readUInt32LE(o + 12));
          const size = joinU64(data.readUInt32LE(o + 16), data.readUInt32LE(o + 20));
          if (value === undefined || size === undefined) continue;
          const info = data[o + 4]!;
          out.push({ name: cString(names, nameOff), value, size, type: info & 0xf, bind: info >> 4, shndx: data.readUInt16LE(o + 6) });
        }
      }
    }
    return out;
  }

  /** Notes from PT_NOTE segments, or from SHT_NOTE sections when there are none. */
  notes(): readonly ElfNote[] {
    if (this.noteCache) return this.noteCache;
    const out: ElfNote[] = [];
    const segs = this.programHeaders.filter((p) => p.type === PT_NOTE);
    if (segs.length > 0) {
      for (const p of segs) out.push(...parseNotes(this.readChecked(p.offset, p.filesz, 'note segment'), this.source.name));
    } else {
      for (const s of this.sections()) if (s.type === SHT_NOTE) out.push(...parseNotes(this.sectionData(s), this.source.name));
    }
    this.noteCache = out;
    return out;
  }

  /** The GNU build-id as lowercase hex, if the file has one. */
  buildId(): string | undefined {
    const n = this.notes().find((x) => x.name === 'GNU' && x.type === NT_GNU_BUILD_ID);
    return n ? n.desc.toString('hex') : undefined;
  }

  /** File offset of a virtual address covered by a PT_LOAD's file bytes, else undefined. */
  vaddrToOffset(vaddr: number): number | undefined {
    for (const p of this.programHeaders) {
      if (p.type === PT_LOAD && vaddr >= p.vaddr && vaddr < p.vaddr + p.filesz) return p.offset + (vaddr - p.vaddr);
    }
    return undefined;
  }

  /** Reads file-backed bytes at a virtual address (not .bss); throws ReadFault when absent. */
  readVaddr(vaddr: number, length: number): Buffer {
    const off = this.vaddrToOffset(vaddr);
    const endOff = this.vaddrToOffset(vaddr + Math.max(length, 1) - 1);
    if (off === undefined || endOff === undefined || endOff - off !== Math.max(length, 1) - 1) {
      throw new ReadFault(vaddr, length, this.source.name);
    }
    return this.source.read(off, length);
  }

  /** Lowest PT_LOAD virtual address, page-aligned down (0 when there is none). */
  loadBase(): number {
    let min = Infinity;
    for (const p of this.programHeaders) if (p.type === PT_LOAD && p.vaddr < min) min = p.vaddr - (p.vaddr % 4096);
    return Number.isFinite(min) ? min : 0;
  }
}

function cString(buf: Buffer, off: number): string {
  if (off >= buf.length) return '';
  const end = buf.indexOf(0, off);
  return buf.toString('latin1', off, end < 0 ? buf.length : end);
}
