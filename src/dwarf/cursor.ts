// A bounds-checked little-endian reader over one section's bytes, with LEB128 (DWARF 5 §7.6).
// Every overrun or out-of-range value throws FormatError naming the section; nothing else escapes.
import { FormatError } from '../util/errors.js';

const TWO_32 = 0x1_0000_0000;

/** Role: sequential reader over a Buffer slice, positions relative to the Buffer start. */
export class Cursor {
  constructor(
    readonly data: Buffer,
    public pos: number,
    /** Exclusive end of the readable range (≤ data.length). */
    readonly end: number,
    /** Section name for error messages. */
    readonly where: string,
  ) {
    if (end > data.length || pos < 0 || pos > end) this.fail(`range ${pos}..${end} outside ${data.length} bytes`);
  }

  /** Throws a FormatError that names the section and the position. */
  fail(what: string): never {
    throw new FormatError(this.where, `${what} (at offset 0x${this.pos.toString(16)})`);
  }

  /** Bytes left before `end`. */
  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) this.fail(`truncated: need ${n} bytes, ${this.end - this.pos} left`);
  }

  u8(): number {
    this.need(1);
    return this.data[this.pos++]!;
  }

  u16(): number {
    this.need(2);
    const v = this.data.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }

  s16(): number {
    this.need(2);
    const v = this.data.readInt16LE(this.pos);
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.data.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  s32(): number {
    this.need(4);
    const v = this.data.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  /** Unsigned 64-bit as a number; values ≥ 2^53 are a FormatError (no x86-64 user address is). */
  u64(): number {
    this.need(8);
    const lo = this.data.readUInt32LE(this.pos);
    const hi = this.data.readUInt32LE(this.pos + 4);
    if (hi >= 0x200000) this.fail('64-bit value does not fit below 2^53');
    this.pos += 8;
    return hi * TWO_32 + lo;
  }

  /** Signed 64-bit as a number; magnitudes ≥ 2^53 are a FormatError. */
  s64(): number {
    this.need(8);
    const v = this.data.readBigInt64LE(this.pos);
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) this.fail('64-bit value out of range');
    this.pos += 8;
    return Number(v);
  }

  /** Unsigned LEB128; more than 53 significant bits is a FormatError. */
  uleb(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.u8();
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) {
        if (!Number.isSafeInteger(result)) this.fail('ULEB128 value out of range');
        return result;
      }
      mul *= 128;
    }
    this.fail('ULEB128 longer than 10 bytes');
  }

  /** Signed LEB128; magnitudes ≥ 2^53 are a FormatError. */
  sleb(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.u8();
      result += (b & 0x7f) * mul;
      mul *= 128;
      if ((b & 0x80) === 0) {
        if (b & 0x40) result -= mul;
        if (!Number.isSafeInteger(result)) this.fail('SLEB128 value out of range');
        return result;
      }
    }
    this.fail('SLEB128 longer than 10 bytes');
  }

  /** NUL-terminated string (ASCII/UTF-8), at most `max` bytes before the NUL. */
  cstring(max = 256): string {
    const limit = Math.min(this.end, this.pos + max + 1);
    const nul = this.data.indexOf(0, this.pos);
    if (nul < 0 || nul >= limit) this.fail('unterminated string');
    const s = this.data.toString('latin1', this.pos, nul);
    this.pos = nul + 1;
    return s;
  }

  /** The next `n` bytes as a view (no copy). */
  bytes(n: number): Buffer {
    if (n < 0) this.fail('negative length');
    this.need(n);
    const b = this.data.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  skip(n: number): void {
    if (n < 0) this.fail('negative skip');
    this.need(n);
    this.pos += n;
  }
}
