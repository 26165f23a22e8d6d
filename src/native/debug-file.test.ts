// Separate debug files on real ELF files: a shared object built with gcc, its symbols moved to a
// debug file (objcopy --only-keep-debug), then stripped; found by build-id and by .gnu_debuglink.
// Also the installed libc and libc6-dbg, when this machine has them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ElfFile } from '../elf/elf-file.js';
import { FileByteSource } from '../io/byte-source.js';
import { debugFileCandidates, findDebugFile } from './debug-file.js';
import { ModuleFile } from './module-image.js';

const dir = mkdtempSync(join(tmpdir(), 'nodescope-debugfile-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
}

const haveTools = ['gcc', 'objcopy', 'strip'].every((t) => spawnSync(t, ['--version'], { timeout: 10_000 }).status === 0);

/** Builds lib.so with a static (local) function, splits its symbols off, strips it. */
function stripped(name: string, buildId: boolean): { so: string; debug: string; fn: string } {
  const src = join(dir, `${name}.c`);
  writeFileSync(src, 'static int __attribute__((noinline)) hidden_helper(int x) { return x * 3 + 1; }\nint api(int x) { return hidden_helper(x) + 2; }\n');
  const so = join(dir, `${name}.so`);
  run('gcc', ['-O1', '-g', '-shared', '-fPIC', `-Wl,--build-id=${buildId ? 'sha1' : 'none'}`, '-o', so, src]);
  const debug = join(dir, `${name}.so.debug`);
  run('objcopy', ['--only-keep-debug', so, debug]);
  run('strip', ['--strip-all', so]);
  run('objcopy', [`--add-gnu-debuglink=${debug}`, so]);
  return { so, debug, fn: 'hidden_helper' };
}

function vaddrOf(file: string, name: string): number {
  const elf = ElfFile.open(new FileByteSource(file));
  try {
    const s = elf.symbols().find((x) => x.name === name);
    assert.ok(s, `${name} in ${file}`);
    return s.value;
  } finally {
    elf.source.close();
  }
}

test('a stripped module names its local functions from the debug file its .gnu_debuglink names', { skip: !haveTools && 'needs gcc, objcopy, strip' }, () => {
  const { so, debug, fn } = stripped('linked', false);
  const at = vaddrOf(debug, fn);
  const bare = new ModuleFile(so, join(dir, 'no-such-root'));
  // Beside the module: found through the link.
  assert.equal(bare.debugElf()?.path, debug);
  assert.equal(bare.symbols()?.lookup(at + 1)?.name, fn);
  bare.close();
  // Without the debug file, the stripped file alone does not know the function.
  rmSync(debug);
  const none = new ModuleFile(so, join(dir, 'no-such-root'));
  assert.equal(none.debugElf(), undefined);
  assert.notEqual(none.symbols()?.lookup(at + 1)?.name, fn);
  none.close();
});

test('a module with a build-id finds <root>/.build-id/xx/rest.debug and rejects a mismatched one', { skip: !haveTools && 'needs gcc, objcopy, strip' }, () => {
  const { so, debug, fn } = stripped('byid', true);
  const elf = ElfFile.open(new FileByteSource(so));
  const id = elf.buildId()!;
  const root = join(dir, 'root');
  const path = join(root, '.build-id', id.slice(0, 2), `${id.slice(2)}.debug`);
  assert.equal(debugFileCandidates(elf, so, root)[0], path);
  mkdirSync(join(root, '.build-id', id.slice(0, 2)), { recursive: true });
  copyFileSync(debug, path);
  rmSync(debug);
  assert.equal(findDebugFile(elf, so, root), path);
  elf.source.close();
  const f = new ModuleFile(so, root);
  assert.equal(f.symbols()?.lookup(vaddrOf(path, fn))?.name, fn);
  f.close();
  // A debug file of another build is not used.
  const other = stripped('other', true);
  copyFileSync(other.debug, path);
  const g = new ModuleFile(so, root);
  assert.equal(g.debugElf(), undefined);
  g.close();
});

const LIBC = '/usr/lib/x86_64-linux-gnu/libc.so.6';
test("the installed libc names its local functions from libc6-dbg (by build-id)", { skip: !existsSync(LIBC) && 'no libc at the Debian path' }, (t) => {
  const f = new ModuleFile(LIBC);
  const d = f.debugElf();
  if (d === undefined) {
    t.skip('libc6-dbg is not installed');
    f.close();
    return;
  }
  assert.match(d.path, /^\/usr\/lib\/debug\/\.build-id\//);
  const local = d.elf.symbols().find((s) => s.name === 'start_thread' && s.type === 2)!;
  assert.ok(local, 'libc6-dbg has start_thread');
  assert.equal(f.symbols()?.lookup(local.value + 4)?.name, 'start_thread');
  f.close();
});
