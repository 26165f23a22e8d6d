// Unit tests of the pipe-mode perf.data stream reader (records split across chunks, payloads that
// follow a record, bad streams), the stack walk's cut detection and the pipe ring sizing, on
// bytes built here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isNodescopeError } from '../../util/errors.js';
import { PERF_RECORD, PERF_SAMPLE, type PerfDataRecord } from './perf-data.js';
import { ringPages } from './perf-sampler.js';
import { PerfStreamParser } from './perf-stream.js';
import { mmap2, record, u32, u64 } from './testing/perf-bytes.js';

const pipeHeader = (): Buffer => Buffer.concat([Buffer.from('PERFILE2', 'latin1'), u64(16)]);
const ST = PERF_SAMPLE.IP | PERF_SAMPLE.TID | PERF_SAMPLE.TIME;

function headerAttr(sampleType: bigint): Buffer {
  const attr = Buffer.alloc(128);
  attr.writeUInt32LE(1, 0); attr.writeUInt32LE(128, 4);
  attr.writeBigUInt64LE(sampleType, 24);
  return record(PERF_RECORD.HEADER_ATTR, 0, Buffer.concat([attr, u64(42)]));
}
const sample = (ip: number, pid: number, time: number): Buffer => record(PERF_RECORD.SAMPLE, 2, Buffer.concat([u64(ip), u32(pid), u32(pid), u64(time)]));
function parseAll(stream: Buffer, chunk: number): PerfDataRecord[] {
  const out: PerfDataRecord[] = [];
  const p = new PerfStreamParser((r) => out.push(r));
  for (let i = 0; i < stream.length; i += chunk) p.push(stream.subarray(i, i + chunk));
  p.end();
  return out;
}

test('PerfStreamParser reads HEADER_ATTR, then samples and mmaps, whatever the chunking', () => {
  // A HEADER_FEATURE record (80), tracing data with 16 payload bytes after it, FINISHED_ROUND.
  const tracing = Buffer.concat([record(PERF_RECORD.HEADER_TRACING_DATA, 0, Buffer.concat([u32(16), u32(0)])), Buffer.alloc(16, 0xee)]);
  const stream = Buffer.concat([pipeHeader(), headerAttr(ST), record(80, 0, Buffer.alloc(20)), tracing, mmap2(7, 0x400000, 0x1000, 0, '/bin/fake'), sample(0x400100, 7, 1000), record(PERF_RECORD.FINISHED_ROUND, 0, Buffer.alloc(0)), sample(0x400200, 7, 2000)]);
  for (const chunk of [1, 3, 7, 64, stream.length]) {
    const rs = parseAll(stream, chunk);
    assert.deepEqual(rs.map((r) => r.kind), ['mmap', 'sample', 'sample'], `chunk ${chunk}`);
    const s = rs[2]!;
    assert.ok(s.kind === 'sample' && s.sample.ip === 0x400200n && s.sample.time === 2000n && s.sample.pid === 7);
    const m = rs[0]!;
    assert.ok(m.kind === 'mmap' && m.mmap.filename === '/bin/fake' && m.mmap.start === 0x400000);
  }
});

test('PerfStreamParser rejects a file header, samples before attrs, truncation and compression with FormatError', () => {
  const file = Buffer.concat([Buffer.from('PERFILE2', 'latin1'), u64(104), Buffer.alloc(96)]);
  const cases: Buffer[] = [
    file,
    Buffer.concat([pipeHeader(), sample(1, 1, 1)]),
    Buffer.concat([pipeHeader(), headerAttr(ST), sample(1, 1, 1).subarray(0, 20)]),
    Buffer.concat([pipeHeader(), record(PERF_RECORD.COMPRESSED, 0, Buffer.alloc(8))]),
    Buffer.from('not perf at all!'),
    Buffer.alloc(4),
  ];
  for (const c of cases) assert.throws(() => parseAll(c, 5), (e: unknown) => isNodescopeError(e), c.subarray(0, 24).toString('hex'));
});

test('PerfStreamParser lets only typed errors escape on flipped bytes', () => {
  const good = Buffer.concat([pipeHeader(), headerAttr(ST), mmap2(7, 0x400000, 0x1000, 0, '/bin/x'), sample(0x400100, 7, 1), sample(0x400104, 7, 2)]);
  let seed = 7;
  const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  for (let i = 0; i < 500; i++) {
    const b = Buffer.from(good);
    for (let k = 0; k < 3; k++) b[rnd(b.length)] = rnd(256);
    try { parseAll(b, 1 + rnd(40)); } catch (e) { assert.ok(isNodescopeError(e), String(e)); }
  }
});

test('ringPages gives powers of two that grow with rate and copy size, capped lower without root', () => {
  for (const [hz, copy] of [[99, 0], [99, 8192], [999, 32768], [20000, 65528]] as const) {
    for (const root of [true, false]) {
      const p = ringPages(hz, copy, root);
      assert.ok(p >= 8 && p <= (root ? 512 : 64) && (p & (p - 1)) === 0, `${hz} ${copy} ${root}: ${p}`);
    }
  }
  assert.ok(ringPages(999, 32768, true) > ringPages(99, 8192, true));
  assert.equal(ringPages(20000, 65528, false), 64);
});
