// Struct layouts from DWARF .debug_info (DWARF 4 and 5, 64-bit ELF): the byte size of a named
// DW_TAG_structure_type and the offsets of its direct DW_TAG_member children. Only the compile
// unit that .debug_aranges says covers a given code address is parsed (glibc's malloc.c for
// malloc_state), so a 10 MB .debug_info is not walked whole. Sections compressed with
// SHF_COMPRESSED (ELFCOMPRESS_ZLIB, gABI Elf64_Chdr) are inflated. Not a general DWARF reader.
import { inflateSync } from 'node:zlib';
import type { ElfFile, SectionHeader } from '../elf/elf-file.js';
import { FormatError } from '../util/errors.js';
import { Cursor } from './cursor.js';

/** Role: one struct's layout. */
export interface StructLayout {
  readonly name: string;
  readonly size: number;
  /** Member name → byte offset. */
  readonly members: ReadonlyMap<string, number>;
}

const SHF_COMPRESSED = 0x800;
const ELFCOMPRESS_ZLIB = 1;
const DW_TAG_structure_type = 0x13;
const DW_TAG_member = 0x0d;
const DW_AT_name = 0x03;
const DW_AT_byte_size = 0x0b;
const DW_AT_data_member_location = 0x38;
const DW_AT_declaration = 0x3c;
const DW_FORM_implicit_const = 0x21;
const DW_FORM_indirect = 0x16;
/** Most DIEs one unit may have before we stop believing it. */
const MAX_DIES = 1 << 22;

/** Role: a section's bytes, inflated when SHF_COMPRESSED (zlib only). */
export function sectionBytes(elf: ElfFile, s: SectionHeader): Buffer {
  const raw = elf.sectionData(s);
  if ((s.flags & SHF_COMPRESSED) === 0) return raw;
  if (raw.length < 24) throw new FormatError(elf.source.name, `${s.name}: truncated compression header`);
  const type = raw.readUInt32LE(0);
  if (type !== ELFCOMPRESS_ZLIB) throw new FormatError(elf.source.name, `${s.name}: compression type ${type} is not zlib`);
  const size = raw.readUInt32LE(8) + raw.readUInt32LE(12) * 0x1_0000_0000;
  if (size > 1 << 30) throw new FormatError(elf.source.name, `${s.name}: ${size} bytes uncompressed is implausible`);
  try {
    return inflateSync(raw.subarray(24), { maxOutputLength: size });
  } catch (e) {
    throw new FormatError(elf.source.name, `${s.name}: ${(e as Error).message}`);
  }
}

/** Role: the .debug_info offset of the compile unit whose .debug_aranges ranges cover `vaddr`, if any. */
export function unitForAddress(elf: ElfFile, vaddr: number): number | undefined {
  const s = elf.section('.debug_aranges');
  if (s === undefined) return undefined;
  const data = sectionBytes(elf, s);
  const c = new Cursor(data, 0, data.length, `${elf.source.name} .debug_aranges`);
  while (c.remaining >= 16) {
    const start = c.pos;
    const len = c.u32();
    if (len === 0xffffffff || len < 12 || start + 4 + len > data.length) return undefined;
    const end = start + 4 + len;
    c.u16();
    const info = c.u32();
    const addrSize = c.u8();
    c.u8();
    if (addrSize !== 8) return undefined;
    // Tuples start at a multiple of twice the address size from the set's start.
    c.pos = start + Math.ceil((c.pos - start) / 16) * 16;
    while (c.pos + 16 <= end) {
      const a = c.u64();
      const l = c.u64();
      if (a === 0 && l === 0) break;
      if (vaddr >= a && vaddr < a + l) return info;
    }
    c.pos = end;
  }
  return undefined;
}

interface Abbrev {
  readonly tag: number;
  readonly children: boolean;
  readonly attrs: readonly { readonly at: number; readonly form: number; readonly implicit: number }[];
}

function readAbbrevs(data: Buffer, offset: number, where: string): Map<number, Abbrev> {
  const c = new Cursor(data, offset, data.length, where);
  const out = new Map<number, Abbrev>();
  for (;;) {
    const code = c.uleb();
    if (code === 0) return out;
    const tag = c.uleb();
    const children = c.u8() !== 0;
    const attrs: { at: number; form: number; implicit: number }[] = [];
    for (;;) {
      const at = c.uleb();
      const form = c.uleb();
      if (at === 0 && form === 0) break;
      attrs.push({ at, form, implicit: form === DW_FORM_implicit_const ? c.sleb() : 0 });
    }
    out.set(code, { tag, children, attrs });
  }
}

