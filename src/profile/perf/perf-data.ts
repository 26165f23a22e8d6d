// A reader of perf.data files as `perf record` writes them (tools/perf/Documentation/
// perf.data-file-format.txt; record layouts from include/uapi/linux/perf_event.h): the header,
// the event attributes, and the data section's SAMPLE, MMAP, MMAP2, COMM and LOST records.
// Little-endian x86-64 only; everything is bounds-checked; only FormatError escapes.
import { FormatError } from '../../util/errors.js';


/**
 * Role: perf_regs.h indices of x86-64 user registers (arch/x86/include/uapi/asm/perf_regs.h),
 * as sample_regs_user bits and the keys of PerfSample.regsUser.
 */
export const PERF_REG_X86 = { AX: 0, BX: 1, CX: 2, DX: 3, SI: 4, DI: 5, BP: 6, SP: 7, IP: 8, FLAGS: 9, CS: 10, SS: 11, DS: 12, ES: 13, FS: 14, GS: 15, R8: 16, R9: 17, R10: 18, R11: 19, R12: 20, R13: 21, R14: 22, R15: 23 } as const;

/** Role: the fields of one perf_event_attr that decoding samples needs. */
export interface PerfAttr {
  readonly type: number;
  readonly config: bigint;
  readonly sampleType: bigint;
  readonly readFormat: bigint;
  readonly sampleIdAll: boolean;
  readonly sampleRegsUser: bigint;
  readonly sampleStackUser: number;
  readonly branchSampleType: bigint;
}

/** Role: one callchain entry: a user address (number), a kernel address, or a context marker. */
export type ChainEntry =
  | { readonly kind: 'ip'; readonly address: number }
  | { readonly kind: 'kernel-ip'; readonly address: bigint }
  | { readonly kind: 'context'; readonly context: 'hv' | 'kernel' | 'user' | 'guest' | 'guest-kernel' | 'guest-user' | 'unknown' };

/** Role: one PERF_RECORD_SAMPLE, decoded as far as profiling needs. */
export interface PerfSample {
  readonly ip?: bigint;
  readonly pid?: number;
  readonly tid?: number;
  /** perf clock, in ns. */
  readonly time?: bigint;
  readonly period?: bigint;
  readonly callchain?: readonly ChainEntry[];
  /** Sampled user registers by bit index of sample_regs_user (x86 perf_regs.h numbering). */
  readonly regsUser?: ReadonlyMap<number, bigint>;
  /** Copy of the user stack from the stack pointer up, when sample_stack_user was set. */
  readonly stackUser?: Buffer;
  /** Whether the sample hit user (vs kernel) mode (PERF_RECORD_MISC_USER). */
  readonly user: boolean;
}

/** Role: one PERF_RECORD_MMAP or MMAP2: a file (or anonymous region) mapped executable. */
export interface PerfMmap {
  readonly pid: number;
  readonly tid: number;
  readonly start: number;
  readonly length: number;
  readonly pgoff: number;
  readonly filename: string;
  /** Mapping protection (MMAP2 only; PROT_EXEC = 4). */
  readonly prot?: number;
  /** Whether the record describes a kernel mapping (misc cpumode kernel). */
  readonly kernel: boolean;
  /** Index of the record in the data section, to order it against samples. */
  readonly order: number;
}

/** Role: everything read from one perf.data file. */
export interface PerfData {
  readonly attrs: readonly PerfAttr[];
  readonly samples: Array<PerfSample & { readonly order: number }>;
  readonly mmaps: readonly PerfMmap[];
  readonly comms: ReadonlyMap<number, string>;
  /** Samples the kernel reported as lost (PERF_RECORD_LOST). */
  readonly lost: number;
}

// include/uapi/linux/perf_event.h: enum perf_event_sample_format.
/** Role: PERF_SAMPLE_* bits of sample_type. */
export const PERF_SAMPLE = {
  IP: 1n << 0n, TID: 1n << 1n, TIME: 1n << 2n, ADDR: 1n << 3n, READ: 1n << 4n, CALLCHAIN: 1n << 5n,
  ID: 1n << 6n, CPU: 1n << 7n, PERIOD: 1n << 8n, STREAM_ID: 1n << 9n, RAW: 1n << 10n,
  BRANCH_STACK: 1n << 11n, REGS_USER: 1n << 12n, STACK_USER: 1n << 13n, IDENTIFIER: 1n << 16n,
} as const;

