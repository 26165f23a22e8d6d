// glibc's malloc layout from libc6-dbg's DWARF against the documented facts, when this machine has it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ElfFile } from '../../elf/elf-file.js';
import { FileByteSource } from '../../io/byte-source.js';
import { mallocLayoutFromDwarf } from './malloc-dwarf.js';
import { factsLayout } from './malloc-facts.js';

const LIBC_DEBUG_DIR = '/usr/lib/debug/.build-id';
test("glibc's malloc_state from libc6-dbg matches the documented layout", (t) => {
  const libc = '/usr/lib/x86_64-linux-gnu/libc.so.6';
  if (!existsSync(libc) || !existsSync(LIBC_DEBUG_DIR)) return t.skip('no libc6-dbg');
  const id = ElfFile.open(new FileByteSource(libc)).buildId()!;
  const path = join(LIBC_DEBUG_DIR, id.slice(0, 2), `${id.slice(2)}.debug`);
  if (!existsSync(path)) return t.skip('libc6-dbg does not match the installed libc');
  const debug = ElfFile.open(new FileByteSource(path));
  const l = mallocLayoutFromDwarf(debug, path)!;
  assert.ok(l, 'the DWARF has malloc_state');
  const version = /release version (\d+)\.(\d+)/.exec(spawnSync(libc, { encoding: 'utf8' }).stdout)!;
  const facts = factsLayout([Number(version[1]), Number(version[2])]);
  assert.deepEqual(l.state, facts.state);
  assert.equal(l.tcacheChunkSize, facts.tcacheChunkSize);
  assert.equal(l.tcacheCountBytes, facts.tcacheCountBytes);
  assert.ok(facts.heapInfoSizes.includes(l.heapInfoSizes[0]!));
  debug.source.close();
});
