// Where the harness finds the repository, the scenario scripts and its caches. Works from the
// compiled files under dist/test/harness/ and from the sources alike.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Role: the repository root (the nearest folder upwards holding package.json and test/scenarios). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'test', 'scenarios'))) return dir;
    dir = resolve(dir, '..');
  }
  throw new Error('cannot find the nodescope repository root from ' + fileURLToPath(import.meta.url));
}

/** Role: folder of the scenario scripts (plain JS, not compiled). */
export function scenariosDir(): string {
  return join(repoRoot(), 'test', 'scenarios');
}

/** Role: folder of unpacked Node binaries, <repo>/.cache/node/<version>/bin/node. */
export function nodeCacheDir(): string {
  return process.env.NODESCOPE_NODE_CACHE ?? join(repoRoot(), '.cache', 'node');
}

/** Role: folder of cached scenario cores, <repo>/.cache/cores/<node version>/. */
export function coreCacheDir(): string {
  return process.env.NODESCOPE_CORE_CACHE ?? join(repoRoot(), '.cache', 'cores');
}
