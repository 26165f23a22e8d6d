// DW_EH_PE_* pointer encodings used by .eh_frame and .eh_frame_hdr (LSB 5.0, "DWARF Extensions",
// Pointer Encoding). Decodes one encoded pointer at a cursor; the result is an ELF virtual address.
import type { Cursor } from './cursor.js';

/** Value format (low nibble) and application (bits 4–6) of DW_EH_PE_* (LSB 5.0 tables 10-5/10-6). */
export const DW_EH_PE = {
  absptr: 0x00,
  uleb128: 0x01,
  udata2: 0x02,
  udata4: 0x03,
  udata8: 0x04,
  sleb128: 0x09,
  sdata2: 0x0a,
  sdata4: 0x0b,
  sdata8: 0x0c,
  pcrel: 0x10,
  textrel: 0x20,
  datarel: 0x30,
  funcrel: 0x40,
  aligned: 0x50,
  indirect: 0x80,
  omit: 0xff,
} as const;

/** Role: the bases an encoded pointer may be relative to, all as ELF virtual addresses. */
export interface PointerBases {
  /** Virtual address of byte 0 of the cursor's buffer (pcrel = this + cursor position). */
  readonly sectionVaddr: number;
  /** DW_EH_PE_datarel base (.eh_frame_hdr start in the hdr, GOT elsewhere), when known. */
  readonly data?: number;
  /** DW_EH_PE_textrel base, when known. */
  readonly text?: number;
  /** DW_EH_PE_funcrel base (the FDE's pc_begin), when known. */
  readonly func?: number;
  /** Reads a pointer-sized word at a virtual address for DW_EH_PE_indirect; undefined if unreadable. */
  readonly deref?: (vaddr: number) => number | undefined;
}

/** Size in bytes of a fixed-size encoding's value, or 0 for LEB128 / unknown formats. */
export function encodedSize(encoding: number): number {
  switch (encoding & 0x0f) {
    case DW_EH_PE.absptr:
    case DW_EH_PE.udata8:
    case DW_EH_PE.sdata8:
      return 8;
    case DW_EH_PE.udata2:
    case DW_EH_PE.sdata2:
      return 2;
    case DW_EH_PE.udata4:
    case DW_EH_PE.sdata4:
      return 4;
    default:
      return 0;
  }
}

/**
 * Reads one pointer with `encoding` from `cur` and applies its base. With `valueOnly` the
 * application is skipped (used for FDE pc_range, which is an unrelocated length).
 * Throws FormatError on an unknown encoding, a missing base, or an unreadable indirect pointer.
 */
export function readEncodedPointer(cur: Cursor, encoding: number, bases: PointerBases, valueOnly = false): number {
  if (encoding === DW_EH_PE.omit) cur.fail('read of an omitted pointer');
  const at = cur.pos;
  if ((encoding & 0x70) === DW_EH_PE.aligned) {
    const pad = (8 - ((bases.sectionVaddr + at) % 8)) % 8;
    cur.skip(pad);
  }
  let value: number;
  switch (encoding & 0x0f) {
    case DW_EH_PE.absptr:
    case DW_EH_PE.udata8:
      value = cur.u64();
      break;
    case DW_EH_PE.uleb128:
      value = cur.uleb();
      break;
    case DW_EH_PE.udata2:
      value = cur.u16();
      break;
    case DW_EH_PE.udata4:
      value = cur.u32();
      break;
    case DW_EH_PE.sleb128:
      value = cur.sleb();
      break;
    case DW_EH_PE.sdata2:
      value = cur.s16();
      break;
    case DW_EH_PE.sdata4:
      value = cur.s32();
      break;
    case DW_EH_PE.sdata8:
      value = cur.s64();
      break;
    default:
      cur.fail(`unknown pointer encoding 0x${encoding.toString(16)}`);
  }
  if (valueOnly) return value;
  switch (encoding & 0x70) {
    case 0:
    case DW_EH_PE.aligned:
      break;
    case DW_EH_PE.pcrel:
      value += bases.sectionVaddr + at;
      break;
    case DW_EH_PE.datarel:
      if (bases.data === undefined) cur.fail('datarel pointer without a data base');
      value += bases.data;
      break;
    case DW_EH_PE.textrel:
      if (bases.text === undefined) cur.fail('textrel pointer without a text base');
      value += bases.text;
      break;
    case DW_EH_PE.funcrel:
      if (bases.func === undefined) cur.fail('funcrel pointer without a function base');
      value += bases.func;
      break;
    default:
      cur.fail(`unknown pointer application 0x${(encoding & 0x70).toString(16)}`);
  }
  if (encoding & DW_EH_PE.indirect) {
    const target = bases.deref?.(value);
    if (target === undefined) cur.fail(`indirect pointer at 0x${value.toString(16)} is unreadable`);
    value = target;
  }
  if (!Number.isSafeInteger(value)) cur.fail('pointer out of range');
  return value;
}
