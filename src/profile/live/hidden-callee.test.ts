// Unit tests of restoreHiddenCallee on small profiles: the caller's samples on the probed path go
// to the hidden function only when the same activation was innermost at start and end; other
// paths, a function the profile already names, partial evidence and a failed probe are handled
// with the matching note and no silent change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProfileBuilder, frameLabel, type Frame, type Profile } from '../profile-model.js';
import { restoreHiddenCallee, type ProbedFrame, type StackProbe } from './hidden-callee.js';

const js = (name: string, line: number): Frame => ({ name, kind: 'js', file: 'file:///app/a.js', line, column: 3 });
const root: Frame = { name: '(root)', kind: 'other' };
const main = js('main', 1), handler = js('handler', 10), other = js('other', 20), loop = js('loop', 30);
const probed = (f: Frame, fp: string): ProbedFrame => ({ name: f.name, file: '/app/a.js', line: f.line!, column: f.column!, fp });

function profile(): Profile {
  const b = new ProfileBuilder();
  b.addStack([root, main, handler], 90);
  b.addStack([root, main, other], 10);
  return b.build({ mode: 'inspector', durationMs: 1000, startTime: 0, notes: [] });
}
const leafCounts = (p: Profile): Record<string, number> =>
  Object.fromEntries(p.stacks.map((s) => [frameLabel(p.frames[s.frames[s.frames.length - 1]!]!), s.count]));
const atLoop: StackProbe = { frames: [probed(loop, '0x7ffd10'), probed(handler, '0x7ffd80'), probed(main, '0x7ffe00')] };

test('the same activation at start and end: the caller\'s samples on that path go to the hidden function', () => {
  const r = restoreHiddenCallee(profile(), atLoop, atLoop);
  assert.deepEqual(leafCounts(r.profile), { 'loop file:///app/a.js:30:3': 90, 'other file:///app/a.js:20:3': 10 });
  assert.equal(r.notes.length, 1);
  assert.match(r.notes[0]!, /^90 samples V8's profiler charged to handler are shown in loop/);
});

test('another activation at the end, or none: nothing moves, and the note says what is likely', () => {
  const elsewhere: StackProbe = { frames: [probed(loop, '0x7ffc00'), probed(handler, '0x7ffd80')] };
  for (const end of [elsewhere, undefined, { error: 'gdb is missing' }]) {
    const r = restoreHiddenCallee(profile(), atLoop, end);
    assert.deepEqual(leafCounts(r.profile), { 'handler file:///app/a.js:10:3': 90, 'other file:///app/a.js:20:3': 10 });
    assert.match(r.notes[0]!, /loop was innermost when the profile began .* some of the 90 samples charged to handler are likely loop's/);
  }
});

test('a function the profile names, a caller on another path, a short stack: no change and no note', () => {
  const b = new ProfileBuilder();
  b.addStack([root, main, handler, loop], 5);
  b.addStack([root, main, handler], 5);
  const seen = b.build({ mode: 'inspector', durationMs: 1, startTime: 0, notes: [] });
  assert.deepEqual(restoreHiddenCallee(seen, atLoop, atLoop), { profile: seen, notes: [] });
  const wrongPath: StackProbe = { frames: [probed(loop, '0x1'), probed(handler, '0x2'), probed(other, '0x3')] };
  assert.deepEqual(restoreHiddenCallee(profile(), wrongPath, wrongPath).notes, []);
  const p = profile();
  assert.deepEqual(restoreHiddenCallee(p, { frames: [probed(loop, '0x1')] }, undefined), { profile: p, notes: [] });
});

test('a probe that failed is said, never silently ignored', () => {
  const p = profile();
  const r = restoreHiddenCallee(p, { error: 'no permission to attach to PID 7' }, undefined);
  assert.equal(r.profile, p);
  assert.match(r.notes[0]!, /could not be read in place \(no permission to attach to PID 7\)/);
});
