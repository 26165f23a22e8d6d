// An Environment's intrusive lists of live HandleWraps and ReqWraps (nodejs/node src/env.h
// handle_wrap_queue_, req_wrap_queue_: ListHead with a sentinel node; src/util.h ListNode
// {prev_, next_}). Each wrap is a BaseObject whose persistent_handle_ (a v8::Global: a pointer
// to a global-handle slot) names its JS object. Requests embed their uv_req_t, found by its
// `data` back-pointer. Bounded; a broken link ends the walk with a reason.
import type { AddressSpace } from '../target/address-space.js';
import type { HeapObject, V8Heap } from '../v8/heap/v8-heap.js';
import type { NodeOffsets } from './node-offsets.js';
import { UV, UV_FS_TYPES, UV_REQ_TYPES } from './uv-layout.js';

/** Role: one wrap of a queue with its JS object. */
export interface Wrap {
  /** Address of the C++ HandleWrap / ReqWrap. */
  readonly address: number;
  /** The JS object the wrap is bound to (undefined when its persistent handle is empty). */
  readonly object?: HeapObject;
}

/** Role: the walk of one queue. */
export interface WrapQueue {
  readonly wraps: readonly Wrap[];
  readonly problem?: string;
}

/** Role: a pending libuv request inside a ReqWrap. */
export interface UvRequest {
  readonly address: number;
  readonly type: string;
  /** fs requests: the operation (open, read, stat, …). */
  readonly fsType?: string;
  /** fs requests: the path libuv was given; getaddrinfo: the host name. */
  readonly path?: string;
  /** connect, write and shutdown requests: the stream handle they act on. */
  readonly handle?: number;
}

/** Most wraps walked per queue. */
const MAX_WRAPS = 100_000;
/** How far into a ReqWrap its uv_req_t is looked for (ReqWrap<T>::req_ follows the AsyncWrap bases). */
const REQ_SEARCH_BYTES = 1024;

function pointer(space: AddressSpace, a: number): number | undefined {
  const b = space.tryRead(a, 8);
  if (b === undefined) return undefined;
  const hi = b.readUInt32LE(4);
  return hi >= 0x200000 ? undefined : hi * 0x1_0000_0000 + b.readUInt32LE(0);
}

/** Walks one of an Environment's wrap queues. */
export function walkWrapQueue(space: AddressSpace, heap: V8Heap, off: NodeOffsets, env: number, kind: 'handle' | 'req'): WrapQueue {
  const head = env + (kind === 'handle' ? off.handleWrapQueue + off.handleQueueHead : off.reqWrapQueue + off.reqQueueHead);
  const next = kind === 'handle' ? off.handleNext : off.reqNext;
  const nodeAt = kind === 'handle' ? off.handleWrapNode : off.reqWrapNode;
  const wraps: Wrap[] = [];
  const seen = new Set<number>();
  let node = pointer(space, head + next);
  while (node !== head) {
    if (node === undefined || node === 0) return { wraps, problem: `${kind} wrap queue unreadable after ${wraps.length} entries` };
    if (seen.has(node) || wraps.length >= MAX_WRAPS) return { wraps, problem: `${kind} wrap queue does not end` };
    seen.add(node);
    const address = node - nodeAt;
    const slot = pointer(space, address + off.persistentHandle);
    const object = slot === undefined || slot === 0 ? undefined : heap.objectOf(heap.word(slot));
    wraps.push({ address, ...(object !== undefined ? { object } : {}) });
    node = pointer(space, node + next);
  }
  return { wraps };
}

function cString(space: AddressSpace, a: number | undefined, max = 4096): string | undefined {
  if (a === undefined || a === 0) return undefined;
  let out = '';
  for (let at = a; out.length < max; at += 256) {
    const b = space.tryRead(at, 256) ?? space.tryRead(at, 1);
    if (b === undefined) return out === '' ? undefined : out;
    const end = b.indexOf(0);
    out += b.subarray(0, end < 0 ? b.length : end).toString('utf8');
    if (end >= 0) break;
  }
  return out;
}

/** The uv_req_t embedded in a ReqWrap (the first word after the queue node that points back at the wrap, followed by a request type), or undefined. */
export function requestOfWrap(space: AddressSpace, off: NodeOffsets, wrap: number): UvRequest | undefined {
  for (let k = off.reqWrapNode + 16; k < REQ_SEARCH_BYTES; k += 8) {
    if (pointer(space, wrap + k + UV.req_data.value) !== wrap) continue;
    const req = wrap + k;
    const typeNo = space.tryRead(req + UV.req_type.value, 4)?.readUInt32LE(0);
    const type = typeNo === undefined ? undefined : UV_REQ_TYPES[typeNo];
    if (type === undefined || type === 'unknown') continue;
    if (type === 'fs') {
      const fsNo = space.tryRead(req + UV.fs_type.value, 4)?.readInt32LE(0);
      const path = cString(space, pointer(space, req + UV.fs_path.value));
      return { address: req, type, ...(fsNo !== undefined && UV_FS_TYPES[fsNo] !== undefined ? { fsType: UV_FS_TYPES[fsNo] } : {}), ...(path !== undefined ? { path } : {}) };
    }
    if (type === 'getaddrinfo') {
      const host = cString(space, pointer(space, req + UV.getaddrinfo_hostname.value), 1024);
      return { address: req, type, ...(host !== undefined ? { path: host } : {}) };
    }
    const handleAt = type === 'connect' ? UV.connect_handle.value : type === 'write' ? UV.write_handle.value : type === 'shutdown' ? UV.shutdown_handle.value : undefined;
    const handle = handleAt === undefined ? undefined : pointer(space, req + handleAt);
    return { address: req, type, ...(handle !== undefined && handle !== 0 ? { handle } : {}) };
  }
  return undefined;
}
