// A tiny ELF64 writer for unit tests: header, program headers with their bytes, and notes.
// Builds synthetic cores and executables; not a general linker.

/** One segment to lay out: type, flags, address, bytes in the file and size in memory. */
export interface SegmentSpec {
  readonly type: number;
  readonly flags?: number;
  readonly vaddr: number;
  readonly data: Buffer;
  readonly memsz?: number;
}

/** Encodes notes (name, type, desc) with 4-byte padding. */
export function encodeNotes(notes: readonly { name: string; type: number; desc: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  for (const n of notes) {
    const name = Buffer.from(n.name + '\0', 'latin1');
    const h = Buffer.alloc(12);
    h.writeUInt32LE(name.length, 0);
    h.writeUInt32LE(n.desc.length, 4);
    h.writeUInt32LE(n.type, 8);
    parts.push(h, pad4(name), pad4(n.desc));
  }
  return Buffer.concat(parts);
}

function pad4(b: Buffer): Buffer {
  const n = (4 - (b.length % 4)) % 4;
  return n ? Buffer.concat([b, Buffer.alloc(n)]) : b;
}

/** Builds an ELF64 file of `type` with the given segments, data following the headers. */
export function buildElf(type: number, segments: readonly SegmentSpec[], machine = 62): Buffer {
  const header = Buffer.alloc(64);
  header.writeUInt32BE(0x7f454c46, 0);
  header[4] = 2;
  header[5] = 1;
  header[6] = 1;
  header.writeUInt16LE(type, 16);
  header.writeUInt16LE(machine, 18);
  header.writeUInt32LE(1, 20);
  header.writeBigUInt64LE(64n, 32);
  header.writeUInt16LE(64, 52);
  header.writeUInt16LE(56, 54);
  header.writeUInt16LE(segments.length, 56);
  header.writeUInt16LE(64, 58);
  const phdrs = Buffer.alloc(56 * segments.length);
  let offset = 64 + phdrs.length;
  const datas: Buffer[] = [];
  segments.forEach((s, i) => {
    const o = i * 56;
    phdrs.writeUInt32LE(s.type, o);
    phdrs.writeUInt32LE(s.flags ?? 4, o + 4);
    phdrs.writeBigUInt64LE(BigInt(offset), o + 8);
    phdrs.writeBigUInt64LE(BigInt(s.vaddr), o + 16);
    phdrs.writeBigUInt64LE(BigInt(s.data.length), o + 32);
    phdrs.writeBigUInt64LE(BigInt(s.memsz ?? s.data.length), o + 40);
    phdrs.writeBigUInt64LE(1n, o + 48);
    datas.push(s.data);
    offset += s.data.length;
  });
  return Buffer.concat([header, phdrs, ...datas]);
}

/** Encodes an x86-64 NT_PRSTATUS desc for `pid` with the given registers (others zero). */
export function encodePrStatus(pid: number, regs: Record<string, bigint>, order: readonly string[]): Buffer {
  const d = Buffer.alloc(336);
  d.writeInt32LE(pid, 32);
  order.forEach((name, i) => d.writeBigUInt64LE(regs[name] ?? 0n, 112 + i * 8));
  return d;
}

/** Encodes an NT_FILE desc from (start, end, byte offset, path) rows, page size 4096. */
export function encodeNtFile(rows: readonly { start: number; end: number; offset: number; path: string }[]): Buffer {
  const head = Buffer.alloc(16 + rows.length * 24);
  head.writeBigUInt64LE(BigInt(rows.length), 0);
  head.writeBigUInt64LE(4096n, 8);
  rows.forEach((r, i) => {
    head.writeBigUInt64LE(BigInt(r.start), 16 + i * 24);
    head.writeBigUInt64LE(BigInt(r.end), 24 + i * 24);
    head.writeBigUInt64LE(BigInt(r.offset / 4096), 32 + i * 24);
  });
  return Buffer.concat([head, Buffer.from(rows.map((r) => r.path + '\0').join(''), 'utf8')]);
}
