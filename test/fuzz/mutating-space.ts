// Test support: the plumbing of an AddressSpace that hands back another's bytes changed by
// `mutate` (the fuzz spaces differ only in how they change them). Reads that fail stay failed;
// mappings are the base's.
import type { AddressSpace, Mapping } from '../../src/target/address-space.js';
import { readIntoByTryRead } from '../../src/target/address-space.js';

/** Role: an AddressSpace over `base` whose successful reads pass through `mutate`. */
export abstract class MutatingSpace implements AddressSpace {
  constructor(protected readonly base: AddressSpace) {}

  /** The bytes a read of `b` at `address` returns instead (may be `b` itself). */
  protected abstract mutate(address: number, b: Buffer): Buffer;

  read(address: number, length: number): Buffer {
    return this.mutate(address, this.base.read(address, length));
  }

  tryRead(address: number, length: number): Buffer | undefined {
    const b = this.base.tryRead(address, length);
    return b === undefined ? undefined : this.mutate(address, b);
  }

  isMapped(address: number, length?: number): boolean {
    return this.base.isMapped(address, length);
  }

  readInto(address: number, target: Uint8Array, targetOffset: number, length: number): boolean {
    return readIntoByTryRead(this, address, target, targetOffset, length);
  }

  mappings(): readonly Mapping[] {
    return this.base.mappings();
  }
}
