// Unit tests of the perf.data reader and the perf map resolver, on perf.data files built byte by
// byte here (frame naming: sample-namer.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isNodescopeError } from '../../util/errors.js';
import { parsePerfData, PERF_REG_X86, PERF_RECORD, PERF_SAMPLE } from './perf-data.js';
import { frameOfPerfMapName, parsePerfMap, WatchedPerfMapResolver } from './perf-map-resolver.js';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cstr, mmap2, perfFile, record, u32, u64 } from './testing/perf-bytes.js';

const USER = 2n ** 64n - 512n;
const KERNEL = 2n ** 64n - 128n;

test('parsePerfData reads samples with callchains, MMAP2, COMM and LOST', () => {
  const st = PERF_SAMPLE.IP | PERF_SAMPLE.TID | PERF_SAMPLE.TIME | PERF_SAMPLE.PERIOD | PERF_SAMPLE.CALLCHAIN;
  const sample = record(PERF_RECORD.SAMPLE, 2, Buffer.concat([
    u64(0x401010), u32(7), u32(8), u64(5000), u64(10101010),
    u64(6), u64(KERNEL), u64(0xffffffff81000010n), u64(USER), u64(0x401010), u64(0x7f0000001234), u64(0x402000),
  ]));
  const comm = record(PERF_RECORD.COMM, 0, Buffer.concat([u32(7), u32(7), cstr('node')]));
  const lost = record(PERF_RECORD.LOST, 0, Buffer.concat([u64(1), u64(3)]));
  const d = parsePerfData(perfFile(st, [comm, mmap2(7, 0x400000, 0x10000, 0, '/bin/fake'), sample, lost]));
  assert.equal(d.samples.length, 1);
  const s = d.samples[0]!;
  assert.equal(s.pid, 7); assert.equal(s.tid, 8); assert.equal(s.time, 5000n); assert.equal(s.user, true);
  assert.deepEqual(s.callchain!.map((e) => e.kind), ['context', 'kernel-ip', 'context', 'ip', 'ip', 'ip']);
  assert.equal(d.mmaps[0]!.filename, '/bin/fake');
  assert.equal(d.mmaps[0]!.prot, 5);
  assert.equal(d.comms.get(7), 'node');
  assert.equal(d.lost, 3);
});

test('parsePerfData reads user registers and stack copies; rejects bad files with FormatError', () => {
  const st = PERF_SAMPLE.IP | PERF_SAMPLE.TID | PERF_SAMPLE.REGS_USER | PERF_SAMPLE.STACK_USER;
  const mask = (1n << 6n) | (1n << 7n) | (1n << 8n);
  const stack = Buffer.alloc(32, 0xab);
  const s = record(PERF_RECORD.SAMPLE, 2, Buffer.concat([u64(0x401000), u32(1), u32(1), u64(2), u64(0x7ff0), u64(0x7fe0), u64(0x401000), u64(32), stack, u64(16)]));
  const d = parsePerfData(perfFile(st, [s], mask, 32));
  const r = d.samples[0]!;
  assert.equal(r.regsUser!.get(PERF_REG_X86.BP), 0x7ff0n);
  assert.equal(r.regsUser!.get(PERF_REG_X86.SP), 0x7fe0n);
  assert.equal(r.stackUser!.length, 16, 'dyn_size trims the copy');
  for (const bad of [Buffer.from('nope'), perfFile(st, [s], mask, 32).subarray(0, 200), perfFile(st, [Buffer.from([1, 0, 0, 0, 0, 0, 4, 0])], mask, 32)]) {
    assert.throws(() => parsePerfData(bad), (e: unknown) => isNodescopeError(e));
  }
  let truncated = perfFile(st, [s], mask, 32);
  truncated = Buffer.from(truncated);
  truncated.writeBigUInt64LE(BigInt(truncated.length * 2), 48);
  assert.throws(() => parsePerfData(truncated), (e: unknown) => isNodescopeError(e));
});

test('parsePerfData never lets an untyped error escape on flipped bytes', () => {
  const st = PERF_SAMPLE.IP | PERF_SAMPLE.TID | PERF_SAMPLE.CALLCHAIN;
  const base = perfFile(st, [mmap2(7, 0x400000, 0x10000, 0, '/bin/fake'), record(PERF_RECORD.SAMPLE, 2, Buffer.concat([u64(1), u32(7), u32(7), u64(2), u64(USER), u64(0x401000)]))]);
  let seed = 12345;
  const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  for (let i = 0; i < 2000; i++) {
    const b = Buffer.from(base);
    for (let k = 0; k < 3; k++) b[rand(b.length)] = rand(256);
    try { parsePerfData(b); } catch (e) { assert.ok(isNodescopeError(e), String(e)); }
  }
});

test('perf map parsing and names', () => {
  const e = parsePerfMap('1000 20 JS:*hot /app/x.js:3:10\n2000 10 Builtin:ArrayPush\nbad line\n');
  assert.equal(e.length, 2);
  assert.deepEqual(frameOfPerfMapName('JS:*hot /app/x.js:3:10'), { name: 'hot', file: '/app/x.js', line: 3, column: 10, kind: 'js' });
  assert.deepEqual(frameOfPerfMapName('Builtin:ArrayPush'), { name: 'ArrayPush', kind: 'builtin' });
});

test('WatchedPerfMapResolver re-reads the perf map after a miss, at most once per second', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nodescope-perfmap-'));
  try {
    const file = join(dir, 'perf-77.map');
    writeFileSync(file, '1000 100 JS:*early /app/a.js:1:1\n');
    let now = 0;
    const r = new WatchedPerfMapResolver(77, dir, () => now);
    const at = (ip: number): string | undefined => r.resolve({ pid: 77, ip, state: 'jit' })?.name;
    assert.equal(at(0x1010), 'early');
    appendFileSync(file, '2000 100 JS:*late /app/a.js:9:1\n');
    assert.equal(at(0x2010), undefined, 'within a second of the last read');
    now = 1500;
    assert.equal(at(0x2010), 'late');
    assert.equal(at(0x9000), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
