// Test helper: the plain frame-pointer walk (rbp chain) from a thread's registers, standing in
// for the native unwinder when checking the V8 frame model on real cores.
import type { AddressSpace } from '../../src/target/address-space.js';

/** Yields {fp, pc} from the innermost frame outwards while the rbp chain grows upwards. */
export function* walkFramePointers(space: AddressSpace, rbp: number, rip: number, max: number): Generator<{ fp: number; pc: number }> {
  let fp = rbp;
  let pc = rip;
  for (let i = 0; i < max && fp !== 0; i++) {
    yield { fp, pc };
    const b = space.tryRead(fp, 16);
    if (b === undefined) return;
    const next = Number(b.readBigUInt64LE(0));
    pc = Number(b.readBigUInt64LE(8));
    if (next <= fp) return;
    fp = next;
  }
}
