// The on-disk ELF of one mapped module, opened on first use: its function symbols and its CFI
// (.eh_frame via .eh_frame_hdr, or via PT_GNU_EH_FRAME when section headers are stripped).
// A file that is missing or not ELF yields no symbols and no CFI, with the reason kept. Symbols
// also come from the module's separate debug file when one is installed (debug-file.ts), as gdb
// names frames of a stripped libc from libc6-dbg.
import { FileByteSource } from '../io/byte-source.js';
import { ElfFile, type ProgramHeader } from '../elf/elf-file.js';
import { PF_X, PT_GNU_EH_FRAME, PT_LOAD } from '../elf/constants.js';
import { CfiTable } from '../dwarf/cfi-table.js';
import type { SectionBytes } from '../dwarf/eh-frame.js';
import { EhFrameHdr } from '../dwarf/eh-frame-hdr.js';
import { ModuleSymbols } from './module-symbols.js';
import { isNodescopeError } from '../util/errors.js';
import { DEBUG_ROOT, findDebugFile } from './debug-file.js';
import type { MappedModule } from '../target/target.js';

/**
 * Role: one ELF file on disk, opened on first use, with its symbol index, CFI and PT_LOADs built
 * once. Shared by every mapping of the file (Node 22+ maps the node binary twice).
 */
export class ModuleFile {
  private elf: ElfFile | undefined;
  private source: FileByteSource | undefined;
  private opened = false;
  private symbolIndex: ModuleSymbols | null | undefined;
  private cfiTable: CfiTable | null | undefined;
  private segments: readonly ProgramHeader[] | null | undefined;
  private debug: { path: string; elf: ElfFile; source: FileByteSource } | null | undefined;
  /** Why symbols or CFI are unavailable, when they are. */
  problem: string | undefined;

  constructor(
    readonly filePath: string,
    /** Where separate debug files are looked for (tests point it elsewhere). */
    private readonly debugRoot = DEBUG_ROOT,
  ) {}

  /**
   * Role: the function symbol index (the file's tables, then its debug file's), built on first
   * call; undefined when the file is unusable.
   */
  symbols(): ModuleSymbols | undefined {
    if (this.symbolIndex === undefined) {
      const elf = this.open();
      const debug = this.debugElf();
      this.symbolIndex = elf ? this.guard(() => ModuleSymbols.fromElfs(debug ? [elf, debug.elf] : [elf]), 'symbols') ?? null : null;
    }
    return this.symbolIndex ?? undefined;
  }

  /** Role: the separate debug file (path and ELF) matching this file's build-id, when installed. */
  debugElf(): { readonly path: string; readonly elf: ElfFile } | undefined {
    if (this.debug === undefined) {
      this.debug = null;
      const elf = this.open();
      const path = elf ? findDebugFile(elf, this.filePath, this.debugRoot) : undefined;
      if (elf !== undefined && path !== undefined) {
        let source: FileByteSource | undefined;
        try {
          source = new FileByteSource(path, 8 * 1024 * 1024);
          const d = ElfFile.open(source);
          const id = elf.buildId();
          const did = d.buildId();
          if (id === undefined || did === undefined || id === did) this.debug = { path, elf: d, source };
          else source.close();
        } catch (e) {
          if (!isNodescopeError(e)) throw e;
          source?.close();
        }
      }
    }
    return this.debug ?? undefined;
  }

  /** Role: the CFI table, built on first call; undefined when the file has no usable .eh_frame. */
  cfi(): CfiTable | undefined {
    if (this.cfiTable === undefined) {
      const elf = this.open();
      this.cfiTable = elf ? this.guard(() => loadCfi(elf), 'CFI') ?? null : null;
    }
    return this.cfiTable ?? undefined;
  }

  /** Role: the file's PT_LOAD segments; undefined when the file is unreadable. */
  loadSegments(): readonly ProgramHeader[] | undefined {
    if (this.segments === undefined) {
      const elf = this.open();
      this.segments = elf ? elf.programHeaders.filter((p) => p.type === PT_LOAD) : null;
    }
    return this.segments ?? undefined;
  }

  /** Releases the file handle (indexes already built stay usable). */
  close(): void {
    this.source?.close();
    this.source = undefined;
    this.debug?.source.close();
    if (this.debug) this.debug = undefined;
  }

  /** Role: the file as an ElfFile, opened on first use; undefined when it is unusable. */
  elfFile(): ElfFile | undefined {
    return this.open();
  }

  private open(): ElfFile | undefined {
    if (!this.opened) {
      this.opened = true;
      try {
        this.source = new FileByteSource(this.filePath, 8 * 1024 * 1024);
        this.elf = ElfFile.open(this.source);
      } catch (e) {
        if (!isNodescopeError(e)) throw e;
        this.problem = e.message;
        this.close();
      }
    }
    return this.elf;
  }

