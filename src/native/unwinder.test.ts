import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { buildElf } from '../elf/testing/build-elf.js';
import { ET_DYN, PF_R, PF_X, PT_GNU_EH_FRAME, PT_LOAD } from '../elf/constants.js';
import { EhFrameBuilder } from '../dwarf/testing/eh-frame-builder.js';
import type { AddressSpace, Mapping } from '../target/address-space.js';
import { readIntoByTryRead } from '../target/address-space.js';
import type { MappedModule, Thread } from '../target/target.js';
import { Symbolizer } from './symbolizer.js';
import { unwindThread } from './unwinder.js';

/** Sparse little-endian memory with explicit mappings. */
class FakeSpace implements AddressSpace {
  readonly words = new Map<number, bigint>();
  constructor(private readonly maps: Mapping[]) {}
  set(addr: number, v: number | bigint): void {
    this.words.set(addr, BigInt(v));
  }
  tryRead(address: number, length: number): Buffer | undefined {
    if (!this.maps.some((m) => address >= m.start && address + length <= m.end)) return undefined;
    const out = Buffer.alloc(length);
    const word = Buffer.alloc(8);
    for (let i = 0; i < length; i++) {
      const a = address + i;
      word.writeBigUInt64LE(this.words.get(a - (a % 8)) ?? 0n);
      out[i] = word[a % 8]!;
    }
    return out;
  }
  read(address: number, length: number): Buffer {
    return this.tryRead(address, length)!;
  }
  isMapped(address: number, length = 1): boolean {
    return this.tryRead(address, length) !== undefined;
  }
  readInto(address: number, target: Uint8Array, targetOffset: number, length: number): boolean {
    return readIntoByTryRead(this, address, target, targetOffset, length);
  }
  mappings(): readonly Mapping[] {
    return this.maps;
  }
}

const STACK = 0x7ff000000000;
const JIT = 0x3000_0000;
const BIAS = 0x5550_0000_0000;
const map = (start: number, end: number, executable: boolean): Mapping => ({ start, end, readable: true, writable: !executable, executable });
const thread = (rip: number, rsp: number, rbp: number): Thread => ({ tid: 7, regs: { rip, rsp, rbp, all: { rip: BigInt(rip), rsp: BigInt(rsp), rbp: BigInt(rbp), rbx: 0x1234n } } });

