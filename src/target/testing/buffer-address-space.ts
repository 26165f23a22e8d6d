// Test support: an AddressSpace over one buffer mapped at a base address, for unit tests of
// anything that reads target memory (malloc chains, libuv loops, heap pages). Not used by src.
import { BufferByteSource } from '../../io/byte-source.js';
import type { AddressSpace, Mapping } from '../address-space.js';
import { readIntoByTryRead } from '../address-space.js';

/** Role: an AddressSpace over one buffer mapped at `base`. */
export class BufferAddressSpace implements AddressSpace {
  private readonly source: BufferByteSource;
  constructor(readonly base: number, readonly data: Buffer) {
    this.source = new BufferByteSource('synthetic heap', data);
  }
  read(address: number, length: number): Buffer {
    return this.source.read(address - this.base, length);
  }
  tryRead(address: number, length: number): Buffer | undefined {
    return this.isMapped(address, length) ? this.read(address, length) : undefined;
  }
  isMapped(address: number, length = 1): boolean {
    return address >= this.base && address + length <= this.base + this.data.length;
  }
  readInto(address: number, target: Uint8Array, targetOffset: number, length: number): boolean {
    return readIntoByTryRead(this, address, target, targetOffset, length);
  }
  mappings(): readonly Mapping[] {
    return [{ start: this.base, end: this.base + this.data.length, readable: true, writable: true, executable: false }];
  }
}
