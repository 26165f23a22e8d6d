// Fuzzing of the ELF and core-note parsers: random and mutated inputs may only raise our typed
// errors, and every case ends quickly (the loops are bounded by the input).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BufferByteSource } from '../io/byte-source.js';
import { isNodescopeError } from '../util/errors.js';
import { ET_CORE, NT_AUXV, NT_FILE, NT_PRPSINFO, NT_PRSTATUS, PT_LOAD, PT_NOTE } from './constants.js';
import { USER_REGS, parseAuxv, parseNtFile, parsePrPsInfo, parsePrStatus, parseSigInfo } from './core-notes.js';
import { ElfFile } from './elf-file.js';
import { parseNotes } from './notes.js';
import { buildElf, encodeNotes, encodeNtFile, encodePrStatus } from './testing/build-elf.js';

function typedOnly(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!isNodescopeError(e)) throw e;
  }
}

function exercise(bytes: Buffer): void {
  typedOnly(() => {
    const elf = ElfFile.open(new BufferByteSource('fuzz', bytes));
    typedOnly(() => elf.sections());
    typedOnly(() => elf.symbols());
    typedOnly(() => elf.symbolsWithPrefix(['v8dbg_']));
    typedOnly(() => {
      for (const n of elf.notes()) {
        typedOnly(() => parsePrStatus(n.desc, 'fuzz'));
        typedOnly(() => parsePrPsInfo(n.desc, 'fuzz'));
        typedOnly(() => parseNtFile(n.desc, 'fuzz'));
        parseAuxv(n.desc);
        parseSigInfo(n.desc);
      }
    });
    typedOnly(() => elf.readVaddr(0x10000, 16));
  });
}

const seed = buildElf(ET_CORE, [
  {
    type: PT_NOTE,
    vaddr: 0,
    data: encodeNotes([
      { name: 'CORE', type: NT_PRSTATUS, desc: encodePrStatus(1, { rip: 0x401000n }, USER_REGS) },
      { name: 'CORE', type: NT_PRPSINFO, desc: Buffer.alloc(136) },
      { name: 'CORE', type: NT_AUXV, desc: Buffer.alloc(32) },
      { name: 'CORE', type: NT_FILE, desc: encodeNtFile([{ start: 0x400000, end: 0x401000, offset: 0, path: '/x' }]) },
    ]),
  },
  { type: PT_LOAD, vaddr: 0x10000, data: Buffer.alloc(64, 7) },
]);

test('random bytes raise only typed errors', { timeout: 60_000 }, () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 4096 }), (a) => exercise(Buffer.from(a))), { numRuns: 3000 });
});

test('a valid core with mutated bytes raises only typed errors', { timeout: 60_000 }, () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(seed.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 24 }), (flips) => {
      const b = Buffer.from(seed);
      for (const [i, v] of flips) b[i] = v;
      exercise(b);
    }),
    { numRuns: 5000 },
  );
});

test('note parsing never reads past its buffer', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 512 }), (a) => {
      typedOnly(() => {
        for (const n of parseNotes(Buffer.from(a), 'fuzz')) assert.ok(n.desc.length <= a.length);
      });
    }),
    { numRuns: 3000 },
  );
});