  private guard<T>(f: () => T | undefined, what: string): T | undefined {
    try {
      return f();
    } catch (e) {
      if (!isNodescopeError(e)) throw e;
      this.problem = `${what}: ${e.message}`;
      return undefined;
    }
  }
}

/** Role: one mapping of a module (its range and bias) over the shared ModuleFile. */
export class ModuleImage {
  readonly file: ModuleFile;

  constructor(
    readonly module: MappedModule,
    /** Where the file is read from (the path as mapped, or a --binary override), or the shared file. */
    file: string | ModuleFile,
  ) {
    this.file = typeof file === 'string' ? new ModuleFile(file) : file;
  }

  /** Where the file is read from. */
  get filePath(): string {
    return this.file.filePath;
  }

  /** Why symbols or CFI are unavailable, when they are. */
  get problem(): string | undefined {
    return this.file.problem;
  }

  /** Role: the function symbol index (in ELF vaddrs), shared by every mapping of the file. */
  symbols(): ModuleSymbols | undefined {
    return this.file.symbols();
  }

  /** Role: the CFI table (in ELF vaddrs), shared by every mapping of the file. */
  cfi(): CfiTable | undefined {
    return this.file.cfi();
  }

  /**
   * Role: whether runtime address `pc` lies in one of the file's PT_LOAD segments (the mapped
   * range alone can span unrelated memory when a file is mapped twice). Falls back to the mapped
   * range when the file cannot be read.
   */
  contains(pc: number): boolean {
    if (pc < this.module.start || pc >= this.module.end) return false;
    const segs = this.file.loadSegments();
    if (segs === undefined) return true;
    const v = pc - this.module.bias;
    return segs.some((p) => v >= p.vaddr && v < p.vaddr + p.memsz);
  }

  /** Role: whether ELF vaddr `vaddr` lies in an executable PT_LOAD of the file; undefined when the file is unreadable. */
  isExecutable(vaddr: number): boolean | undefined {
    const segs = this.file.loadSegments();
    if (segs === undefined) return undefined;
    return segs.some((p) => (p.flags & PF_X) !== 0 && vaddr >= p.vaddr && vaddr < p.vaddr + p.memsz);
  }

  /** Role: the ELF vaddr of a file offset inside some PT_LOAD's file bytes, or undefined. */
  vaddrOfFileOffset(offset: number): number | undefined {
    const p = this.file.loadSegments()?.find((q) => offset >= q.offset && offset < q.offset + q.filesz);
    return p === undefined ? undefined : p.vaddr + (offset - p.offset);
  }

  /** Releases the file handle (indexes already built stay usable). */
  close(): void {
    this.file.close();
  }
}

/** Builds the CFI table from sections, else from PT_GNU_EH_FRAME; undefined when there is none. */
function loadCfi(elf: ElfFile): CfiTable | undefined {
  const name = elf.source.name;
  const deref = (vaddr: number): number | undefined => {
    try {
      const b = elf.readVaddr(vaddr, 8);
      const hi = b.readUInt32LE(4);
      return hi < 0x200000 ? hi * 0x1_0000_0000 + b.readUInt32LE(0) : undefined;
    } catch (e) {
      // An address the file does not back (ReadFault): no pointer there.
      if (!isNodescopeError(e)) throw e;
      return undefined;
    }
  };
  const ehSec = elf.section('.eh_frame');
  const hdrSec = elf.section('.eh_frame_hdr');
  if (ehSec !== undefined && ehSec.size > 0) {
    const eh: SectionBytes = { name: `${name} .eh_frame`, data: elf.sectionData(ehSec), vaddr: ehSec.addr };
    const hdr: SectionBytes | undefined = hdrSec && hdrSec.size > 0 ? { name: `${name} .eh_frame_hdr`, data: elf.sectionData(hdrSec), vaddr: hdrSec.addr } : undefined;
    return new CfiTable(eh, hdr, deref);
  }
  // Stripped section headers: the header segment names .eh_frame's address; its length runs to
  // the end of the PT_LOAD that holds it.
  const ph = elf.programHeaders.find((p) => p.type === PT_GNU_EH_FRAME);
  if (ph === undefined || ph.filesz === 0) return undefined;
  const hdrBytes: SectionBytes = { name: `${name} PT_GNU_EH_FRAME`, data: elf.readVaddr(ph.vaddr, ph.filesz), vaddr: ph.vaddr };
  const ehVaddr = new EhFrameHdr(hdrBytes, deref).ehFramePtr;
  const seg = elf.programHeaders.find((p: ProgramHeader) => p.type === PT_LOAD && ehVaddr >= p.vaddr && ehVaddr < p.vaddr + p.filesz);
  if (seg === undefined) return undefined;
  const eh: SectionBytes = { name: `${name} .eh_frame`, data: elf.readVaddr(ehVaddr, seg.vaddr + seg.filesz - ehVaddr), vaddr: ehVaddr };
  return new CfiTable(eh, hdrBytes, deref);
}
