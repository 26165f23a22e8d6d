// Works out each mapped file's load bias and build-id. A file may be mapped more than once with
// different biases: Node 22+ remaps V8's embedded builtins (part of the node binary's .text) into
// V8's code range. Each group of mappings that share one bias becomes its own module entry, so
// that pc − bias is an ELF virtual address in every one of them.
import { FileByteSource, type ByteSource } from '../../io/byte-source.js';
import { PF_R, PF_W, PF_X, PT_LOAD } from '../../elf/constants.js';
import { ElfFile } from '../../elf/elf-file.js';
import type { FileMapping } from '../../elf/core-notes.js';
import { ReadFault, isNodescopeError } from '../../util/errors.js';
import type { AddressSpace, Mapping } from '../address-space.js';
import type { MappedModule } from '../target.js';

/** A module plus the build-id found in target memory (for the mismatch check). */
export interface ModuleWithCoreId extends MappedModule {
  readonly coreBuildId?: string;
}

/** Modules, and mappings that only NT_FILE records (with flags from the file's program headers). */
export interface ModuleIdentity {
  readonly modules: ModuleWithCoreId[];
  /** Flags of each NT_FILE mapping, by its start address (for mappings the core has no PT_LOAD for). */
  readonly fileMappings: Mapping[];
}

interface Placed {
  readonly map: FileMapping;
  /** ELF virtual address of the mapping's start, when the file's program headers place it. */
  readonly vaddr?: number;
  readonly flags?: number;
}

/** Groups NT_FILE mappings by path and bias into modules with build-ids. */
export function moduleIdentity(files: readonly FileMapping[], resolvePath: (p: string) => string, coreOnly: AddressSpace): ModuleIdentity {
  const byPath = new Map<string, FileMapping[]>();
  for (const f of files) {
    const list = byPath.get(f.path) ?? [];
    list.push(f);
    byPath.set(f.path, list);
  }
  const modules: ModuleWithCoreId[] = [];
  const fileMappings: Mapping[] = [];
  for (const [path, maps] of byPath) {
    const elf = openElf(resolvePath(path));
    try {
      const placed: Placed[] = maps.map((m) => place(m, elf));
      for (const p of placed) {
        const f = p.flags;
        fileMappings.push({
          start: p.map.start,
          end: p.map.end,
          readable: f === undefined || (f & PF_R) !== 0,
          writable: f !== undefined && (f & PF_W) !== 0,
          executable: f !== undefined && (f & PF_X) !== 0,
          path,
          fileOffset: p.map.fileOffset,
        });
      }
      const buildId = elf?.buildId();
      const groups = new Map<number, Placed[]>();
      for (const p of placed) {
        const bias = p.vaddr !== undefined ? p.map.start - p.vaddr : p.map.start - p.map.fileOffset;
        const g = groups.get(bias) ?? [];
        g.push(p);
        groups.set(bias, g);
      }
      for (const [bias, g] of groups) {
        const start = Math.min(...g.map((p) => p.map.start));
        const end = Math.max(...g.map((p) => p.map.end));
        const head = g.find((p) => p.map.fileOffset === 0);
        const coreBuildId = head ? buildIdFromMemory(coreOnly, head.map.start, head.map.end) : undefined;
        modules.push({ path, start, end, bias, ...(buildId ? { buildId } : {}), ...(coreBuildId ? { coreBuildId } : {}) });
      }
    } finally {
      elf?.source.close();
    }
  }
  return { modules: modules.sort((a, b) => a.start - b.start), fileMappings };
}

/** Places a file mapping in the file's ELF address space via the PT_LOAD covering its offset. */
function place(map: FileMapping, elf: ElfFile | undefined): Placed {
  if (!elf) return { map };
  for (const p of elf.programHeaders) {
    if (p.type !== PT_LOAD) continue;
    const segStart = p.offset - (p.offset % 4096);
    if (map.fileOffset >= segStart && map.fileOffset < p.offset + Math.max(p.filesz, 1)) {
      return { map, vaddr: p.vaddr - (p.offset - map.fileOffset), flags: p.flags };
    }
  }
  return { map };
}

function openElf(path: string): ElfFile | undefined {
  let src: ByteSource | undefined;
  try {
    src = new FileByteSource(path, 1024 * 1024);
    return ElfFile.open(src);
  } catch (e) {
    // Missing, unreadable, or not an ELF file (a data file mapped by the process): typed errors.
    if (!isNodescopeError(e)) throw e;
    src?.close();
    return undefined;
  }
}

/** ByteSource view of target memory from `base`, so ElfFile can parse a mapped header. */
class MemorySource implements ByteSource {
  constructor(readonly name: string, private readonly space: AddressSpace, private readonly base: number, readonly size: number) {}
  read(offset: number, length: number): Buffer {
    if (offset < 0 || offset + length > this.size) throw new ReadFault(this.base + offset, length);
    return this.space.read(this.base + offset, length);
  }
  readInto(offset: number, target: Uint8Array, targetOffset: number, length: number): boolean {
    if (offset < 0 || offset + length > this.size) return false;
    return this.space.readInto(this.base + offset, target, targetOffset, length);
  }
  close(): void {}
}

function buildIdFromMemory(space: AddressSpace, start: number, end: number): string | undefined {
  if (!space.isMapped(start, 64)) return undefined;
  try {
    return ElfFile.open(new MemorySource('core memory', space, start, end - start)).buildId();
  } catch (e) {
    // Memory that is not an ELF image (FormatError) or not all there (ReadFault): no build-id.
    if (!isNodescopeError(e)) throw e;
    return undefined;
  }
}