// include/uapi/linux/perf_event.h: enum perf_event_type; tools/perf/util/event.h for user types.
/** Role: record types we read. */
export const PERF_RECORD = {
  MMAP: 1, LOST: 2, COMM: 3, SAMPLE: 9, MMAP2: 10,
  HEADER_ATTR: 64, HEADER_TRACING_DATA: 66, FINISHED_ROUND: 68, AUXTRACE: 71, COMPRESSED: 81,
} as const;

const MAGIC = 'PERFILE2';
const HEADER_SIZE = 104;
const MAX_CHAIN = 4096;
// PERF_RECORD_MISC_CPUMODE_MASK and values (perf_event.h).
const CPUMODE_MASK = 7;
const MISC_KERNEL = 1;
const MISC_USER = 2;
// enum perf_callchain_context (perf_event.h), as unsigned 64-bit values.
const CONTEXTS: ReadonlyMap<bigint, ChainEntry> = new Map([
  [2n ** 64n - 32n, { kind: 'context', context: 'hv' }],
  [2n ** 64n - 128n, { kind: 'context', context: 'kernel' }],
  [2n ** 64n - 512n, { kind: 'context', context: 'user' }],
  [2n ** 64n - 2048n, { kind: 'context', context: 'guest' }],
  [2n ** 64n - 2176n, { kind: 'context', context: 'guest-kernel' }],
  [2n ** 64n - 2560n, { kind: 'context', context: 'guest-user' }],
  [2n ** 64n - 4095n, { kind: 'context', context: 'unknown' }],
] as Array<[bigint, ChainEntry]>);
const PERF_CONTEXT_MAX = 2n ** 64n - 4095n;

/** Role: number of set bits in a 64-bit mask. */
export function popcount64(v: bigint): number {
  let n = 0;
  for (let x = v; x > 0n; x >>= 1n) if (x & 1n) n++;
  return n;
}

class Cursor {
  constructor(private readonly b: Buffer, public pos: number, private readonly end: number, private readonly file: string) {}
  need(n: number): void {
    if (n < 0 || this.pos + n > this.end) throw new FormatError(this.file, `record truncated at offset ${this.pos}`);
  }
  u32(): number { this.need(4); const v = this.b.readUInt32LE(this.pos); this.pos += 4; return v; }
  u64(): bigint { this.need(8); const v = this.b.readBigUInt64LE(this.pos); this.pos += 8; return v; }
  num(): number {
    const v = this.u64();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new FormatError(this.file, `value 0x${v.toString(16)} out of range at offset ${this.pos - 8}`);
    return Number(v);
  }
  bytes(n: number): Buffer { this.need(n); const v = this.b.subarray(this.pos, this.pos + n); this.pos += n; return v; }
  cstr(): string {
    const z = this.b.indexOf(0, this.pos);
    const stop = z < 0 || z > this.end ? this.end : z;
    const s = this.b.toString('utf8', this.pos, stop);
    this.pos = stop;
    return s;
  }
}

/** Role: decodes the perf_event_attr of `size` bytes at `off` (file header or PERF_RECORD_HEADER_ATTR). */
export function parseAttr(b: Buffer, off: number, size: number, file: string): PerfAttr {
  // struct perf_event_attr offsets (perf_event.h): type 0, size 4, config 8, sample_period 16,
  // sample_type 24, read_format 32, flag bits 40, branch_sample_type 72, sample_regs_user 80,
  // sample_stack_user 88.
  if (size < 96) throw new FormatError(file, `perf_event_attr of ${size} bytes is too old to read`);
  const flags = b.readBigUInt64LE(off + 40);
  return {
    type: b.readUInt32LE(off),
    config: b.readBigUInt64LE(off + 8),
    sampleType: b.readBigUInt64LE(off + 24),
    readFormat: b.readBigUInt64LE(off + 32),
    sampleIdAll: ((flags >> 18n) & 1n) === 1n,
    branchSampleType: b.readBigUInt64LE(off + 72),
    sampleRegsUser: b.readBigUInt64LE(off + 80),
    sampleStackUser: b.readUInt32LE(off + 88),
  };
}

