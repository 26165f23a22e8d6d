// Finds a module's separate debug file the way gdb does ("Separate Debug Files" in gdb's manual):
// by build-id, <root>/.build-id/<xx>/<rest>.debug; else by .gnu_debuglink, the named file in the
// module's directory, its .debug/ subdirectory, or <root>/<directory>. A found file must carry the
// module's build-id when both have one. Not a DWARF reader: only where the file is.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ElfFile } from '../elf/elf-file.js';

/** Role: the root of installed debug files (Debian's libc6-dbg and *-dbgsym install here). */
export const DEBUG_ROOT = '/usr/lib/debug';

/** Role: candidate paths of the separate debug file of `elf` (read from `path`), most specific first. */
export function debugFileCandidates(elf: ElfFile, path: string, root = DEBUG_ROOT): string[] {
  const out: string[] = [];
  const id = elf.buildId();
  if (id !== undefined && id.length > 2) out.push(join(root, '.build-id', id.slice(0, 2), `${id.slice(2)}.debug`));
  const link = debugLinkName(elf);
  if (link !== undefined) {
    const dir = dirname(path);
    out.push(join(dir, link), join(dir, '.debug', link), join(root, dir, link));
  }
  return out.filter((p) => p !== path);
}

/** Role: the first existing candidate (see debugFileCandidates), or undefined. */
export function findDebugFile(elf: ElfFile, path: string, root = DEBUG_ROOT): string | undefined {
  return debugFileCandidates(elf, path, root).find((p) => existsSync(p));
}

/** The file name in .gnu_debuglink (a NUL-terminated name, padding, then a CRC32), if any. */
function debugLinkName(elf: ElfFile): string | undefined {
  const s = elf.section('.gnu_debuglink');
  if (s === undefined || s.size < 5 || s.size > 4096) return undefined;
  const data = elf.sectionData(s);
  const end = data.indexOf(0);
  if (end <= 0) return undefined;
  const name = data.toString('latin1', 0, end);
  return name.includes('/') ? undefined : name;
}
