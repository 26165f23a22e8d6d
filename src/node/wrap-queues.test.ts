import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SyntheticHeap } from '../v8/heap/testing/synthetic-heap.js';
import { BufferAddressSpace } from '../target/testing/buffer-address-space.js';
import type { NodeOffsets } from './node-offsets.js';
import { UV, UV_REQ_TYPES } from './uv-layout.js';
import { requestOfWrap, walkWrapQueue } from './wrap-queues.js';
import { scanVtables } from '../native/vtable-scan.js';

const BASE = 0x5500_0000;
/** Offsets as Node 24 has them (nodedbg_ values), to lay out a fake Environment. */
const OFF: NodeOffsets = { envIndex: 32, persistentHandle: 8, handleWrapQueue: 0x100, reqWrapQueue: 0x110, handleQueueHead: 0, reqQueueHead: 0, handleWrapNode: 80, reqWrapNode: 80, handleNext: 8, reqNext: 8 };

function space(): BufferAddressSpace {
  return new BufferAddressSpace(BASE, Buffer.alloc(0x4000));
}

function put(s: BufferAddressSpace, at: number, v: number): void {
  s.data.writeBigUInt64LE(BigInt(v), at - BASE);
}

test('a wrap queue is walked from the sentinel in the Environment to each wrap', () => {
  const s = space();
  const heap = new SyntheticHeap().heap();
  const env = BASE + 0x100;
  const head = env + OFF.reqWrapQueue;
  const wraps = [BASE + 0x1000, BASE + 0x2000];
  put(s, head + OFF.reqNext, wraps[0]! + OFF.reqWrapNode);
  put(s, wraps[0]! + OFF.reqWrapNode + OFF.reqNext, wraps[1]! + OFF.reqWrapNode);
  put(s, wraps[1]! + OFF.reqWrapNode + OFF.reqNext, head);
  const q = walkWrapQueue(s, heap, OFF, env, 'req');
  assert.equal(q.problem, undefined);
  assert.deepEqual(q.wraps.map((w) => w.address), wraps);
  assert.equal(q.wraps[0]!.object, undefined, 'an empty persistent handle has no JS object');
  // A broken link is reported, not thrown.
  put(s, wraps[1]! + OFF.reqWrapNode + OFF.reqNext, 0);
  assert.match(walkWrapQueue(s, heap, OFF, env, 'req').problem ?? '', /unreadable after 2/);
});

test("a ReqWrap's uv_fs_t is found by its data back-pointer, with its operation and path", () => {
  const s = space();
  const wrap = BASE + 0x1000;
  const req = wrap + 112;
  put(s, req + UV.req_data.value, wrap);
  s.data.writeUInt32LE(UV_REQ_TYPES.indexOf('fs'), req + UV.req_type.value - BASE);
  s.data.writeInt32LE(1, req + UV.fs_type.value - BASE);
  put(s, req + UV.fs_path.value, BASE + 0x3000);
  s.data.write('/var/run/app.fifo\0', 0x3000, 'latin1');
  assert.deepEqual(requestOfWrap(s, OFF, wrap), { address: req, type: 'fs', fsType: 'open', path: '/var/run/app.fifo' });
  const write = BASE + 0x2000;
  put(s, write + 112 + UV.req_data.value, write);
  s.data.writeUInt32LE(UV_REQ_TYPES.indexOf('write'), write + 112 + UV.req_type.value - BASE);
  put(s, write + 112 + UV.write_handle.value, BASE + 0x2800);
  assert.deepEqual(requestOfWrap(s, OFF, write), { address: write + 112, type: 'write', handle: BASE + 0x2800 });
  assert.equal(requestOfWrap(s, OFF, BASE + 0x3800), undefined);
});

test('the vtable scan finds aligned vptrs only', () => {
  const s = space();
  put(s, BASE + 0x808, 0x1234_5678_9a);
  s.data.writeBigUInt64LE(0x1234_5678_9an, 0x903);
  put(s, BASE + 0x1000, 0x42);
  const hits = scanVtables(s, [0x1234_5678_9a, 0x42, 0x99]);
  assert.deepEqual(hits.get(0x1234_5678_9a), [BASE + 0x808]);
  assert.deepEqual(hits.get(0x42), [BASE + 0x1000]);
  assert.deepEqual(hits.get(0x99), []);
});
