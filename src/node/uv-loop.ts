// The libuv loop as native memory: its handle queue (every open handle: type, active/ref'd,
// fd, child pid, signal, timer due time) and its counters and clock. Needs no V8 at all, so it
// is the view that still works when the JS heap or the Environment cannot be read. Bounded.
import type { AddressSpace } from '../target/address-space.js';
import { UV, UV_HANDLE_FLAGS, UV_HANDLE_TYPES } from './uv-layout.js';

/** Role: one libuv handle as the loop holds it. */
export interface UvHandle {
  readonly address: number;
  readonly type: string;
  readonly active: boolean;
  readonly ref: boolean;
  readonly closing: boolean;
  /** `uv_handle_t.data`: for Node's handles, the HandleWrap that owns it. */
  readonly data: number;
  readonly fd?: number;
  readonly pid?: number;
  readonly signum?: number;
  /** Timers: due time in the loop's clock (ms) and repeat (ms, 0 = once). */
  readonly timeout?: number;
  readonly repeat?: number;
}

/** Role: one loop: its counters, clock and handles. */
export interface UvLoop {
  readonly address: number;
  /** `uv_now()`: the loop's clock (ms) when it last updated it. */
  readonly time?: number;
  readonly activeHandles?: number;
  readonly activeRequests?: number;
  readonly handles: readonly UvHandle[];
  /** Why the walk stopped early, when it did. */
  readonly problem?: string;
}

/** Most handles walked. */
const MAX_HANDLES = 100_000;

function u64(space: AddressSpace, a: number): number | undefined {
  const b = space.tryRead(a, 8);
  if (b === undefined) return undefined;
  const hi = b.readUInt32LE(4);
  return hi >= 0x200000 ? undefined : hi * 0x1_0000_0000 + b.readUInt32LE(0);
}

function u32(space: AddressSpace, a: number): number | undefined {
  return space.tryRead(a, 4)?.readUInt32LE(0);
}

function i32(space: AddressSpace, a: number): number | undefined {
  return space.tryRead(a, 4)?.readInt32LE(0);
}

/** The fd of a handle of the given type, where it has one (-1 when closed or not yet open). */
function fdOf(space: AddressSpace, h: number, type: string): number | undefined {
  const at = type === 'tcp' || type === 'pipe' || type === 'tty' ? UV.stream_fd.value : type === 'udp' ? UV.udp_fd.value : type === 'poll' ? UV.poll_fd.value : undefined;
  return at === undefined ? undefined : i32(space, h + at);
}

/** Decodes one handle at `h`, or undefined when it does not belong to `loop`. */
export function readUvHandle(space: AddressSpace, h: number, loop: number): UvHandle | undefined {
  if (u64(space, h + UV.handle_loop.value) !== loop) return undefined;
  const typeNo = u32(space, h + UV.handle_type.value);
  const flags = u32(space, h + UV.handle_flags.value);
  const type = typeNo === undefined ? undefined : UV_HANDLE_TYPES[typeNo];
  if (type === undefined || flags === undefined) return undefined;
  const fd = fdOf(space, h, type);
  const pid = type === 'process' ? i32(space, h + UV.process_pid.value) : undefined;
  const signum = type === 'signal' ? i32(space, h + UV.signal_signum.value) : undefined;
  const timeout = type === 'timer' ? u64(space, h + UV.timer_timeout.value) : undefined;
  const repeat = type === 'timer' ? u64(space, h + UV.timer_repeat.value) : undefined;
  return {
    address: h,
    type,
    active: (flags & UV_HANDLE_FLAGS.active) !== 0,
    ref: (flags & UV_HANDLE_FLAGS.ref) !== 0,
    closing: (flags & (UV_HANDLE_FLAGS.closing | UV_HANDLE_FLAGS.closed)) !== 0,
    data: u64(space, h + UV.handle_data.value) ?? 0,
    ...(fd !== undefined ? { fd } : {}),
    ...(pid !== undefined ? { pid } : {}),
    ...(signum !== undefined ? { signum } : {}),
    ...(timeout !== undefined ? { timeout } : {}),
    ...(repeat !== undefined ? { repeat } : {}),
  };
}

/** Walks the handle queue of the loop at `loop` (a `uv_loop_t*`). */
export function walkUvLoop(space: AddressSpace, loop: number): UvLoop {
  const head = loop + UV.loop_handle_queue.value;
  const handles: UvHandle[] = [];
  const seen = new Set<number>();
  let problem: string | undefined;
  let node = u64(space, head + UV.queue_next.value);
  while (node !== head) {
    if (node === undefined || node === 0) {
      problem = 'handle queue unreadable';
      break;
    }
    if (seen.has(node) || handles.length >= MAX_HANDLES) {
      problem = seen.has(node) ? 'handle queue loops' : `more than ${MAX_HANDLES} handles`;
      break;
    }
    seen.add(node);
    const h = readUvHandle(space, node - UV.handle_queue.value, loop);
    if (h === undefined) {
      problem = `handle at 0x${(node - UV.handle_queue.value).toString(16)} is not on this loop`;
      break;
    }
    handles.push(h);
    node = u64(space, node + UV.queue_next.value);
  }
  const time = u64(space, loop + UV.loop_time.value);
  const activeHandles = u32(space, loop + UV.loop_active_handles.value);
  const activeRequests = u32(space, loop + UV.loop_active_reqs.value);
  return {
    address: loop,
    ...(time !== undefined ? { time } : {}),
    ...(activeHandles !== undefined ? { activeHandles } : {}),
    ...(activeRequests !== undefined ? { activeRequests } : {}),
    handles,
    ...(problem !== undefined ? { problem } : {}),
  };
}
