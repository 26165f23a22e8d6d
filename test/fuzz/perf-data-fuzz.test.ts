// fast-check fuzzing of the two perf.data readers (the file parser and the pipe-mode stream
// parser) and of the sample namer behind them: well-formed files built from random records
// (samples with callchains, user registers and stack copies, mmaps, comms, lost records, unknown
// types), then corrupted by random byte flips, truncations and size-field rewrites. Only our
// typed errors may escape, every case ends within its budget, and the stream parser agrees with
// itself whatever the chunking.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Symbolizer } from '../../src/native/symbolizer.js';
import { parsePerfData, PERF_RECORD, PERF_REG_X86, PERF_SAMPLE, type PerfDataRecord } from '../../src/profile/perf/perf-data.js';
import { PerfStreamParser } from '../../src/profile/perf/perf-stream.js';
import { SampleNamer } from '../../src/profile/perf/sample-namer.js';
import { cstr, mmap2, perfFile, record, u32, u64 } from '../../src/profile/perf/testing/perf-bytes.js';
import { BufferAddressSpace } from '../../src/target/testing/buffer-address-space.js';
import { isNodescopeError } from '../../src/util/errors.js';

const ST = PERF_SAMPLE.IP | PERF_SAMPLE.TID | PERF_SAMPLE.TIME | PERF_SAMPLE.CALLCHAIN | PERF_SAMPLE.REGS_USER | PERF_SAMPLE.STACK_USER;
const REGS_MASK = (1n << BigInt(PERF_REG_X86.BP)) | (1n << BigInt(PERF_REG_X86.SP)) | (1n << BigInt(PERF_REG_X86.IP));
const STACK = 64;
const BUDGET_MS = 2000;

const word = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
/** One sample record of sample type ST: ip, tid, time, callchain, user regs (BP, SP, IP), a stack copy. */
const sampleRecord = fc
  .record({ ip: word, pid: fc.integer({ min: 0, max: 9 }), time: fc.bigInt({ min: 0n, max: 1n << 40n }), chain: fc.array(word, { maxLength: 12 }), regs: fc.tuple(word, word, word), stack: fc.uint8Array({ maxLength: STACK }) })
  .map((s) =>
    record(
      PERF_RECORD.SAMPLE,
      2,
      Buffer.concat([
        u64(s.ip),
        u32(s.pid),
        u32(s.pid),
        u64(s.time),
        u64(s.chain.length),
        ...s.chain.map(u64),
        u64(2n), // PERF_SAMPLE_REGS_ABI_64
        ...s.regs.map(u64),
        u64(STACK),
        Buffer.concat([Buffer.from(s.stack), Buffer.alloc(STACK - s.stack.length)]),
        u64(s.stack.length),
      ]),
    ),
  );
const otherRecord = fc.oneof(
  fc.record({ start: fc.integer({ min: 0, max: 2 ** 40 }), len: fc.integer({ min: 0, max: 2 ** 24 }), name: fc.string({ maxLength: 20 }) }).map((m) => mmap2(1, m.start, m.len, 0, m.name)),
  fc.string({ maxLength: 16 }).map((c) => record(PERF_RECORD.COMM, 0, Buffer.concat([u32(1), u32(1), cstr(c)]))),
  fc.bigInt({ min: 0n, max: 1n << 32n }).map((n) => record(PERF_RECORD.LOST, 0, Buffer.concat([u64(1), u64(n)]))),
  // Kernel record types we do not read (11–63) are skipped by their size; 64 and up are perf's own.
  fc.tuple(fc.integer({ min: 11, max: 63 }), fc.uint8Array({ maxLength: 40 })).map(([type, body]) => record(type, 0, Buffer.from(body))),
);
const records = fc.array(fc.oneof(sampleRecord, otherRecord), { maxLength: 20 });

