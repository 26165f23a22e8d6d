import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AT_ENTRY, ET_CORE, NT_AUXV, NT_FILE, NT_PRSTATUS, PT_LOAD, PT_NOTE } from '../../elf/constants.js';
import { USER_REGS } from '../../elf/core-notes.js';
import { buildElf, encodeNotes, encodeNtFile, encodePrStatus } from '../../elf/testing/build-elf.js';
import { ReadFault, TargetError } from '../../util/errors.js';
import { openCore } from './core-target.js';

function auxv(pairs: [number, number][]): Buffer {
  const b = Buffer.alloc(16 * (pairs.length + 1));
  pairs.forEach(([k, v], i) => {
    b.writeBigUInt64LE(BigInt(k), i * 16);
    b.writeBigUInt64LE(BigInt(v), i * 16 + 8);
  });
  return b;
}

function fixture(): { dir: string; core: string; exe: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nodescope-core-'));
  const exe = join(dir, 'fake-node');
  // The "executable": 8 KiB whose second page holds a marker the core omits.
  const exeBytes = Buffer.alloc(8192);
  exeBytes.write('FROMFILE', 4096);
  writeFileSync(exe, exeBytes);
  const notes = encodeNotes([
    { name: 'CORE', type: NT_PRSTATUS, desc: encodePrStatus(7, { rip: 0x500010n, rsp: 0x600100n, rbp: 0x600200n }, USER_REGS) },
    { name: 'CORE', type: NT_PRSTATUS, desc: encodePrStatus(8, { rip: 0x500020n }, USER_REGS) },
    { name: 'CORE', type: NT_AUXV, desc: auxv([[AT_ENTRY, 0x500010]]) },
    { name: 'CORE', type: NT_FILE, desc: encodeNtFile([{ start: 0x500000, end: 0x502000, offset: 0, path: exe }]) },
  ]);
  const heap = Buffer.alloc(0x1000);
  heap.write('HEAPDATA', 0x100);
  const core = join(dir, 'core.7');
  writeFileSync(core, buildElf(ET_CORE, [
    { type: PT_NOTE, vaddr: 0, data: notes },
    { type: PT_LOAD, vaddr: 0x500000, data: Buffer.from('COREPAGE'), memsz: 0x2000 },
    { type: PT_LOAD, vaddr: 0x600000, data: heap, flags: 6 },
  ]));
  return { dir, core, exe };
}

test('threads, executable and spliced memory of a synthetic core', () => {
  const { core, exe } = fixture();
  const t = openCore(core);
  try {
    assert.equal(t.executablePath, exe);
    assert.deepEqual(t.threads.map((x) => x.tid), [7, 8]);
    assert.equal(t.threads[0]!.name, 'main');
    assert.equal(t.threads[0]!.regs.rip, 0x500010);
    assert.equal(t.threads[0]!.regs.rbp, 0x600200);
    // Core bytes win where the core has them; the file fills what the core omits.
    assert.equal(t.space.read(0x500000, 8).toString(), 'COREPAGE');
    assert.equal(t.space.read(0x501000, 8).toString(), 'FROMFILE');
    assert.equal(t.space.read(0x600100, 8).toString(), 'HEAPDATA');
    assert.throws(() => t.space.read(0x601000 - 4, 8), ReadFault);
    assert.equal(t.space.tryRead(0x700000, 1), undefined);
    assert.equal(t.modules[0]!.path, exe);
  } finally {
    t.close();
  }
});

test('a missing binary is a TargetError that says to pass --binary', () => {
  const { core } = fixture();
  assert.throws(() => openCore(core, { binary: '/nonexistent/node' }), TargetError);
});

test('a truncated core opens with a warning, and memory past its end is unreadable', () => {
  const { core, dir } = fixture();
  const bytes = readFileSync(core);
  const cut = join(dir, 'cut.core');
  writeFileSync(cut, bytes.subarray(0, bytes.length - 100));
  const whole = openCore(core);
  const t = openCore(cut);
  try {
    assert.deepEqual(whole.warnings, []);
    assert.equal(t.warnings.length, 1);
    assert.match(t.warnings[0]!, /cut\.core is truncated: .* of its .* of memory are in the file/);
    // The last PT_LOAD segment lost its last 100 bytes: its start still reads, its end does not.
    const last = [...whole.space.mappings()].filter((m) => whole.space.isMapped(m.end - 8, 8)).pop()!;
    assert.equal(t.space.isMapped(last.end - 8, 8), false);
  } finally {
    t.close();
    whole.close();
  }
});
