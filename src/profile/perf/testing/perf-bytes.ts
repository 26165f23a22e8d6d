// Byte builders for perf.data unit tests: little-endian words, records with their 8-byte
// header and padding, and MMAP2 records. Test support only; nothing in src/ imports it.
import { PERF_RECORD } from '../perf-data.js';

/** Role: a little-endian u64. */
export const u64 = (v: bigint | number): Buffer => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); return b; };

/** Role: a little-endian u32. */
export const u32 = (v: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; };

/** Role: a NUL-terminated string. */
export const cstr = (s: string): Buffer => Buffer.concat([Buffer.from(s), Buffer.alloc(1)]);

/** Role: a perf record: perf_event_header (type, misc, size) then `body`, padded to 8 bytes. */
export function record(type: number, misc: number, body: Buffer): Buffer {
  const pad = (8 - ((8 + body.length) % 8)) % 8;
  const h = Buffer.alloc(8);
  h.writeUInt32LE(type, 0); h.writeUInt16LE(misc, 4); h.writeUInt16LE(8 + body.length + pad, 6);
  return Buffer.concat([h, body, Buffer.alloc(pad)]);
}

/** Role: a user-mode PERF_RECORD_MMAP2 of `name` (prot r-x). */
export function mmap2(pid: number, start: number, len: number, pgoff: number, name: string): Buffer {
  return record(PERF_RECORD.MMAP2, 2, Buffer.concat([u32(pid), u32(pid), u64(start), u64(len), u64(pgoff), Buffer.alloc(24), u32(5), u32(2), cstr(name)]));
}

/** A perf.data with one attr (sample_type, regs mask, stack size) and the given records. */
export function perfFile(sampleType: bigint, records: Buffer[], regsMask = 0n, stackUser = 0): Buffer {
  const attr = Buffer.alloc(128);
  attr.writeUInt32LE(1, 0); attr.writeUInt32LE(128, 4);
  attr.writeBigUInt64LE(sampleType, 24);
  attr.writeBigUInt64LE(1n << 18n, 40);
  attr.writeBigUInt64LE(regsMask, 80);
  attr.writeUInt32LE(stackUser, 88);
  const fileAttr = Buffer.concat([attr, u64(0), u64(0)]);
  const data = Buffer.concat(records);
  const header = Buffer.alloc(104);
  header.write('PERFILE2', 0, 'latin1');
  header.writeBigUInt64LE(104n, 8);
  header.writeBigUInt64LE(BigInt(fileAttr.length), 16);
  header.writeBigUInt64LE(104n, 24); header.writeBigUInt64LE(BigInt(fileAttr.length), 32);
  header.writeBigUInt64LE(BigInt(104 + fileAttr.length), 40); header.writeBigUInt64LE(BigInt(data.length), 48);
  return Buffer.concat([header, fileAttr, data]);
}
