import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StackFrame, ThreadStack } from '../stack-model.js';
import { groupStacks } from './stack-groups.js';

const native = (symbol: string, pc: number, module = '/lib/libc.so.6'): StackFrame => ({ kind: 'native', symbol, offset: pc & 0xf, module, pc: `0x${pc.toString(16)}` });
const js = (fn: string, pc: number): StackFrame => ({ kind: 'js', function: fn, script: '/app.js', line: 3, pc: `0x${pc.toString(16)}` });

function pool(tid: number): ThreadStack {
  // Same names, different addresses and offsets on every thread.
  return { tid, name: 'libuv-worker', frames: [native('futex_wait', 0x1000 + tid), native('uv_cond_wait', 0x2000 + tid, '/usr/bin/node'), native('worker', 0x3000 + tid, '/usr/bin/node')] };
}

test('threads whose frames have the same names are one group, whatever their addresses', () => {
  const main: ThreadStack = { tid: 1, name: 'main', frames: [js('hold', 0x9000), native('uv_run', 0x5000, '/usr/bin/node')] };
  const r = groupStacks([main, ...Array.from({ length: 16 }, (_, i) => pool(100 + i))]);
  assert.equal(r.groups.length, 2);
  assert.equal(r.groups[0]!.count, 16);
  assert.deepEqual(r.groups[0]!.threads.map((t) => t.tid), Array.from({ length: 16 }, (_, i) => 100 + i));
  assert.equal(r.groups[0]!.frames.length, 3);
  assert.equal(r.groups[1]!.count, 1);
  assert.equal(r.groups[1]!.threads[0]!.name, 'main');
});

test('a different frame name splits a group', () => {
  const odd: ThreadStack = { ...pool(7), frames: [native('epoll_wait', 0x10), ...pool(7).frames.slice(1)] };
  assert.equal(groupStacks([pool(5), pool(6), odd]).groups.length, 2);
});

test('--module and --function keep only threads with a matching frame', () => {
  const main: ThreadStack = { tid: 1, name: 'main', frames: [js('hold', 0x9000), native('uv_run', 0x5000, '/usr/bin/node')] };
  const threads = [main, pool(2), pool(3)];
  assert.equal(groupStacks(threads, { module: 'libc.so' }).groups.length, 1);
  assert.equal(groupStacks(threads, { module: 'libc.so' }).groups[0]!.count, 2);
  assert.equal(groupStacks(threads, { function: 'hold' }).groups[0]!.threads[0]!.tid, 1);
  assert.equal(groupStacks(threads, { function: 'uv_cond' }).groups[0]!.count, 2);
  assert.equal(groupStacks(threads, { function: 'nope' }).groups.length, 0);
});
