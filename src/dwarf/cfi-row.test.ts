import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CfiTable } from './cfi-table.js';
import { EhFrameBuilder } from './testing/eh-frame-builder.js';
import { FormatError } from '../util/errors.js';

const EH = 0x40000;

function tableOf(build: (b: EhFrameBuilder) => void): CfiTable {
  const b = new EhFrameBuilder(EH);
  build(b);
  return new CfiTable({ name: '.eh_frame', data: b.build(), vaddr: EH }, { name: '.eh_frame_hdr', data: b.hdr(EH - 0x1000), vaddr: EH - 0x1000 });
}

test('a gcc-style prologue/epilogue gives the right rows at each pc', () => {
  // push rbp; mov rbp,rsp; push rbx; ... ; remember; leave-ish epilogue; restore
  const t = tableOf((b) => {
    const c = b.cie();
    b.fde(c, 0x1000, 0x40, [
      0x41, 0x0e, 16, 0x86, 2, // +1: def_cfa_offset 16; rbp at cfa-16
      0x43, 0x0d, 6, // +3: def_cfa_register rbp
      0x41, 0x83, 3, // +1: rbx at cfa-24
      0x4a, 0x0a, // +10: remember_state
      0x0c, 7, 8, 0xc6, 0xc3, // def_cfa rsp+8; restore rbp; restore rbx
      0x41, 0x0b, // +1: restore_state
    ]);
  });
  const at = (pc: number) => t.rowAt(pc)!;
  assert.deepEqual(at(0x1000).cfa, { kind: 'register', register: 7, offset: 8 });
  assert.deepEqual(at(0x1000).registers.get(16), { kind: 'offset', offset: -8 });
  assert.deepEqual(at(0x1001).cfa, { kind: 'register', register: 7, offset: 16 });
  assert.deepEqual(at(0x1001).registers.get(6), { kind: 'offset', offset: -16 });
  assert.deepEqual(at(0x1004).cfa, { kind: 'register', register: 6, offset: 16 });
  assert.deepEqual(at(0x1005).registers.get(3), { kind: 'offset', offset: -24 });
  const epi = at(0x100f);
  assert.deepEqual(epi.cfa, { kind: 'register', register: 7, offset: 8 });
  assert.equal(epi.registers.has(6), false);
  assert.equal(epi.registers.has(3), false);
  const after = at(0x1010);
  assert.deepEqual(after.cfa, { kind: 'register', register: 6, offset: 16 });
  assert.deepEqual(after.registers.get(3), { kind: 'offset', offset: -24 });
  assert.equal(t.rowAt(0x1040), undefined);
});

test('extended, _sf, same_value, undefined, register, val_offset and advance_loc1/2/4 rules', () => {
  const t = tableOf((b) => {
    const c = b.cie();
    b.fde(c, 0x2000, 0x100000, [
      0x05, 12, 3, // offset_extended r12 3*-8
      0x11, 13, 0x7e, // offset_extended_sf r13 -2*-8 = +16
      0x08, 14, // same_value r14
      0x07, 15, // undefined r15 (marks the outermost frame)
      0x09, 3, 0, // rbx in rax
      0x14, 1, 2, // val_offset rdx
      0x02, 0x10, 0x0e, 32, // advance_loc1 16; cfa offset 32
      0x03, 0x00, 0x01, 0x0e, 48, // advance_loc2 256
      0x04, 0x00, 0x00, 0x01, 0x00, 0x13, 0x7c, // advance_loc4 65536; def_cfa_offset_sf -4*-8 = 32
      0x2e, 5, // GNU_args_size
    ]);
  });
  const r = t.rowAt(0x2000)!;
  assert.deepEqual(r.registers.get(12), { kind: 'offset', offset: -24 });
  assert.deepEqual(r.registers.get(13), { kind: 'offset', offset: 16 });
  assert.deepEqual(r.registers.get(14), { kind: 'same-value' });
  assert.deepEqual(r.registers.get(15), { kind: 'undefined' });
  assert.deepEqual(r.registers.get(3), { kind: 'register', register: 0 });
  assert.deepEqual(r.registers.get(1), { kind: 'val-offset', offset: -16 });
  assert.deepEqual(t.rowAt(0x200f)!.cfa, { kind: 'register', register: 7, offset: 8 });
  assert.deepEqual(t.rowAt(0x2010)!.cfa, { kind: 'register', register: 7, offset: 32 });
  assert.deepEqual(t.rowAt(0x2110)!.cfa, { kind: 'register', register: 7, offset: 48 });
  assert.deepEqual(t.rowAt(0x12110)!.cfa, { kind: 'register', register: 7, offset: 32 });
});

test('CFA expressions are kept as expressions; unknown opcodes and unbalanced restore_state are FormatErrors', () => {
  const plt = [0x77, 8, 0x80, 0, 0x3f, 0x1a, 0x3b, 0x2a, 0x33, 0x24, 0x22];
  const t = tableOf((b) => {
    const c = b.cie();
    b.fde(c, 0x3000, 0x10, [0x0f, plt.length, ...plt]);
    b.fde(c, 0x3100, 0x10, [0x3c]);
    b.fde(c, 0x3200, 0x10, [0x0b]);
  });
  const r = t.rowAt(0x3000)!;
  assert.equal(r.cfa.kind, 'expression');
  assert.deepEqual([...(r.cfa as { expression: Buffer }).expression], plt);
  assert.throws(() => t.rowAt(0x3100), FormatError);
  assert.throws(() => t.rowAt(0x3200), FormatError);
});