/** A corruption applied to a well-formed file: byte flips, a cut, a rewritten 16-bit or 64-bit field. */
const corruption = fc.oneof(
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }).map((flips) => (b: Buffer) => {
    const out = Buffer.from(b);
    for (const [at, v] of flips) out[at % out.length] = v;
    return out;
  }),
  fc.nat().map((n) => (b: Buffer) => b.subarray(0, n % (b.length + 1))),
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 0xffff })).map(([at, v]) => (b: Buffer) => {
    const out = Buffer.from(b);
    const o = at % Math.max(1, out.length - 2);
    out.writeUInt16LE(v, o);
    return out;
  }),
  fc.tuple(fc.nat(), word).map(([at, v]) => (b: Buffer) => {
    const out = Buffer.from(b);
    if (out.length >= 8) out.writeBigUInt64LE(v, at % (out.length - 7));
    return out;
  }),
);

function typedOnly(run: () => void): void {
  const t0 = performance.now();
  try {
    run();
  } catch (e) {
    assert.ok(isNodescopeError(e), `untyped error escaped: ${e instanceof Error ? e.stack : String(e)}`);
  }
  assert.ok(performance.now() - t0 < BUDGET_MS, `one case took ${(performance.now() - t0).toFixed(0)} ms`);
}

/** A pipe-mode stream of the same records: the magic, a 16-byte header, HEADER_ATTR, then the records. */
function stream(rs: readonly Buffer[]): Buffer {
  const attr = Buffer.alloc(128);
  attr.writeUInt32LE(1, 0);
  attr.writeUInt32LE(128, 4);
  attr.writeBigUInt64LE(ST, 24);
  attr.writeBigUInt64LE(REGS_MASK, 80);
  attr.writeUInt32LE(STACK, 88);
  return Buffer.concat([Buffer.from('PERFILE2', 'latin1'), u64(16), record(PERF_RECORD.HEADER_ATTR, 0, Buffer.concat([attr, u64(1)])), ...rs]);
}

function parseStream(bytes: Buffer, chunk: number): PerfDataRecord[] {
  const out: PerfDataRecord[] = [];
  const p = new PerfStreamParser((r) => out.push(r));
  for (let i = 0; i < bytes.length; i += chunk) p.push(bytes.subarray(i, i + chunk));
  p.end();
  return out;
}

test('parsePerfData: well-formed random files parse; corrupted ones end in a typed error', () => {
  fc.assert(
    fc.property(records, corruption, (rs, corrupt) => {
      const good = perfFile(ST, rs, REGS_MASK, STACK);
      const d = parsePerfData(good, 'fuzz.data');
      assert.equal(d.samples.length, rs.filter((r) => r.readUInt32LE(0) === PERF_RECORD.SAMPLE).length);
      typedOnly(() => parsePerfData(corrupt(good), 'fuzz.data'));
    }),
    { numRuns: 300, seed: 2026 },
  );
});

test('PerfStreamParser: any chunking of a stream gives the same records; corrupted streams end in a typed error', () => {
  fc.assert(
    fc.property(records, fc.integer({ min: 1, max: 97 }), corruption, (rs, chunk, corrupt) => {
      const good = stream(rs);
      assert.deepEqual(parseStream(good, chunk).map((r) => r.kind), parseStream(good, good.length).map((r) => r.kind));
      typedOnly(() => parseStream(corrupt(good), chunk));
    }),
    { numRuns: 300, seed: 2027 },
  );
});

test('SampleNamer names any parsed sample, garbage registers and stacks included, without an untyped error', () => {
  const space = new BufferAddressSpace(0x7ff0_0000_0000, Buffer.alloc(0x10000));
  const symbolizer = new Symbolizer({ modules: [], executablePath: '/nonexistent', space });
  const namer = new SampleNamer({ pid: 1, symbolizer, space });
  fc.assert(
    fc.property(records, corruption, (rs, corrupt) => {
      let d: ReturnType<typeof parsePerfData> | undefined;
      typedOnly(() => {
        d = parsePerfData(corrupt(perfFile(ST, rs, REGS_MASK, STACK)), 'fuzz.data');
      });
      for (const s of d?.samples ?? []) typedOnly(() => namer.stackOf(s, STACK));
    }),
    { numRuns: 200, seed: 2028 },
  );
});
