// Unit tests of the sample model, the sinks and their readers on small synthetic profiles:
// each format is written, then read back by its tool's own parser where one exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { Profile as PProfile } from 'pprof-format';
import { readCollapsed, splitFolded } from './collapsed-reader.js';
import { CollapsedSink, foldedFrameText } from './collapsed-sink.js';
import { fromCpuProfile } from './cpuprofile-reader.js';
import { toCpuProfile } from './cpuprofile-sink.js';
import { readPprof } from './pprof-reader.js';
import { PprofSink } from './pprof-sink.js';
import { frameLabel, ProfileBuilder, totalSamples, type Frame, type Profile } from './profile-model.js';
import { parseProfile } from './read-profile.js';
import { formatFromPath } from './sink.js';
import { fromSpeedscope } from './speedscope-reader.js';
import { SPEEDSCOPE_SCHEMA, SpeedscopeSink } from './speedscope-sink.js';
import { topFrames } from './profile-summary.js';
import { classifyFrameName } from './classify-frame.js';

const main: Frame = { name: 'main', kind: 'native' };
const hot: Frame = { name: 'hot', file: '/app/x.js', line: 3, column: 10, kind: 'js' };
const cold: Frame = { name: 'cold;semi', file: '/app/x.js', line: 9, column: 1, kind: 'js' };
const gc: Frame = { name: '(garbage collector)', kind: 'gc' };
const sys: Frame = { name: 'do_syscall_64', kind: 'kernel' };

function sample(): Profile {
  const b = new ProfileBuilder();
  b.addStack([main, hot], 1, 0);
  b.addStack([main, hot], 1, 1000);
  b.addStack([main, hot], 1, 2000);
  b.addStack([main, cold], 1, 3000);
  b.addStack([gc], 1, 4000);
  b.addStack([main, sys], 1, 5000);
  return b.build({ pid: 42, mode: 'inspector', hz: 1000, durationMs: 6, startTime: 1_700_000_000_000, notes: [] });
}

/** Counts per stack of labels, for comparing profiles across formats. */
function stackCounts(p: Profile): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of p.stacks) {
    const k = s.frames.map((i) => frameLabel(p.frames[i]!)).join(' | ');
    m.set(k, (m.get(k) ?? 0) + s.count);
  }
  return m;
}

test('ProfileBuilder merges identical stacks and interns frames', () => {
  const p = sample();
  assert.equal(p.stacks.length, 4);
  assert.equal(totalSamples(p), 6);
  assert.equal(p.frames.length, 5);
  assert.deepEqual(p.stacks[0]!.timestamps, [0, 1000, 2000]);
  assert.equal(topFrames(p, 'self', 1)[0]!.label, 'hot /app/x.js:3:10');
  assert.equal(topFrames(p, 'total', 1)[0]!.label, 'main');
});

test('collapsed: escapes ; and round-trips kinds, positions and counts', () => {
  const p = sample();
  const text = new CollapsedSink().encode(p).toString();
  assert.match(text, /^main;cold\\;semi \/app\/x\.js:9:1_\[j\] 1$/m);
  assert.match(text, /^main;hot \/app\/x\.js:3:10_\[j\] 3$/m);
  assert.match(text, /^main;do_syscall_64_\[k\] 1$/m);
  assert.deepEqual(splitFolded('a\\;b;c\\\\;d'), ['a;b', 'c\\', 'd']);
  const back = readCollapsed(text);
  assert.deepEqual(stackCounts(back), stackCounts(p));
  const kinds = new Map(back.frames.map((f) => [f.name, f.kind]));
  assert.equal(kinds.get('hot'), 'js');
  assert.equal(kinds.get('do_syscall_64'), 'kernel');
  assert.equal(kinds.get('(garbage collector)'), 'gc');
  assert.equal(foldedFrameText({ name: 'a\nb', kind: 'other' }), 'a b');
  assert.throws(() => readCollapsed('no count here\n'), /expected/);
});

test('pprof: pprof-format decodes ours, leaf first, with cpu and sample values', () => {
  const p = sample();
  const gz = new PprofSink().encode(p);
  assert.equal(gz[0], 0x1f);
  const dec = PProfile.decode(gunzipSync(gz));
  const str = dec.stringTable.strings;
  assert.deepEqual(dec.sampleType.map((t) => `${str[Number(t.type)]}/${str[Number(t.unit)]}`), ['samples/count', 'cpu/nanoseconds']);
  assert.equal(Number(dec.period), 1_000_000);
  const fnName = new Map(dec.function.map((f) => [String(f.id), str[Number(f.name)]]));
  const locFn = new Map(dec.location.map((l) => [String(l.id), fnName.get(String(l.line[0]!.functionId))]));
  const hotSample = dec.sample.find((s) => Number(s.value[0]) === 3)!;
  assert.deepEqual(hotSample.locationId.map((id) => locFn.get(String(id))), ['hot', 'main']);
  assert.equal(Number(hotSample.value[1]), 3_000_000);
  const back = readPprof(gz);
  assert.deepEqual(stackCounts(back), stackCounts(p));
  assert.equal(back.meta.hz, 1000);
  assert.equal(back.frames.find((f) => f.name === 'do_syscall_64')!.kind, 'kernel');
  assert.throws(() => readPprof(Buffer.from([0x1f, 0x8b, 1, 2, 3])), /gzip/);
});

