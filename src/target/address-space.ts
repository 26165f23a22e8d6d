// The one view of a process's memory that every higher layer reads: a core (PT_LOAD over NT_FILE
// files) or a live process (/proc/PID/mem). Reads are bounds-checked and throw ReadFault.
import { ReadFault } from '../util/errors.js';

/** A contiguous virtual range with what backs it, as in /proc/PID/maps or a core's NT_FILE. */
export interface Mapping {
  readonly start: number;
  readonly end: number;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly executable: boolean;
  /** Path of the mapped file, when the range maps one. */
  readonly path?: string;
  /** Offset of `start` in that file. */
  readonly fileOffset?: number;
}

/** Role: read memory of one target by virtual address. */
export interface AddressSpace {
  /** Reads exactly `length` bytes at `address`; throws ReadFault when any byte is unavailable. */
  read(address: number, length: number): Buffer;
  /** Like read, but returns undefined instead of throwing. */
  tryRead(address: number, length: number): Buffer | undefined;
  /** Whether `length` bytes at `address` are all readable. */
  isMapped(address: number, length?: number): boolean;
  /**
   * Copies `length` bytes at `address` into `target` (at `targetOffset`), bypassing caches, for
   * scans that read each byte once; returns false when any byte is unavailable.
   */
  readInto(address: number, target: Uint8Array, targetOffset: number, length: number): boolean;
  /** The mappings, sorted by start address. */
  mappings(): readonly Mapping[];
}

/** readInto for spaces whose reads are already cheap copies (buffers, stack copies): through tryRead. */
export function readIntoByTryRead(space: Pick<AddressSpace, 'tryRead'>, address: number, target: Uint8Array, targetOffset: number, length: number): boolean {
  const b = space.tryRead(address, length);
  if (b === undefined) return false;
  target.set(b, targetOffset);
  return true;
}

/** Reads a little-endian u32. */
export function readU32(space: AddressSpace, address: number): number {
  return space.read(address, 4).readUInt32LE(0);
}

/** Reads a little-endian u64 as a number; throws ReadFault if it does not fit below 2^53. */
export function readPtr(space: AddressSpace, address: number): number {
  const b = space.read(address, 8);
  const lo = b.readUInt32LE(0);
  const hi = b.readUInt32LE(4);
  if (hi >= 0x200000) throw new ReadFault(address, 8, 'target memory (value is not an address)');
  return hi * 0x1_0000_0000 + lo;
}

/** Reads a little-endian u64 as its two 32-bit halves (tagged words, Smis). */
export function readWord(space: AddressSpace, address: number): { lo: number; hi: number } {
  const b = space.read(address, 8);
  return { lo: b.readUInt32LE(0), hi: b.readUInt32LE(4) };
}

/** Reads a little-endian u64 as bigint (registers, raw edges). */
export function readU64Big(space: AddressSpace, address: number): bigint {
  return space.read(address, 8).readBigUInt64LE(0);
}

/** Finds the mapping holding `address` in mappings sorted by start (binary search). */
export function findMapping(maps: readonly Mapping[], address: number): Mapping | undefined {
  let lo = 0;
  let hi = maps.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const m = maps[mid]!;
    if (address < m.start) hi = mid - 1;
    else if (address >= m.end) lo = mid + 1;
    else return m;
  }
  return undefined;
}