function chainEntry(v: bigint): ChainEntry {
  if (v >= PERF_CONTEXT_MAX) return CONTEXTS.get(v) ?? { kind: 'context', context: 'unknown' };
  if (v <= BigInt(Number.MAX_SAFE_INTEGER)) return { kind: 'ip', address: Number(v) };
  return { kind: 'kernel-ip', address: v };
}

function parseSample(c: Cursor, a: PerfAttr, misc: number, file: string): PerfSample {
  const st = a.sampleType;
  const has = (bit: bigint): boolean => (st & bit) !== 0n;
  const out: { -readonly [K in keyof PerfSample]: PerfSample[K] } = { user: (misc & CPUMODE_MASK) === MISC_USER };
  if (has(PERF_SAMPLE.IDENTIFIER)) c.u64();
  if (has(PERF_SAMPLE.IP)) out.ip = c.u64();
  if (has(PERF_SAMPLE.TID)) { out.pid = c.u32(); out.tid = c.u32(); }
  if (has(PERF_SAMPLE.TIME)) out.time = c.u64();
  if (has(PERF_SAMPLE.ADDR)) c.u64();
  if (has(PERF_SAMPLE.ID)) c.u64();
  if (has(PERF_SAMPLE.STREAM_ID)) c.u64();
  if (has(PERF_SAMPLE.CPU)) { c.u32(); c.u32(); }
  if (has(PERF_SAMPLE.PERIOD)) out.period = c.u64();
  if (has(PERF_SAMPLE.READ)) throw new FormatError(file, 'PERF_SAMPLE_READ samples are not supported');
  if (has(PERF_SAMPLE.CALLCHAIN)) {
    const nr = c.num();
    if (nr > MAX_CHAIN) throw new FormatError(file, `callchain of ${nr} entries`);
    const chain: ChainEntry[] = [];
    for (let i = 0; i < nr; i++) chain.push(chainEntry(c.u64()));
    out.callchain = chain;
  }
  if (has(PERF_SAMPLE.RAW)) { const n = c.u32(); c.bytes(n); }
  if (has(PERF_SAMPLE.BRANCH_STACK)) {
    const nr = c.num();
    if (nr > MAX_CHAIN) throw new FormatError(file, `branch stack of ${nr} entries`);
    // PERF_SAMPLE_BRANCH_HW_INDEX (1 << 17) adds a u64 hw_idx before the entries.
    if ((a.branchSampleType & (1n << 17n)) !== 0n) c.u64();
    c.bytes(nr * 24);
  }
  if (has(PERF_SAMPLE.REGS_USER)) {
    const abi = c.u64();
    if (abi !== 0n) {
      const regs = new Map<number, bigint>();
      for (let bit = 0; bit < 64; bit++) if ((a.sampleRegsUser >> BigInt(bit)) & 1n) regs.set(bit, c.u64());
      out.regsUser = regs;
    }
  }
  if (has(PERF_SAMPLE.STACK_USER)) {
    const size = c.num();
    if (size > 0) {
      const data = c.bytes(size);
      const dyn = c.num();
      out.stackUser = data.subarray(0, Math.min(size, dyn));
    }
  }
  return out;
}

/** Role: one decoded data record: a sample, a mapping, a process name, lost samples, or one we skip. */
export type PerfDataRecord =
  | { readonly kind: 'sample'; readonly sample: PerfSample & { readonly order: number } }
  | { readonly kind: 'mmap'; readonly mmap: PerfMmap }
  | { readonly kind: 'comm'; readonly pid: number; readonly comm: string }
  | { readonly kind: 'lost'; readonly lost: number }
  | { readonly kind: 'other' };

/**
 * Role: decodes the record at `pos` of `b` (its header's size already checked to lie inside `b`);
 * `order` numbers it against the others. Shared by the file reader and the pipe-mode stream.
 */