test('cpuprofile: satisfies Chrome DevTools structure rules and round-trips', () => {
  const p = sample();
  const cp = toCpuProfile(p);
  const ids = new Set(cp.nodes.map((n) => n.id));
  assert.equal(ids.size, cp.nodes.length, 'unique node ids');
  assert.equal(cp.nodes[0]!.callFrame.functionName, '(root)', 'root first');
  for (const n of cp.nodes) {
    for (const c of n.children) {
      assert.ok(ids.has(c));
      assert.equal(cp.nodes.find((x) => x.id === c)!.parent, n.id, 'parent matches children');
    }
    assert.equal(typeof n.callFrame.scriptId, 'string');
    assert.ok(Number.isInteger(n.callFrame.lineNumber) && Number.isInteger(n.callFrame.columnNumber));
  }
  assert.equal(cp.samples.length, cp.timeDeltas.length);
  for (const s of cp.samples) assert.ok(ids.has(s));
  assert.ok(cp.timeDeltas.every((d) => d >= 0));
  assert.ok(cp.endTime >= cp.startTime + cp.timeDeltas.reduce((a, b) => a + b, 0));
  const hotNode = cp.nodes.find((n) => n.callFrame.functionName === 'hot')!;
  assert.equal(hotNode.callFrame.lineNumber, 2, '0-based line');
  assert.equal(hotNode.callFrame.url, '/app/x.js');
  assert.equal(hotNode.hitCount, 3);
  const back = fromCpuProfile(JSON.parse(JSON.stringify(cp)));
  assert.deepEqual(stackCounts(back), stackCounts(p));
  assert.throws(() => fromCpuProfile({ nodes: [{ id: 1, callFrame: {} }], samples: [7] }), /missing node 7/);
  assert.throws(() => fromCpuProfile({ nodes: [{ id: 1, callFrame: {}, children: [1] }], samples: [1] }), /cyclic/);
});

test('speedscope: follows the file-format schema and round-trips', () => {
  const p = sample();
  const f = JSON.parse(new SpeedscopeSink().encode(p).toString());
  assert.equal(f.$schema, SPEEDSCOPE_SCHEMA);
  assert.ok(Array.isArray(f.shared.frames) && f.shared.frames.every((x: { name: unknown }) => typeof x.name === 'string'));
  const prof = f.profiles[0];
  assert.equal(prof.type, 'sampled');
  assert.ok(['none', 'nanoseconds', 'microseconds', 'milliseconds', 'seconds', 'bytes'].includes(prof.unit));
  assert.equal(prof.samples.length, prof.weights.length);
  assert.ok(prof.samples.every((s: number[]) => s.every((i) => Number.isInteger(i) && i >= 0 && i < f.shared.frames.length)));
  assert.ok(prof.endValue >= prof.startValue);
  assert.equal(prof.weights.reduce((a: number, b: number) => a + b, 0), prof.endValue - prof.startValue);
  const back = fromSpeedscope(f);
  assert.deepEqual(stackCounts(back), stackCounts(p));
});

test('parseProfile tells formats apart by content, formatFromPath by extension', () => {
  const p = sample();
  for (const bytes of [new CollapsedSink().encode(p), new PprofSink().encode(p), Buffer.from(JSON.stringify(toCpuProfile(p))), new SpeedscopeSink().encode(p)]) {
    assert.deepEqual(stackCounts(parseProfile(bytes, 'x')), stackCounts(p));
  }
  assert.equal(formatFromPath('a.pb.gz'), 'pprof');
  assert.equal(formatFromPath('a.cpuprofile'), 'cpuprofile');
  assert.equal(formatFromPath('a.speedscope.json'), 'speedscope');
  assert.equal(formatFromPath('a.folded'), 'collapsed');
  assert.equal(formatFromPath('a.html'), 'html');
  assert.equal(formatFromPath('a.bin'), undefined);
  assert.throws(() => parseProfile(Buffer.from('{not json'), 'bad.json'), /invalid JSON/);
});

test('classifyFrameName sorts names into kinds', () => {
  assert.equal(classifyFrameName('v8::internal::Heap::CollectGarbage(...)'), 'gc');
  assert.equal(classifyFrameName('Builtins_ArrayPrototypePush'), 'builtin');
  assert.equal(classifyFrameName('uv_run'), 'native');
  assert.equal(classifyFrameName('node::Start(int, char**)'), 'native');
  assert.equal(classifyFrameName('f', 'file:///a.mjs'), 'js');
  assert.equal(classifyFrameName('(program)'), 'other');
});
