// Works out each mapped file's load bias and build-id: from the file on disk (bias = address of
// the mapping at file offset 0 minus the file's lowest PT_LOAD page), and the build-id that the
// core's own copy of the ELF header page records, when the core kept it.
import { FileByteSource, type ByteSource } from '../../io/byte-source.js';
import { ElfFile } from '../../elf/elf-file.js';
import type { FileMapping } from '../../elf/core-notes.js';
import { ReadFault } from '../../util/errors.js';
import type { AddressSpace } from '../address-space.js';
import type { MappedModule } from '../target.js';

/** A module plus the build-id found in target memory (for the mismatch check). */
export interface ModuleWithCoreId extends MappedModule {
  readonly coreBuildId?: string;
}

/** Groups NT_FILE mappings by path into modules with bias and build-ids. */
export function moduleIdentity(files: readonly FileMapping[], resolvePath: (p: string) => string, coreOnly: AddressSpace): ModuleWithCoreId[] {
  const byPath = new Map<string, FileMapping[]>();
  for (const f of files) {
    const list = byPath.get(f.path) ?? [];
    list.push(f);
    byPath.set(f.path, list);
  }
  const out: ModuleWithCoreId[] = [];
  for (const [path, maps] of byPath) {
    const start = Math.min(...maps.map((m) => m.start));
    const end = Math.max(...maps.map((m) => m.end));
    const head = maps.find((m) => m.fileOffset === 0);
    let bias = head ? head.start : start;
    let buildId: string | undefined;
    const src = openQuietly(resolvePath(path));
    if (src) {
      try {
        const elf = ElfFile.open(src);
        if (head) bias = head.start - elf.loadBase();
        buildId = elf.buildId();
      } catch {
        // Not an ELF file (a data file mapped by the process): keep it without symbols.
      } finally {
        src.close();
      }
    }
    const coreBuildId = head ? buildIdFromMemory(coreOnly, head.start, head.end) : undefined;
    out.push({ path, start, end, bias, ...(buildId ? { buildId } : {}), ...(coreBuildId ? { coreBuildId } : {}) });
  }
  return out.sort((a, b) => a.start - b.start);
}

function openQuietly(path: string): ByteSource | undefined {
  try {
    return new FileByteSource(path, 1024 * 1024);
  } catch {
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
  close(): void {}
}

function buildIdFromMemory(space: AddressSpace, start: number, end: number): string | undefined {
  if (!space.isMapped(start, 64)) return undefined;
  try {
    return ElfFile.open(new MemorySource('core memory', space, start, end - start)).buildId();
  } catch {
    return undefined;
  }
}
