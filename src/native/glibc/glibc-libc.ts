// The glibc of a target: which mapped module is libc, its release (the `__libc_version` string,
// else the "release version X.Y" banner in its file), and where malloc's statics are: main_arena,
// tcache_key and mp_ are local symbols, named only in the separate debug file (libc6-dbg).
import type { ElfFile, ElfSymbol } from '../../elf/elf-file.js';
import { isNodescopeError, TargetError } from '../../util/errors.js';
import type { ModuleImage } from '../module-image.js';
import { factsLayout, type MallocLayout } from './malloc-facts.js';
import { mallocLayoutFromDwarf } from './malloc-dwarf.js';

/** Role: what malloc's walk needs to know of the target's glibc. */
export interface GlibcInfo {
  /** Path of libc as the target mapped it. */
  readonly path: string;
  /** Release, e.g. "2.36". */
  readonly version: string;
  readonly versionParts: readonly [number, number];
  /** The debug file the statics came from, when installed. */
  readonly debugFile?: string;
  /** Runtime address of main_arena (debug file only). */
  readonly mainArena?: number;
  /** Runtime address of tcache_key (glibc 2.34+, debug file only). */
  readonly tcacheKey?: number;
  /** malloc's struct layout: the debug file's DWARF when installed, else the documented facts. */
  readonly layout: MallocLayout;
}

/** Role: the module that is glibc's libc.so.6, or a TargetError (UNSUPPORTED) naming what the target uses. */
export function findLibc(images: readonly ModuleImage[]): ModuleImage {
  const libc = images.find((i) => /\/libc\.so\.6$/.test(i.module.path) || /\/libc-2\.\d+\.so$/.test(i.module.path));
  if (libc !== undefined) return libc;
  const musl = images.find((i) => /ld-musl|libc\.musl/.test(i.module.path));
  const other = images.find((i) => /libjemalloc|libtcmalloc|libmimalloc/.test(i.module.path));
  const what = musl ? `musl (${musl.module.path})` : other ? other.module.path : 'no glibc libc.so.6 is mapped';
  throw new TargetError(`malloc heap: only glibc's malloc is supported; this target uses ${what}`, 'UNSUPPORTED');
}

/** Role: reads the version and the malloc statics of `libc` (its file and, when installed, its debug file). */
export function glibcInfo(libc: ModuleImage): GlibcInfo {
  const elf = libc.file.elfFile();
  if (elf === undefined) throw new TargetError(`malloc heap: cannot read ${libc.filePath}: ${libc.problem ?? 'not an ELF file'}`);
  const debug = libc.file.debugElf();
  const syms = debug ? debug.elf.symbols() : [];
  const byName = (n: string): ElfSymbol | undefined => syms.find((s) => s.name === n && s.type === 1);
  const version = versionOf(elf, byName('__libc_version'));
  const parts = version.split('.').map(Number);
  const versionParts: [number, number] = [parts[0] ?? 0, parts[1] ?? 0];
  if (versionParts[0] !== 2 || versionParts[1] < 27) throw new TargetError(`malloc heap: glibc ${version} predates the malloc_state layout known here (2.27+)`, 'UNSUPPORTED');
  const arena = byName('main_arena');
  const key = byName('tcache_key');
  const layout = (debug ? guardDwarf(() => mallocLayoutFromDwarf(debug.elf, debug.path)) : undefined) ?? factsLayout(versionParts);
  if (arena !== undefined && arena.size !== layout.state.size) {
    throw new TargetError(`malloc heap: ${debug!.path} gives main_arena ${arena.size} bytes, not the ${layout.state.size} of struct malloc_state (${layout.source})`, 'UNSUPPORTED');
  }
  const bias = libc.module.bias;
  return {
    path: libc.module.path,
    version,
    versionParts,
    ...(debug ? { debugFile: debug.path } : {}),
    ...(arena ? { mainArena: arena.value + bias } : {}),
    ...(key ? { tcacheKey: key.value + bias } : {}),
    layout,
  };
}

/** A debug file whose DWARF cannot be read (FormatError) leaves the documented layout in charge. */
function guardDwarf(f: () => MallocLayout | undefined): MallocLayout | undefined {
  try {
    return f();
  } catch (e) {
    if (!isNodescopeError(e)) throw e;
    return undefined;
  }
}

const BANNER = Buffer.from('release version ', 'latin1');

function versionOf(elf: ElfFile, sym: ElfSymbol | undefined): string {
  if (sym !== undefined && sym.size > 0 && sym.size < 16) {
    try {
      const s = elf.readVaddr(sym.value, sym.size).toString('latin1').replace(/\0.*$/s, '');
      if (/^\d+\.\d+/.test(s)) return s;
    } catch (e) {
      // Not backed by the file (ReadFault): use the banner.
      if (!isNodescopeError(e)) throw e;
    }
  }
  const ro = elf.section('.rodata');
  if (ro !== undefined) {
    const data = elf.sectionData(ro);
    const at = data.indexOf(BANNER);
    if (at >= 0) {
      const m = /^(\d+\.\d+)/.exec(data.toString('latin1', at + BANNER.length, at + BANNER.length + 16));
      if (m) return m[1]!;
    }
  }
  throw new TargetError(`malloc heap: ${elf.source.name} names no glibc release`, 'UNSUPPORTED');
}

/** Role: one line naming the glibc release and where the walk's facts came from. */
export function describeGlibc(g: GlibcInfo): string {
  const arena = g.mainArena !== undefined ? `main_arena from ${g.debugFile}` : 'main_arena found by its self-linked bins (no debug file)';
  return `glibc ${g.version}; ${arena}; layout: ${g.layout.source}`;
}
