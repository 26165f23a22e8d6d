// Test helper: finds an official node binary unpacked under .cache/node (newest major first), or
// the running node, for tests that need a real ELF with many C++ symbols.
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** Role: repository root, from this file's place in dist/test/native. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Role: path of an official node binary from .cache/node, preferring `major`; else process.execPath. */
export function findNodeBinary(major?: number): string {
  const dir = join(repoRoot, '.cache', 'node');
  if (existsSync(dir)) {
    const versions = readdirSync(dir).filter((v) => existsSync(join(dir, v, 'bin', 'node')));
    versions.sort((a, b) => parseInt(b, 10) - parseInt(a, 10));
    const pick = versions.find((v) => major !== undefined && parseInt(v, 10) === major) ?? versions[0];
    if (pick) return join(dir, pick, 'bin', 'node');
  }
  return process.execPath;
}