/** Reads one attribute value: a number for constants and offsets, a string for inline names, undefined for blocks. */
function readForm(c: Cursor, form: number, implicit: number, strs: { str?: Buffer; lineStr?: Buffer }): number | string | undefined {
  switch (form) {
    case 0x01: case 0x07: case 0x14: case 0x20: case 0x24: return c.u64();
    case 0x05: case 0x12: return c.u16();
    case 0x06: case 0x13: case 0x10: case 0x17: case 0x1c: case 0x1d: case 0x1f20: case 0x1f21: return c.u32();
    case 0x0b: case 0x0c: case 0x11: return c.u8();
    case 0x0d: return c.sleb();
    case 0x0f: case 0x15: case 0x1a: case 0x1b: case 0x22: case 0x23: return c.uleb();
    case 0x19: return 1;
    case DW_FORM_implicit_const: return implicit;
    case 0x08: return c.cstring(4096);
    case 0x0e: return cstr(strs.str, c.u32());
    case 0x1f: return cstr(strs.lineStr, c.u32());
    case 0x25: case 0x29: return c.u8();
    case 0x26: case 0x2a: return c.u16();
    case 0x27: case 0x2b: return c.u16() + c.u8() * 0x10000;
    case 0x28: case 0x2c: return c.u32();
    case 0x1e: c.skip(16); return undefined;
    case 0x0a: c.skip(c.u8()); return undefined;
    case 0x03: c.skip(c.u16()); return undefined;
    case 0x04: c.skip(c.u32()); return undefined;
    case 0x09: case 0x18: c.skip(c.uleb()); return undefined;
    case DW_FORM_indirect: return readForm(c, c.uleb(), 0, strs);
    default: return c.fail(`unknown DW_FORM 0x${form.toString(16)}`);
  }
}

function cstr(b: Buffer | undefined, off: number): string | undefined {
  if (b === undefined || off >= b.length) return undefined;
  const end = b.indexOf(0, off);
  return b.toString('latin1', off, end < 0 ? b.length : end);
}

/** Role: layouts of the named structs defined in the compile unit at `unitOffset` of .debug_info. */
export function structLayouts(elf: ElfFile, unitOffset: number, names: readonly string[]): Map<string, StructLayout> {
  const name = elf.source.name;
  const infoSec = elf.section('.debug_info');
  const abbrevSec = elf.section('.debug_abbrev');
  if (infoSec === undefined || abbrevSec === undefined) return new Map();
  const info = sectionBytes(elf, infoSec);
  const abbrevData = sectionBytes(elf, abbrevSec);
  const strSec = elf.section('.debug_str');
  const lineSec = elf.section('.debug_line_str');
  const strs = { ...(strSec ? { str: sectionBytes(elf, strSec) } : {}), ...(lineSec ? { lineStr: sectionBytes(elf, lineSec) } : {}) };
  const c = new Cursor(info, unitOffset, info.length, `${name} .debug_info`);
  const len = c.u32();
  if (len >= 0xfffffff0) c.fail('64-bit DWARF units are not read');
  const end = unitOffset + 4 + len;
  if (end > info.length) c.fail('unit runs past the section');
  const version = c.u16();
  let abbrevOffset: number;
  if (version >= 5) {
    c.u8();
    if (c.u8() !== 8) c.fail('address size is not 8');
    abbrevOffset = c.u32();
  } else {
    abbrevOffset = c.u32();
    if (c.u8() !== 8) c.fail('address size is not 8');
  }
  const abbrevs = readAbbrevs(abbrevData, abbrevOffset, `${name} .debug_abbrev`);
  const wanted = new Set(names);
  const out = new Map<string, StructLayout>();
  // Depth-first over the unit's DIEs; `open` is the struct being collected at its child depth.
  let depth = 0;
  let open: { name: string; size: number; members: Map<string, number>; depth: number } | undefined;
  for (let n = 0; c.pos < end && n < MAX_DIES; n++) {
    const code = c.uleb();
    if (code === 0) {
      depth--;
      if (open !== undefined && depth < open.depth) {
        if (!out.has(open.name)) out.set(open.name, { name: open.name, size: open.size, members: open.members });
        open = undefined;
        if (out.size === wanted.size) break;
      }
      if (depth < 0) break;
      continue;
    }
    const a = abbrevs.get(code);
    if (a === undefined) return c.fail(`unknown abbreviation ${code}`);
    let dieName: string | undefined;
    let size: number | undefined;
    let loc: number | undefined;
    let declaration = false;
    for (const at of a.attrs) {
      const v = readForm(c, at.form, at.implicit, strs);
      if (at.at === DW_AT_name && typeof v === 'string') dieName = v;
      else if (at.at === DW_AT_byte_size && typeof v === 'number') size = v;
      else if (at.at === DW_AT_data_member_location && typeof v === 'number') loc = v;
      else if (at.at === DW_AT_declaration) declaration = true;
    }
    if (open !== undefined && depth === open.depth && a.tag === DW_TAG_member && dieName !== undefined && loc !== undefined) open.members.set(dieName, loc);
    if (open === undefined && a.tag === DW_TAG_structure_type && a.children && !declaration && dieName !== undefined && size !== undefined && wanted.has(dieName) && !out.has(dieName)) {
      open = { name: dieName, size, members: new Map(), depth: depth + 1 };
    }
    if (a.children) depth++;
  }
  return out;
}
