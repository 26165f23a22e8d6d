// Reads the fixed part of an ELF header (Elf64_Ehdr) of a file, enough to tell a core from other
// files without the product's ELF reader. Layout: ELF spec / Linux include/uapi/linux/elf.h.
import { closeSync, openSync, readSync } from 'node:fs';

/** Role: e_type of a core file. */
export const ET_CORE = 4;
/** Role: e_machine of x86-64. */
export const EM_X86_64 = 62;

/** Role: the identifying fields of an ELF header. */
export interface ElfHeaderInfo {
  readonly isElf: boolean;
  /** EI_CLASS: 2 for ELF64. */
  readonly elfClass: number;
  /** EI_DATA: 1 for little-endian. */
  readonly data: number;
  readonly type: number;
  readonly machine: number;
  readonly phnum: number;
}

/** Role: reads the ELF header of `path` (isElf false when the magic is absent or the file is short). */
export function readElfHeader(path: string): ElfHeaderInfo {
  const buf = Buffer.alloc(64);
  const fd = openSync(path, 'r');
  let n: number;
  try {
    n = readSync(fd, buf, 0, 64, 0);
  } finally {
    closeSync(fd);
  }
  const isElf = n === 64 && buf.readUInt32BE(0) === 0x7f454c46;
  return {
    isElf,
    elfClass: buf[4] ?? 0,
    data: buf[5] ?? 0,
    type: isElf ? buf.readUInt16LE(16) : 0,
    machine: isElf ? buf.readUInt16LE(18) : 0,
    phnum: isElf ? buf.readUInt16LE(56) : 0,
  };
}

/** Role: whether `path` is an x86-64 ELF64 little-endian core file. */
export function isElfCore(path: string): boolean {
  const h = readElfHeader(path);
  return h.isElf && h.elfClass === 2 && h.data === 1 && h.type === ET_CORE && h.machine === EM_X86_64;
}
