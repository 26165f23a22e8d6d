// Opens a Linux x86-64 ELF core as a Target: threads from NT_PRSTATUS, memory from PT_LOAD laid
// over NT_FILE files, the executable found from AT_ENTRY, and a build-id check of --binary.
// Assumes the files the core names are the ones on this machine unless told otherwise.
import { existsSync } from 'node:fs';
import { FileByteSource, type ByteSource } from '../../io/byte-source.js';
import { AT_ENTRY, EM_X86_64, ET_CORE, NT_AUXV, NT_FILE, NT_PRPSINFO, NT_PRSTATUS, NT_SIGINFO, PF_R, PF_W, PF_X, PT_LOAD, PT_NOTE } from '../../elf/constants.js';
import { parseAuxv, parseNtFile, parsePrPsInfo, parsePrStatus, parseSigInfo, type FileMapping } from '../../elf/core-notes.js';
import { ElfFile } from '../../elf/elf-file.js';
import { FormatError, TargetError } from '../../util/errors.js';
import type { AddressSpace, Mapping } from '../address-space.js';
import type { MappedModule, Registers, SessionTarget, Thread } from '../target.js';
import { SplicedMemory, type Piece } from './spliced-memory.js';
import { moduleIdentity } from './module-identity.js';

/** Options for opening a core. */
export interface OpenCoreOptions {
  /** Path of the node binary to use instead of the one the core names. */
  readonly binary?: string;
  /** Skip the build-id comparison (for tests of mismatches). */
  readonly skipBuildIdCheck?: boolean;
}

/** Role: a Target backed by a core file. */
export class CoreTarget implements SessionTarget {
  constructor(
    readonly name: string,
    readonly pid: number,
    readonly space: AddressSpace & { close(): void },
    readonly threads: readonly Thread[],
    readonly modules: readonly MappedModule[],
    readonly executablePath: string,
    /** Where the executable is read from here (the --binary override or the core's path). */
    readonly binaryPath: string,
    readonly auxv: ReadonlyMap<number, number>,
    /** Signal that killed the process, when the core records one. */
    readonly signal: number | undefined,
    /** Command line from NT_PRPSINFO (first 80 bytes). */
    readonly commandLine: string,
    private readonly source: ByteSource,
    /** What the user should know once about this core (it is truncated, say). */
    readonly warnings: readonly string[] = [],
  ) {}

  close(): void {
    this.space.close();
    this.source.close();
  }
}

function toNumber(v: bigint | undefined): number {
  return v !== undefined && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : 0;
}

function registers(all: Record<string, bigint>): Registers {
  return { rip: toNumber(all.rip), rsp: toNumber(all.rsp), rbp: toNumber(all.rbp), all };
}

/** Opens a core file; throws FormatError or TargetError with one clear line on bad input. */
export function openCore(corePath: string, opts: OpenCoreOptions = {}): CoreTarget {
  const source = new FileByteSource(corePath);
  try {
    return buildCore(corePath, source, opts);
  } catch (e) {
    // Bad input arrives as our typed errors; anything else is a bug and stays one.
    source.close();
    throw e;
  }
}

/** End of x86-64 user space (47-bit addresses, Linux arch/x86/include/asm/page_64_types.h TASK_SIZE_MAX). */
const USER_SPACE_END = 0x8000_0000_0000;

