// Fuzzes the .eh_frame / .eh_frame_hdr parsers, the CFA row program and the expression machine
// with random and mutated bytes: only NodescopeErrors may escape, and every case ends (all loops
// are bounded by input length or fixed budgets; node:test's timeout catches a hang).
import { test } from 'node:test';
import fc from 'fast-check';
import { CfiTable } from './cfi-table.js';
import { evaluateExpression } from './expression.js';
import { EhFrameBuilder } from './testing/eh-frame-builder.js';
import { isNodescopeError } from '../util/errors.js';

const EH = 0x20000;
const HDR = 0x1f000;

function seed(): { eh: Buffer; hdr: Buffer } {
  const b = new EhFrameBuilder(EH);
  const c = b.cie();
  b.fde(c, 0x1000, 0x40, [0x41, 0x0e, 16, 0x86, 2, 0x43, 0x0d, 6, 0x4a, 0x0a, 0x0c, 7, 8, 0x41, 0x0b]);
  const plt = [0x77, 8, 0x80, 0, 0x3f, 0x1a, 0x3b, 0x2a, 0x33, 0x24, 0x22];
  b.fde(c, 0x2000, 0x40, [0x0f, plt.length, ...plt, 0x10, 3, 2, 0x73, 0x10]);
  const c2 = b.cie({ augmentation: 'zPLR' });
  b.fde(c2, 0x3000, 0x100, [0x42, 0x05, 12, 3, 0x11, 13, 0x7e]);
  const c3 = b.cie({ augmentation: 'zRS' });
  b.fde(c3, 0x4000, 0x10);
  return { eh: b.build(), hdr: b.hdr(HDR) };
}

/** Runs every lookup path over the given bytes; returns normally or with a typed error only. */
function exercise(eh: Buffer, hdr: Buffer | undefined, pcs: number[]): void {
  try {
    const table = new CfiTable({ name: 'fuzz .eh_frame', data: eh, vaddr: EH }, hdr ? { name: 'fuzz .eh_frame_hdr', data: hdr, vaddr: HDR } : undefined, () => undefined);
    for (const pc of pcs) {
      try {
        table.rowAt(pc);
      } catch (e) {
        if (!isNodescopeError(e)) throw e;
      }
    }
    table.ehFrame.scannedFdeCount();
  } catch (e) {
    if (!isNodescopeError(e)) throw e;
  }
}

const pcs = fc.array(fc.oneof(fc.integer({ min: 0xf00, max: 0x4100 }), fc.nat()), { minLength: 1, maxLength: 8 });

test('random bytes as .eh_frame and .eh_frame_hdr raise only typed errors', { timeout: 300_000 }, () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 512 }), fc.option(fc.uint8Array({ maxLength: 128 })), pcs, (eh, hdr, p) => {
      exercise(Buffer.from(eh), hdr ? Buffer.from(hdr) : undefined, p);
    }),
    { numRuns: 2000 },
  );
});

test('mutated real-shaped sections raise only typed errors', { timeout: 300_000 }, () => {
  const { eh, hdr } = seed();
  const mutation = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 12 });
  fc.assert(
    fc.property(mutation, fc.boolean(), fc.nat({ max: eh.length }), pcs, (muts, inHdr, cut, p) => {
      const e = Buffer.from(eh);
      const h = Buffer.from(hdr);
      for (const [at, v] of muts) {
        const target = inHdr && at % 3 === 0 ? h : e;
        target[at % target.length] = v;
      }
      exercise(e.subarray(0, Math.max(cut, 4)), h, [...p, 0x1000, 0x1010, 0x2005, 0x3050, 0x4000]);
      exercise(e, h, [0x1000, 0x1010, 0x2005, 0x3050, 0x4000]);
    }),
    { numRuns: 3000 },
  );
});

test('random DWARF expressions raise only typed errors', { timeout: 300_000 }, () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      try {
        evaluateExpression(Buffer.from(bytes), { register: (r) => BigInt(r) * 0x1000n, memory: (a) => (a < 0x100000n ? a ^ 0x55n : undefined) }, [0x7000n]);
      } catch (e) {
        if (!isNodescopeError(e)) throw e;
      }
    }),
    { numRuns: 5000 },
  );
});