export function parseDataRecord(b: Buffer, pos: number, attr: PerfAttr, order: number, file: string): PerfDataRecord | undefined {
  const type = b.readUInt32LE(pos);
  const misc = b.readUInt16LE(pos + 4);
  const size = b.readUInt16LE(pos + 6);
  const c = new Cursor(b, pos + 8, pos + size, file);
  switch (type) {
    case PERF_RECORD.SAMPLE:
      return { kind: 'sample', sample: { ...parseSample(c, attr, misc, file), order } };
    case PERF_RECORD.MMAP:
    case PERF_RECORD.MMAP2: {
      const pid = c.u32(), tid = c.u32();
      const [start64, length64, pgoff64] = [c.u64(), c.u64(), c.u64()];
      // Kernel maps ([kernel.kallsyms]_text, modules) lie above 2^53; kernel frames are
      // resolved through /proc/kallsyms instead.
      const limit = BigInt(Number.MAX_SAFE_INTEGER);
      if (start64 + length64 > limit || pgoff64 > limit) return { kind: 'other' };
      const start = Number(start64), length = Number(length64), pgoff = Number(pgoff64);
      let prot: number | undefined;
      if (type === PERF_RECORD.MMAP2) {
        // maj, min, ino, ino_generation — or the build-id union — then prot and flags.
        c.bytes(24);
        prot = c.u32();
        c.u32();
      }
      const filename = c.cstr();
      return { kind: 'mmap', mmap: { pid, tid, start, length, pgoff, filename, kernel: (misc & CPUMODE_MASK) === MISC_KERNEL, order, ...(prot !== undefined ? { prot } : {}) } };
    }
    case PERF_RECORD.COMM: {
      const pid = c.u32();
      c.u32();
      return { kind: 'comm', pid, comm: c.cstr() };
    }
    case PERF_RECORD.LOST:
      c.u64();
      return { kind: 'lost', lost: c.num() };
    case PERF_RECORD.COMPRESSED:
      throw new FormatError(file, 'compressed perf.data (perf record -z) is not supported');
    default:
      return undefined;
  }
}

/** Role: parses a whole perf.data file held in memory; `file` names it in errors. */
export function parsePerfData(b: Buffer, file = 'perf.data'): PerfData {
  if (b.length < HEADER_SIZE || b.toString('latin1', 0, 8) !== MAGIC) throw new FormatError(file, 'not a perf.data file (PERFILE2 magic)');
  const num = (off: number): number => {
    const v = b.readBigUInt64LE(off);
    if (v > BigInt(b.length)) throw new FormatError(file, `header field at ${off} points outside the file`);
    return Number(v);
  };
  const attrSize = num(16);
  const attrsOff = num(24), attrsSize = num(32), dataOff = num(40), dataSize = num(48);
  if (attrsOff + attrsSize > b.length || dataOff + dataSize > b.length) throw new FormatError(file, 'sections run past the end of the file (perf still writing?)');
  if (attrSize < 16 + 96 || attrsSize % attrSize !== 0) throw new FormatError(file, `bad attr_size ${attrSize}`);
  const attrs: PerfAttr[] = [];
  for (let off = attrsOff; off < attrsOff + attrsSize; off += attrSize) attrs.push(parseAttr(b, off, attrSize - 16, file));
  if (attrs.length === 0) throw new FormatError(file, 'no event attributes');
  const attr = attrs[0]!;
  if (attrs.some((a) => a.sampleType !== attr.sampleType)) throw new FormatError(file, 'events with different sample_type are not supported');
  const samples: Array<PerfSample & { order: number }> = [];
  const mmaps: PerfMmap[] = [];
  const comms = new Map<number, string>();
  let lost = 0;
  let pos = dataOff;
  const end = dataOff + dataSize;
  let order = 0;
  while (pos + 8 <= end) {
    const size = b.readUInt16LE(pos + 6);
    if (size < 8 || pos + size > end) throw new FormatError(file, `bad record size ${size} at offset ${pos}`);
    const r = parseDataRecord(b, pos, attr, order, file);
    if (r !== undefined) {
      order++;
      if (r.kind === 'sample') samples.push(r.sample);
      else if (r.kind === 'mmap') mmaps.push(r.mmap);
      else if (r.kind === 'comm') comms.set(r.pid, r.comm);
      else if (r.kind === 'lost') lost += r.lost;
    }
    pos += size;
  }
  return { attrs, samples, mmaps, comms, lost };
}