function buildCore(corePath: string, source: ByteSource, opts: OpenCoreOptions): CoreTarget {
  const elf = ElfFile.open(source);
  if (elf.type !== ET_CORE) throw new FormatError(corePath, `is an ELF file but not a core (e_type ${elf.type}); pass a core dump`);
  if (elf.machine !== EM_X86_64) throw new FormatError(corePath, `is a core for machine ${elf.machine}; only x86-64 is supported`);

  // A truncated core is read as far as it goes, as gdb does: memory past the end is unreadable.
  const corePieces: Piece[] = [];
  let wanted = 0;
  let missing = 0;
  for (const [i, p] of elf.programHeaders.entries()) {
    if (p.type !== PT_LOAD) continue;
    // The kernel and gdb write p_filesz ≤ p_memsz, inside user space: anything else is damage,
    // not truncation, and would make every size below meaningless.
    if (p.filesz > p.memsz || p.vaddr + p.memsz > USER_SPACE_END) {
      throw new FormatError(corePath, `program header ${i} is corrupt (p_vaddr 0x${p.vaddr.toString(16)}, p_filesz 0x${p.filesz.toString(16)}, p_memsz 0x${p.memsz.toString(16)}): the core is damaged, not just cut short; write a new one`);
    }
    if (p.filesz === 0) continue;
    wanted += p.filesz;
    const have = Math.max(0, Math.min(p.filesz, source.size - p.offset));
    missing += p.filesz - have;
    if (have > 0) corePieces.push({ start: p.vaddr, end: p.vaddr + have, offset: p.offset, source: '' });
  }
  const warnings: string[] = [];
  if (missing > 0) {
    warnings.push(`${corePath} is truncated: ${formatMiB(wanted - missing)} of its ${formatMiB(wanted)} of memory are in the file (interrupted dump or full disk?); the rest reads as unreadable`);
  }

  // gcore writes the notes last: a cut core keeps its memory but loses threads and NT_FILE.
  const notesCut = elf.programHeaders.some((p) => p.type === PT_NOTE && p.offset + p.filesz > source.size);
  if (notesCut) {
    if (opts.binary === undefined) throw new FormatError(corePath, 'is truncated before its notes (threads, mapped files): pass the node binary it was made by with --binary to read its heap');
    warnings.push(`${corePath}: its notes lie past the cut, so it has no threads or mapped-file list; reading memory only, with ${opts.binary}`);
  }
  const notes = notesCut ? [] : elf.notes();
  const statuses = notes.filter((n) => n.name === 'CORE' && n.type === NT_PRSTATUS).map((n) => parsePrStatus(n.desc, corePath));
  if (statuses.length === 0 && !notesCut) throw new FormatError(corePath, 'core has no thread (no NT_PRSTATUS note)');
  const psinfoNote = notes.find((n) => n.name === 'CORE' && n.type === NT_PRPSINFO);
  const psinfo = psinfoNote ? parsePrPsInfo(psinfoNote.desc, corePath) : undefined;
  const fileNote = notes.find((n) => n.name === 'CORE' && n.type === NT_FILE);
  const files: FileMapping[] = fileNote ? parseNtFile(fileNote.desc, corePath) : [];
  const auxvNote = notes.find((n) => n.name === 'CORE' && n.type === NT_AUXV);
  const auxv = auxvNote ? parseAuxv(auxvNote.desc) : new Map<number, number>();
  const sigNote = notes.find((n) => n.name === 'CORE' && n.type === NT_SIGINFO);
  const signal = sigNote ? parseSigInfo(sigNote.desc) : undefined;

  const exe = findExecutable(files, auxv, psinfo?.fname) ?? (notesCut ? opts.binary : undefined);
  if (!exe) throw new FormatError(corePath, 'core names no executable (no NT_FILE note covering the entry point)');
  const binaryPath = opts.binary ?? exe;
  if (!existsSync(binaryPath)) {
    throw new TargetError(opts.binary
      ? `${opts.binary}: no such binary`
      : `${corePath}: the binary it was made from (${exe}) is not on this machine; pass it with --binary`);
  }
  const resolvePath = (p: string): string => (p === exe ? binaryPath : p);

  const filePieces: Piece[] = files.map((f) => ({ start: f.start, end: f.end, offset: f.fileOffset, source: f.path }));
  const coreOnly = new SplicedMemory(source, corePieces, [], []);
  const identity = moduleIdentity(files, resolvePath, coreOnly);
  const loads: Mapping[] = elf.programHeaders
    .filter((p) => p.type === PT_LOAD)
    .map((p) => {
      const f = files.find((x) => p.vaddr >= x.start && p.vaddr < x.end);
      return {
        start: p.vaddr,
        end: p.vaddr + p.memsz,
        readable: (p.flags & PF_R) !== 0,
        writable: (p.flags & PF_W) !== 0,
        executable: (p.flags & PF_X) !== 0,
        ...(f ? { path: f.path, fileOffset: f.fileOffset + (p.vaddr - f.start) } : {}),
      };
    });
  // Mappings the core left out entirely (file-backed ones under coredump_filter 0x33) are known
  // only from NT_FILE; their bytes come from the file.
  const fileOnly = identity.fileMappings.filter((m) => !loads.some((l) => l.start < m.end && m.start < l.end));
  const maps = [...loads, ...fileOnly].sort((a, b) => a.start - b.start);
  const space = new SplicedMemory(source, corePieces, filePieces, maps, resolvePath);

  const modules = identity.modules;
  const main = modules.find((m) => m.path === exe && m.coreBuildId !== undefined) ?? modules.find((m) => m.path === exe);
  if (main && !opts.skipBuildIdCheck && main.buildId && main.coreBuildId && main.buildId !== main.coreBuildId) {
    throw new TargetError(`${binaryPath}: build-id ${main.buildId} does not match the core's ${main.coreBuildId}; ${corePath} was made by a different node binary, pass the matching one with --binary`);
  }

  const pid = psinfo?.pid ?? statuses[0]?.pid ?? 0;
  const threads: Thread[] = statuses.map((s) => ({
    tid: s.pid,
    regs: registers(s.regs),
    ...(s.pid === pid ? { name: 'main' } : {}),
    ...(s.cursig ? { signal: s.cursig } : {}),
  }));
  const publicModules: MappedModule[] = modules.map(({ coreBuildId: _c, ...m }) => m);
  return new CoreTarget(corePath, pid, space, threads, publicModules, exe, binaryPath, auxv, signal, psinfo?.psargs ?? '', source, warnings);
}

function formatMiB(bytes: number): string {
  return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
}

function findExecutable(files: FileMapping[], auxv: ReadonlyMap<number, number>, fname: string | undefined): string | undefined {
  const entry = auxv.get(AT_ENTRY);
  if (entry !== undefined) {
    const f = files.find((x) => entry >= x.start && entry < x.end);
    if (f) return f.path;
  }
  if (fname) {
    const f = files.find((x) => x.path.split('/').pop() === fname);
    if (f) return f.path;
  }
  return files[0]?.path;
}
