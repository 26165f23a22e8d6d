// Fuzz tier for the V8 model: frames and values of a real core read through an address space
// that corrupts a fraction of reads (seeded, reproducible). Only typed errors may escape, and
// every classification must end.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FileByteSource } from '../../src/io/byte-source.js';
import { ElfFile } from '../../src/elf/elf-file.js';
import { openCore } from '../../src/target/core/core-target.js';
import type { AddressSpace } from '../../src/target/address-space.js';
import { MutatingSpace } from '../fuzz/mutating-space.js';
import { Symbolizer } from '../../src/native/symbolizer.js';
import { unwindThread } from '../../src/native/unwinder.js';
import { loadV8Layout } from '../../src/v8/layout/v8-layout.js';
import { V8Heap } from '../../src/v8/heap/v8-heap.js';
import { previewValue } from '../../src/v8/heap/preview.js';
import { classifyV8Frame } from '../../src/v8/frames/v8-frame.js';
import { makeCore } from '../harness/make-core.js';
import { testedMajors } from '../harness/node-binaries.js';

/** An AddressSpace that flips bytes in about one read in `every`, from a seeded xorshift. */
class CorruptingSpace extends MutatingSpace {
  private state: number;
  constructor(inner: AddressSpace, seed: number, private readonly every: number) {
    super(inner);
    this.state = seed >>> 0 || 1;
  }
  private rand(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }
  protected mutate(_address: number, b: Buffer): Buffer {
    if (this.rand() % this.every !== 0 || b.length === 0) return b;
    const c = Buffer.from(b);
    const n = 1 + (this.rand() % 3);
    for (let i = 0; i < n; i++) c[this.rand() % c.length] = this.rand() & 0xff;
    return c;
  }
}

const major = testedMajors()[0];

test(`corrupted reads of a Node ${major} core never throw untyped errors`, { timeout: 300_000, skip: major === undefined }, async () => {
  const core = await makeCore(major!, 'sync-chain');
  const target = openCore(core.corePath, { binary: core.binary });
  const source = new FileByteSource(core.binary);
  try {
    const elf = ElfFile.open(source);
    const layout = loadV8Layout(elf, target.space, 0, { binaryName: core.binary });
    const symbolizer = new Symbolizer(target, { binary: core.binary });
    const frames = unwindThread(target, target.threads[0]!, { symbolizer, maxFrames: 500, symbolize: false }).frames;
    symbolizer.close();
    let js = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const heap = new V8Heap(new CorruptingSpace(target.space, seed, 7), layout);
      for (const nf of frames) {
        if (nf.fp === undefined) continue;
        const f = classifyV8Frame({ heap, positionTables: new Map() }, nf.fp, nf.pc);
        if (f.kind === 'js') js++;
        for (let i = 0; i < 8; i++) previewValue(heap, heap.word(nf.fp + 8 * i - 32));
      }
    }
    assert.ok(js > 0, 'some JS frames survive light corruption');
  } finally {
    source.close();
    target.close();
  }
});
