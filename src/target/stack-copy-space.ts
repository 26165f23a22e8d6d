// An AddressSpace for naming a sampled stack after the fact: the bytes of one thread's stack as
// copied at sample time (perf's sample_stack_user), over the live memory for everything else.
// The rest of that stack's mapping reads as unmapped, since it has moved on since the sample.
import { findMapping, type AddressSpace, type Mapping, readIntoByTryRead } from './address-space.js';
import { ReadFault } from '../util/errors.js';

/** Role: live memory with the current sample's stack copy laid over its stack mapping. */
export class StackCopySpace implements AddressSpace {
  private copyStart = 0;
  private copy: Buffer = Buffer.alloc(0);
  /** The stack mapping of the current sample: outside the copy, nothing of it is read. */
  private masked: { start: number; end: number } | undefined;

  constructor(private readonly live: AddressSpace) {}

  /** Lays `bytes`, copied from `sp` upwards, over the live memory (until the next call). */
  setStack(sp: number, bytes: Buffer): void {
    this.copyStart = sp;
    this.copy = bytes;
    const m = findMapping(this.live.mappings(), sp);
    this.masked = m !== undefined ? { start: m.start, end: m.end } : { start: sp, end: sp + bytes.length };
  }

  /** End of the copied range (sp + its length). */
  get copyEnd(): number {
    return this.copyStart + this.copy.length;
  }

  read(address: number, length: number): Buffer {
    const b = this.tryRead(address, length);
    if (b === undefined) throw new ReadFault(address, length, 'the sampled stack');
    return b;
  }

  tryRead(address: number, length: number): Buffer | undefined {
    const end = address + length;
    if (address >= this.copyStart && end <= this.copyEnd) return this.copy.subarray(address - this.copyStart, end - this.copyStart);
    if (this.masked !== undefined && address < this.masked.end && end > this.masked.start) return undefined;
    return this.live.tryRead(address, length);
  }

  isMapped(address: number, length = 1): boolean {
    return this.tryRead(address, length) !== undefined;
  }

  readInto(address: number, target: Uint8Array, targetOffset: number, length: number): boolean {
    return readIntoByTryRead(this, address, target, targetOffset, length);
  }

  mappings(): readonly Mapping[] {
    return this.live.mappings();
  }
}
