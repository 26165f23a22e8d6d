import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BufferByteSource } from '../io/byte-source.js';
import { FormatError } from '../util/errors.js';
import { ET_CORE, NT_FILE, NT_PRSTATUS, PT_LOAD, PT_NOTE } from './constants.js';
import { USER_REGS, parseNtFile, parsePrStatus } from './core-notes.js';
import { ElfFile } from './elf-file.js';
import { buildElf, encodeNotes, encodeNtFile, encodePrStatus } from './testing/build-elf.js';

const src = (b: Buffer): BufferByteSource => new BufferByteSource('t.core', b);

test('reads program headers and notes of a synthetic core', () => {
  const notes = encodeNotes([
    { name: 'CORE', type: NT_PRSTATUS, desc: encodePrStatus(42, { rip: 0x401000n, rsp: 0x7ffd0000n }, USER_REGS) },
    { name: 'CORE', type: NT_FILE, desc: encodeNtFile([{ start: 0x400000, end: 0x401000, offset: 0, path: '/bin/node' }]) },
  ]);
  const elf = ElfFile.open(src(buildElf(ET_CORE, [
    { type: PT_NOTE, vaddr: 0, data: notes },
    { type: PT_LOAD, vaddr: 0x10000, data: Buffer.from('abcd') },
  ])));
  assert.equal(elf.type, ET_CORE);
  assert.equal(elf.programHeaders.length, 2);
  assert.equal(elf.programHeaders[1]!.vaddr, 0x10000);
  const ns = elf.notes();
  assert.equal(ns.length, 2);
  const st = parsePrStatus(ns[0]!.desc, 't');
  assert.equal(st.pid, 42);
  assert.equal(st.regs.rip, 0x401000n);
  assert.equal(st.regs.rsp, 0x7ffd0000n);
  assert.deepEqual(parseNtFile(ns[1]!.desc, 't'), [{ start: 0x400000, end: 0x401000, fileOffset: 0, path: '/bin/node' }]);
  assert.equal(elf.readVaddr(0x10001, 2).toString(), 'bc');
});

test('rejects non-ELF, truncated and 32-bit input with FormatError', () => {
  assert.throws(() => ElfFile.open(src(Buffer.from('hello world'))), FormatError);
  assert.throws(() => ElfFile.open(src(Buffer.alloc(64))), FormatError);
  const good = buildElf(ET_CORE, [{ type: PT_LOAD, vaddr: 0x1000, data: Buffer.alloc(16) }]);
  assert.throws(() => ElfFile.open(src(good.subarray(0, 80))), /truncated/);
  const b32 = Buffer.from(good);
  b32[4] = 1;
  assert.throws(() => ElfFile.open(src(b32)), /64-bit/);
});

test('a note whose size overruns its segment is a FormatError', () => {
  const bad = Buffer.alloc(16);
  bad.writeUInt32LE(5, 0);
  bad.writeUInt32LE(1000, 4);
  const elf = ElfFile.open(src(buildElf(ET_CORE, [{ type: PT_NOTE, vaddr: 0, data: bad }])));
  assert.throws(() => elf.notes(), FormatError);
});

test('symbolsWithPrefix returns exactly the symbols symbols() has with that prefix', async () => {
  const { existsSync } = await import('node:fs');
  const { FileByteSource } = await import('../io/byte-source.js');
  const bin = process.execPath;
  if (!existsSync(bin)) return;
  const elf = ElfFile.open(new FileByteSource(bin));
  try {
    const all = elf.symbols().filter((s) => s.name.startsWith('v8dbg_') || s.name.startsWith('uv_'));
    const some = elf.symbolsWithPrefix(['v8dbg_', 'uv_']);
    assert.deepEqual(some.map((s) => s.name).sort(), all.map((s) => s.name).sort());
  } finally {
    elf.source.close();
  }
});
