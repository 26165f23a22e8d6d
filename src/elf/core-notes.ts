// Decoders for the notes of a Linux x86-64 core: NT_PRSTATUS (one per thread), NT_PRPSINFO,
// NT_FILE, NT_AUXV and NT_SIGINFO. Layouts from Linux include/uapi/linux/elfcore.h and
// arch/x86/include/asm/user_64.h (user_regs_struct); fs/binfmt_elf.c writes them.
import { FormatError } from '../util/errors.js';
import { joinU64 } from '../util/hex.js';

/** user_regs_struct field order on x86-64 (arch/x86/include/asm/user_64.h). */
export const USER_REGS = [
  'r15', 'r14', 'r13', 'r12', 'rbp', 'rbx', 'r11', 'r10', 'r9', 'r8', 'rax', 'rcx', 'rdx', 'rsi', 'rdi',
  'orig_rax', 'rip', 'cs', 'eflags', 'rsp', 'ss', 'fs_base', 'gs_base', 'ds', 'es', 'fs', 'gs',
] as const;

/** One thread's status from NT_PRSTATUS. */
export interface PrStatus {
  readonly pid: number;
  readonly cursig: number;
  readonly regs: Record<string, bigint>;
}

/** Process info from NT_PRPSINFO. */
export interface PrPsInfo {
  readonly pid: number;
  readonly fname: string;
  readonly psargs: string;
}

/** One file mapping from NT_FILE. */
export interface FileMapping {
  readonly start: number;
  readonly end: number;
  /** Byte offset in the file (NT_FILE stores pages; converted here). */
  readonly fileOffset: number;
  readonly path: string;
}

const PRSTATUS_REG_OFFSET = 112;

/** Decodes struct elf_prstatus for x86-64. */
export function parsePrStatus(desc: Buffer, file: string): PrStatus {
  if (desc.length < PRSTATUS_REG_OFFSET + USER_REGS.length * 8) throw new FormatError(file, `NT_PRSTATUS note is too short (${desc.length} bytes)`);
  const regs: Record<string, bigint> = {};
  USER_REGS.forEach((name, i) => {
    regs[name] = desc.readBigUInt64LE(PRSTATUS_REG_OFFSET + i * 8);
  });
  return { pid: desc.readInt32LE(32), cursig: desc.readUInt16LE(12), regs };
}

/** Decodes struct elf_prpsinfo for x86-64. */
export function parsePrPsInfo(desc: Buffer, file: string): PrPsInfo {
  if (desc.length < 136) throw new FormatError(file, `NT_PRPSINFO note is too short (${desc.length} bytes)`);
  const str = (a: number, b: number): string => {
    const s = desc.toString('latin1', a, b);
    const nul = s.indexOf('\0');
    return (nul >= 0 ? s.slice(0, nul) : s).trim();
  };
  return { pid: desc.readInt32LE(24), fname: str(40, 56), psargs: str(56, 136) };
}

/** Decodes NT_FILE: count, page size, (start, end, page offset) triples, then NUL-terminated paths. */
export function parseNtFile(desc: Buffer, file: string): FileMapping[] {
  if (desc.length < 16) throw new FormatError(file, 'NT_FILE note is too short');
  const word = (off: number): number => {
    const v = joinU64(desc.readUInt32LE(off), desc.readUInt32LE(off + 4));
    if (v === undefined) throw new FormatError(file, 'NT_FILE holds an out-of-range value');
    return v;
  };
  const count = word(0);
  const pageSize = word(8);
  if (count > (desc.length - 16) / 24) throw new FormatError(file, `NT_FILE claims ${count} mappings, more than it holds`);
  let names = 16 + count * 24;
  const out: FileMapping[] = [];
  for (let i = 0; i < count; i++) {
    const o = 16 + i * 24;
    const end = desc.indexOf(0, names);
    if (end < 0) throw new FormatError(file, 'NT_FILE path table is truncated');
    out.push({ start: word(o), end: word(o + 8), fileOffset: word(o + 16) * pageSize, path: desc.toString('utf8', names, end) });
    names = end + 1;
  }
  return out;
}

/** Decodes NT_AUXV into a key → value map (values that do not fit 2^53 are dropped). */
export function parseAuxv(desc: Buffer): Map<number, number> {
  const out = new Map<number, number>();
  for (let o = 0; o + 16 <= desc.length; o += 16) {
    const key = desc.readUInt32LE(o);
    if (key === 0 && desc.readUInt32LE(o + 4) === 0) break;
    const v = joinU64(desc.readUInt32LE(o + 8), desc.readUInt32LE(o + 12));
    if (v !== undefined) out.set(key, v);
  }
  return out;
}

/** Decodes the signal number from NT_SIGINFO (siginfo_t.si_signo). */
export function parseSigInfo(desc: Buffer): number | undefined {
  return desc.length >= 4 ? desc.readInt32LE(0) : undefined;
}
