// Test support: an AddressSpace that reads back another's bytes with some flipped, the same
// bytes for the same (address, seed), as Delve fuzzes core memory under its model. About one byte
// in `rate` flips; the flips of each 4 KiB block come from a generator seeded by the block, so a
// read costs its flips, not its length.
import type { AddressSpace } from '../../src/target/address-space.js';
import { MutatingSpace } from './mutating-space.js';

const BLOCK = 4096;

/** Role: an AddressSpace whose bytes read back with about 1 in `rate` flipped, deterministically. */
export class FlippedSpace extends MutatingSpace {
  constructor(base: AddressSpace, private readonly seed: number, private readonly rate: number) {
    super(base);
  }

  /** The flips of the 4 KiB block `block`: [offset, xor mask] pairs. */
  private flips(block: number): number[] {
    let h = Math.imul((block % 0x7fffffff) ^ this.seed, 0x9e3779b1) ^ Math.floor(block / 0x7fffffff);
    const next = (): number => {
      h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
      h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
      h ^= h >>> 16;
      return h >>> 0;
    };
    const n = Math.floor(BLOCK / this.rate) + (next() % this.rate < BLOCK % this.rate ? 1 : 0);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(next() % BLOCK, 1 + (next() % 255));
    return out;
  }

  protected mutate(address: number, b: Buffer): Buffer {
    const out = Buffer.from(b);
    for (let block = Math.floor(address / BLOCK); block * BLOCK < address + b.length; block++) {
      const f = this.flips(block);
      for (let i = 0; i < f.length; i += 2) {
        const at = block * BLOCK + f[i]! - address;
        if (at >= 0 && at < out.length) out[at] = out[at]! ^ f[i + 1]!;
      }
    }
    return out;
  }
}
