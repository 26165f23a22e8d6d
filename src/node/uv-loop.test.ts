import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BufferAddressSpace } from '../target/testing/buffer-address-space.js';
import { UV, UV_HANDLE_FLAGS, UV_HANDLE_TYPES } from './uv-layout.js';
import { walkUvLoop } from './uv-loop.js';

const BASE = 0x7f00_0000_0000;

/** A loop and its handles laid out in one buffer with libuv's struct offsets. */
function fakeLoop(handles: { at: number; type: string; flags: number; fd?: number; pid?: number; timeout?: number }[]): BufferAddressSpace {
  const data = Buffer.alloc(0x4000);
  const put = (off: number, v: number): void => void data.writeBigUInt64LE(BigInt(v), off);
  const loop = 0;
  const queue = (h: number): number => BASE + h + UV.handle_queue.value;
  const head = BASE + loop + UV.loop_handle_queue.value;
  data.writeUInt32LE(3, loop + UV.loop_active_handles.value);
  data.writeUInt32LE(1, loop + UV.loop_active_reqs.value);
  put(loop + UV.loop_time.value, 5_000_000);
  put(loop + UV.loop_handle_queue.value, handles.length > 0 ? queue(handles[0]!.at) : head);
  handles.forEach((h, i) => {
    put(h.at + UV.handle_loop.value, BASE + loop);
    put(h.at + UV.handle_data.value, 0xabc0 + i * 16);
    data.writeUInt32LE(UV_HANDLE_TYPES.indexOf(h.type), h.at + UV.handle_type.value);
    data.writeUInt32LE(h.flags, h.at + UV.handle_flags.value);
    put(h.at + UV.handle_queue.value + UV.queue_next.value, i + 1 < handles.length ? queue(handles[i + 1]!.at) : head);
    if (h.fd !== undefined) data.writeInt32LE(h.fd, h.at + UV.stream_fd.value);
    if (h.pid !== undefined) data.writeInt32LE(h.pid, h.at + UV.process_pid.value);
    if (h.timeout !== undefined) put(h.at + UV.timer_timeout.value, h.timeout);
  });
  return new BufferAddressSpace(BASE, data);
}

test('the handle queue is walked with type, flags, fd, pid and timer due time', () => {
  const { active, ref, closing } = UV_HANDLE_FLAGS;
  const space = fakeLoop([
    { at: 0x400, type: 'tcp', flags: active | ref, fd: 22 },
    { at: 0x800, type: 'process', flags: active | ref, pid: 4242 },
    { at: 0xc00, type: 'timer', flags: active, timeout: 5_005_000 },
    { at: 0x1000, type: 'pipe', flags: ref | closing, fd: -1 },
  ]);
  const loop = walkUvLoop(space, BASE);
  assert.equal(loop.problem, undefined);
  assert.equal(loop.time, 5_000_000);
  assert.equal(loop.activeHandles, 3);
  assert.equal(loop.activeRequests, 1);
  assert.deepEqual(loop.handles.map((h) => [h.type, h.active, h.ref, h.closing]), [['tcp', true, true, false], ['process', true, true, false], ['timer', true, false, false], ['pipe', false, true, true]]);
  assert.equal(loop.handles[0]!.fd, 22);
  assert.equal(loop.handles[0]!.data, 0xabc0);
  assert.equal(loop.handles[1]!.pid, 4242);
  assert.equal(loop.handles[2]!.timeout, 5_005_000);
});

test('an empty loop, a handle of another loop and a cycle end the walk with a reason', () => {
  assert.deepEqual(walkUvLoop(fakeLoop([]), BASE).handles, []);
  const foreign = fakeLoop([{ at: 0x400, type: 'tcp', flags: 0 }]);
  foreign.data.writeBigUInt64LE(0x1234n, 0x400 + UV.handle_loop.value);
  assert.match(walkUvLoop(foreign, BASE).problem ?? '', /not on this loop/);
  const cyclic = fakeLoop([{ at: 0x400, type: 'tcp', flags: 0 }, { at: 0x800, type: 'udp', flags: 0 }]);
  cyclic.data.writeBigUInt64LE(BigInt(BASE + 0x400 + UV.handle_queue.value), 0x800 + UV.handle_queue.value);
  assert.match(walkUvLoop(cyclic, BASE).problem ?? '', /loops/);
  const cut = fakeLoop([{ at: 0x400, type: 'tcp', flags: 0 }]);
  cut.data.writeBigUInt64LE(0n, 0x400 + UV.handle_queue.value);
  assert.match(walkUvLoop(cut, BASE).problem ?? '', /unreadable/);
});
