// Delve-style fuzzing of core memory: the stack analysis runs over a real core whose memory
// reads come back with bytes flipped (stacks, heap, everything), and must end every time with
// plain data or a typed error: no untyped exception, no hang.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Session } from '../../src/analysis/session.js';
import { stackAnalysis } from '../../src/analysis/stack.js';
import { CoreTarget } from '../../src/target/core/core-target.js';
import type { AddressSpace } from '../../src/target/address-space.js';
import { MutatingSpace } from './mutating-space.js';
import { isNodescopeError } from '../../src/util/errors.js';
import { makeCore } from '../harness/make-core.js';
import { testedMajors } from '../harness/node-binaries.js';

/** Role: an AddressSpace that flips about one byte in `rate` of every read, deterministically. */
class FlippingSpace extends MutatingSpace {
  constructor(private readonly inner: AddressSpace & { close(): void }, private readonly seed: number, private readonly rate: number) {
    super(inner);
  }
  protected mutate(address: number, b: Buffer): Buffer {
    const out = Buffer.from(b);
    for (let i = 0; i < out.length; i++) {
      const h = Math.imul((address + i) ^ this.seed, 0x9e3779b1) >>> 0;
      if (h % this.rate === 0) out[i] = (h >>> 8) & 0xff;
    }
    return out;
  }
  close(): void {
    this.inner.close();
  }
}

test('stack over flipped core memory: typed errors only, bounded', { timeout: 600_000 }, async () => {
  const major = testedMajors()[0]!;
  const r = await makeCore(major, 'sync-chain');
  let typed = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const real = Session.openCore(r.corePath, { binary: r.binary });
    const t = real.target as CoreTarget;
    const fuzzed = new CoreTarget(t.name, t.pid, new FlippingSpace(t.space, seed, seed % 2 ? 64 : 512), t.threads, t.modules, t.executablePath, t.binaryPath, t.auxv, t.signal, t.commandLine, openAgain(r.corePath));
    const s = new Session(fuzzed);
    try {
      const result = stackAnalysis(s, { maxFrames: 5000 });
      for (const th of result.threads) assert.ok(th.frames.length <= 5000);
      JSON.stringify(result);
    } catch (e) {
      if (!isNodescopeError(e)) throw new Error(`seed ${seed}: untyped ${(e as Error).stack}`);
      typed++;
    } finally {
      s.close();
      real.close();
    }
  }
  assert.ok(typed < 40, 'at least some corrupted cores still give a result');
});

function openAgain(path: string): import('../../src/io/byte-source.js').ByteSource {
  return { name: path, size: 0, read: () => Buffer.alloc(0), readInto: () => false, close: () => {} };
}
