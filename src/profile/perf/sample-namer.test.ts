// Unit tests of SampleNamer on synthetic memory: a JIT frame found by the unwinder in a copied
// stack is named from its function slot (v8/frames at the layout's offsets, over the synthetic
// heap), a function a GC moved is followed, cached names are re-checked per batch, a full copy
// that ends inside the frame chain is marked [truncated stack], and callchain samples get kernel
// names, builtin names, [interpreted] / [JIT] and the resolver fallback, root first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Symbolizer } from '../../native/symbolizer.js';
import type { AddressSpace, Mapping } from '../../target/address-space.js';
import { readIntoByTryRead } from '../../target/address-space.js';
import { BuiltinRanges } from '../../v8/frames/builtin-ranges.js';
import { SyntheticHeap } from '../../v8/heap/testing/synthetic-heap.js';
import { frameLabel } from '../profile-model.js';
import type { JsFrameResolver } from './js-frame-resolver.js';
import { KallsymsIndex } from '../../native/kallsyms.js';
import { PERF_REG_X86, type PerfSample } from './perf-data.js';
import { SampleNamer, TRUNCATED } from './sample-namer.js';

const JIT = 0x3000_0000;
const STACK = 0x7ff0_0000_0000;
const USER_CONTEXT = 2n ** 64n - 512n;
const KERNEL_CONTEXT = 2n ** 64n - 128n;