function withModule(run: (symbolizer: Symbolizer, module: MappedModule) => void): void {
  // One function at 0x1000..0x1100: push rbp at +0 (CFA rsp+16 after it, rbp at CFA-16).
  const eh = new EhFrameBuilder(0x3100);
  const cie = eh.cie();
  eh.fde(cie, 0x1000, 0x100, [0x41, 0x0e, 16, 0x86, 2]);
  const image = Buffer.alloc(0x4000);
  const hdr = eh.hdr(0x3000);
  hdr.copy(image, 0x3000);
  eh.build().copy(image, 0x3100);
  const elf = buildElf(ET_DYN, [
    { type: PT_LOAD, flags: PF_R | PF_X, vaddr: 0, data: image },
    { type: PT_GNU_EH_FRAME, flags: PF_R, vaddr: 0x3000, data: hdr },
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'nodescope-unwind-'));
  try {
    const path = join(dir, 'libfake.so');
    writeFileSync(path, elf);
    const module: MappedModule = { path, start: BIAS, end: BIAS + 0x4000, bias: BIAS };
    const symbolizer = new Symbolizer({ modules: [module], executablePath: '/nonexistent', space: new FakeSpace([]) });
    try {
      run(symbolizer, module);
    } finally {
      symbolizer.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('CFI frame, then JIT frames by rbp, then a CFI frame again, to rbp 0', () => {
  withModule((symbolizer) => {
    const space = new FakeSpace([map(STACK, STACK + 0x10000, false), map(JIT, JIT + 0x1000, true), map(BIAS, BIAS + 0x4000, true)]);
    const sp0 = STACK + 0x100;
    // Innermost: in the module function after `push rbp` (pc 0x1010): [sp] = saved rbp, [sp+8] = RA into JIT.
    const jitFp = STACK + 0x200;
    space.set(sp0, jitFp);
    space.set(sp0 + 8, JIT + 0x40);
    // JIT frame: [fp] = next fp, [fp+8] = RA back into the module function.
    const fp2 = STACK + 0x300;
    space.set(jitFp, fp2);
    space.set(jitFp + 8, BIAS + 0x1080);
    // The module function called from JIT, again after push rbp: its CFA is sp+16.
    // Its caller's rbp is [sp] where sp = jitFp + 16; make that frame end the walk.
    space.set(jitFp + 16, 0);
    space.set(jitFp + 24, JIT + 0x80);
    const stack = unwindThread({ space }, thread(BIAS + 0x1010, sp0, 0xdead), { symbolizer });
    assert.deepEqual(stack.frames.map((f) => [f.pc, f.method]), [
      [BIAS + 0x1010, 'initial'],
      [JIT + 0x40, 'cfi'],
      [BIAS + 0x1080, 'fp'],
      [JIT + 0x80, 'cfi'],
    ]);
    assert.equal(stack.frames[0]!.cfa, sp0 + 16);
    assert.equal(stack.frames[1]!.lookupPc, JIT + 0x3f);
    assert.equal(stack.frames[2]!.sp, jitFp + 16);
    assert.equal(stack.stop, 'end-of-stack');
    assert.equal(stack.frames[1]!.module, undefined);
    assert.ok(stack.frames[0]!.module?.endsWith('libfake.so'));
  });
});

test('garbage ends the walk with a reason: loops, unreadable frames, non-code pcs, the frame limit', () => {
  withModule((symbolizer) => {
    const space = new FakeSpace([map(STACK, STACK + 0x10000, false), map(JIT, JIT + 0x1000, true)]);
    const fp = STACK + 0x100;
    space.set(fp, fp); // rbp points at itself
    space.set(fp + 8, JIT + 0x10);
    const loop = unwindThread({ space }, thread(JIT, STACK, fp), { symbolizer });
    assert.equal(loop.stop, 'no-rule'); // the caller's rbp is not above its sp
    assert.equal(loop.frames.length, 2);

    assert.equal(unwindThread({ space }, thread(JIT, STACK, 0x1000), { symbolizer }).stop, 'no-rule');
    assert.equal(unwindThread({ space }, thread(JIT, STACK, STACK + 0x20000), { symbolizer }).stop, 'unreadable-memory');
    space.set(fp + 8, STACK + 0x40); // a return address into the (non-executable) stack
    space.set(fp, fp + 0x100);
    assert.equal(unwindThread({ space }, thread(JIT, STACK, fp), { symbolizer }).stop, 'pc-not-executable');

    // A long valid chain is cut at maxFrames.
    for (let i = 0; i < 100; i++) {
      space.set(STACK + 0x1000 + i * 16, STACK + 0x1000 + (i + 1) * 16);
      space.set(STACK + 0x1000 + i * 16 + 8, JIT + i);
    }
    const cut = unwindThread({ space }, thread(JIT, STACK, STACK + 0x1000), { symbolizer, maxFrames: 50 });
    assert.equal(cut.stop, 'max-frames');
    assert.equal(cut.frames.length, 50);
  });
});

test('random stack memory never throws and always ends', () => {
  withModule((symbolizer) => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { minLength: 64, maxLength: 64 }), fc.nat({ max: 63 }), fc.boolean(), (words, start, inModule) => {
        const space = new FakeSpace([map(STACK, STACK + 64 * 8, false), map(JIT, JIT + 0x1000, true), map(BIAS, BIAS + 0x4000, true)]);
        words.forEach((w, i) => space.set(STACK + i * 8, i % 3 === 0 ? STACK + Number(w % 64n) * 8 : i % 3 === 1 ? (w & 1n ? BIAS + 0x1000 + Number(w % 0x100n) : JIT + Number(w % 0x1000n)) : w));
        const rip = inModule ? BIAS + 0x1000 + (start % 0x100) : JIT + start;
        const stack = unwindThread({ space }, thread(rip, STACK + start * 8, STACK + ((start * 7) % 64) * 8), { symbolizer, maxFrames: 1000 });
        assert.ok(stack.frames.length >= 1 && stack.frames.length <= 1000, `${stack.frames.length} frames, ${stack.stop}`);
      }),
      { numRuns: 500 },
    );
  });
});