/** The synthetic heap, an executable JIT range and an (empty) stack mapping as one space. */
class PiecesSpace implements AddressSpace {
  private readonly maps: Mapping[];
  constructor(private readonly h: SyntheticHeap) {
    this.maps = [
      { start: JIT, end: JIT + 0x1000, readable: true, writable: false, executable: true },
      { start: h.base, end: h.base + h.data.length, readable: true, writable: true, executable: false },
      { start: STACK, end: STACK + 0x10000, readable: true, writable: true, executable: false },
    ].sort((a, b) => a.start - b.start);
  }
  tryRead(address: number, length: number): Buffer | undefined {
    if (address >= this.h.base && address + length <= this.h.base + this.h.data.length) return Buffer.from(this.h.data.subarray(address - this.h.base, address - this.h.base + length));
    if (this.maps.some((m) => address >= m.start && address + length <= m.end)) return Buffer.alloc(length);
    return undefined;
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

function functionNamed(h: SyntheticHeap, name: string): number {
  const sfi = h.object(h.type('SHARED_FUNCTION_INFO_TYPE'), 56);
  h.setPointer(sfi, 16, h.seqString(name));
  h.setPointer(sfi, 32, h.oddball(4));
  h.data.writeUInt16LE(0xffff, sfi - h.base + 44);
  const fn = h.object(h.type('JS_FUNCTION_TYPE'), 64);
  h.setPointer(fn, 32, sfi);
  return fn;
}

function namerOver(h: SyntheticHeap, extra: { builtins?: BuiltinRanges; resolvers?: JsFrameResolver[]; kallsyms?: KallsymsIndex } = {}): SampleNamer {
  const space = new PiecesSpace(h);
  const symbolizer = new Symbolizer({ modules: [], executablePath: '/nonexistent', space });
  return new SampleNamer({ pid: 7, symbolizer, space, layout: h.layout, ...extra });
}

/** A sample in JIT code whose frame (fp = sp + 0x40) holds `fn` in its function slot and ends the chain. */
function jitSample(fn: number, copy = 0x100): PerfSample {
  const stack = Buffer.alloc(copy);
  stack.writeBigUInt64LE(BigInt(fn) + 1n, 0x40 - 16); // function slot (off_fp_function −16)
  stack.writeBigUInt64LE(BigInt(fn) + 1n, 0x40 - 8); // context slot: a tagged heap object
  const regsUser = new Map([[PERF_REG_X86.IP, BigInt(JIT + 0x10)], [PERF_REG_X86.SP, BigInt(STACK + 0x100)], [PERF_REG_X86.BP, BigInt(STACK + 0x140)]]);
  return { user: true, pid: 7, tid: 7, regsUser, stackUser: stack };
}

const labels = (frames: readonly { name: string; file?: string; line?: number }[]): string[] => frames.map((f) => frameLabel(f as never));

test('a JIT frame of a copied stack is named from its function slot through v8/frames', () => {
  const h = new SyntheticHeap();
  const fn = functionNamed(h, 'bucketize');
  const namer = namerOver(h);
  assert.deepEqual(labels(namer.stackOf(jitSample(fn))), ['bucketize']);
  assert.equal(namer.stats.jsResolved, 1);
  // A slot that holds no JSFunction stays [JIT].
  assert.deepEqual(labels(namer.stackOf(jitSample(h.seqString('not a function')))), ['[JIT]']);
});

test('a JSFunction a GC moved is followed through its forwarding map word', () => {
  const h = new SyntheticHeap();
  const from = functionNamed(h, 'moved');
  const to = h.alloc(64);
  h.data.copy(h.data, to - h.base, from - h.base, from - h.base + 64);
  h.setRaw(from, 0, to); // MapWord::FromForwardingAddress: the new address, untagged
  assert.deepEqual(labels(namerOver(h).stackOf(jitSample(from))), ['moved']);
});

test('a cached function address is re-checked once per batch', () => {
  const h = new SyntheticHeap();
  const fn = functionNamed(h, 'first');
  const other = functionNamed(h, 'second');
  const namer = namerOver(h);
  assert.deepEqual(labels(namer.stackOf(jitSample(fn))), ['first']);
  // A GC places another function (with another SharedFunctionInfo) at the same address.
  h.data.copy(h.data, fn - h.base, other - h.base, other - h.base + 64);
  assert.deepEqual(labels(namer.stackOf(jitSample(fn))), ['first'], 'same batch: the cached name');
  namer.beginBatch();
  assert.deepEqual(labels(namer.stackOf(jitSample(fn))), ['second'], 'next batch: re-validated');
});

test('a full copy that ends inside the frame chain is drawn under [truncated stack]', () => {
  const h = new SyntheticHeap();
  const fn = functionNamed(h, 'deep');
  // Frame 0 (fp = sp + 0x10) saves an fp beyond the 0x48-byte copy and returns into JIT code.
  const build = (): PerfSample => {
    const stack = Buffer.alloc(0x48);
    stack.writeBigUInt64LE(BigInt(STACK + 0x100 + 0x200), 0x10);
    stack.writeBigUInt64LE(BigInt(JIT + 0x20), 0x18);
    stack.writeBigUInt64LE(BigInt(fn) + 1n, 0x00);
    stack.writeBigUInt64LE(BigInt(fn) + 1n, 0x08);
    const regsUser = new Map([[PERF_REG_X86.IP, BigInt(JIT + 0x10)], [PERF_REG_X86.SP, BigInt(STACK + 0x100)], [PERF_REG_X86.BP, BigInt(STACK + 0x110)]]);
    return { user: true, pid: 7, tid: 7, regsUser, stackUser: stack };
  };
  const namer = namerOver(h);
  const full = namer.stackOf(build(), 0x48);
  assert.equal(full[0], TRUNCATED);
  assert.deepEqual(labels(full.slice(1)), ['[JIT]', 'deep']);
  assert.equal(namer.stats.cut, 1);
  assert.notEqual(namer.stackOf(build(), 0x1000)[0], TRUNCATED, 'a copy shorter than asked for reached the stack top');
});

test('callchain samples: kernel names, builtins, [interpreted], resolver fallback and [JIT], root first', () => {
  const h = new SyntheticHeap();
  const builtins = new BuiltinRanges([{ name: 'Builtins_ArrayPrototypePush', value: JIT + 0x800, size: 0x100 }, { name: 'Builtins_InterpreterEntryTrampoline', value: JIT + 0x900, size: 0x100 }], 0);
  const resolver: JsFrameResolver = { name: 'fake', resolve: (q) => (q.ip === JIT + 0x41 ? { name: 'caller', file: '/a.js', line: 1, kind: 'js' } : undefined) };
  const kallsyms = KallsymsIndex.load('ffffffff81000000 T do_syscall_64\nffffffff81000100 t other\n')!;
  const namer = namerOver(h, { builtins, resolvers: [resolver], kallsyms });
  const chain = [KERNEL_CONTEXT, 0xffffffff81000020n, USER_CONTEXT, JIT + 0x810, JIT + 0x41, JIT + 0x911, JIT + 0x61];
  const sample: PerfSample = {
    user: false,
    pid: 7,
    tid: 7,
    callchain: chain.map((a) =>
      a === KERNEL_CONTEXT ? { kind: 'context', context: 'kernel' } : a === USER_CONTEXT ? { kind: 'context', context: 'user' } : typeof a === 'bigint' ? { kind: 'kernel-ip', address: a } : { kind: 'ip', address: a },
    ),
  };
  const stack = namer.stackOf(sample);
  // Return addresses are looked up at ip − 1 (JIT + 0x41 → 0x40 asks the resolver with ip 0x41).
  assert.deepEqual(labels(stack), ['[JIT]', '[interpreted]', 'caller /a.js:1', 'Builtins_ArrayPrototypePush', 'do_syscall_64']);
  assert.equal(stack.find((f) => f.name === 'do_syscall_64')!.kind, 'kernel');
  assert.equal(stack.find((f) => f.name === 'Builtins_ArrayPrototypePush')!.kind, 'builtin');
});
