// libuv's struct layout on Linux x86-64, as data: libuv exports no metadata, but its public
// structs are ABI (stable within libuv 1.x). Every offset is derived from the field lists of
// libuv include/uv.h and include/uv/unix.h (v1.46 in Node 20, v1.51 in Node 22, v1.52.1 in Node
// 24/26, checked on all four) and is validated at use: sizeof(uv_loop_t) against the size of
// the `default_loop_struct` symbol, and every handle's `loop` field against the loop itself.

/** Role: one libuv layout fact with the header it comes from. */
export interface UvFact {
  readonly value: number;
  readonly doc: string;
}

const HANDLE = 'uv.h UV_HANDLE_FIELDS: data, loop, type, close_cb, handle_queue, u{fd, reserved[4]}, then unix.h UV_HANDLE_PRIVATE_FIELDS next_closing, flags';
const LOOP = 'uv.h struct uv_loop_s: data, active_handles, handle_queue, active_reqs{unused, count}, internal_fields, stop_flag, then unix.h UV_LOOP_PRIVATE_FIELDS (… timer_heap, timer_counter, time …)';
const STREAM = 'uv.h UV_STREAM_FIELDS: write_queue_size, alloc_cb, read_cb, then unix.h UV_STREAM_PRIVATE_FIELDS connect_req, shutdown_req, io_watcher (uv__io_t: cb, pending_queue, watcher_queue, pevents, events, fd)';
const REQ = 'uv.h UV_REQ_FIELDS: data, type, reserved[6]';

function fact(value: number, doc: string): UvFact {
  return { value, doc };
}

/** Role: the offsets nodescope reads from libuv structs (bytes). */
export const UV = {
  loop_size: fact(848, `${LOOP}; unix.h UV_PLATFORM_LOOP_FIELDS (linux): sizeof(uv_loop_t) = 848`),
  loop_active_handles: fact(8, LOOP),
  loop_handle_queue: fact(16, LOOP),
  loop_active_reqs: fact(32, LOOP),
  loop_stop_flag: fact(48, LOOP),
  loop_time: fact(544, `${LOOP}: time (uint64 ms, uv_now) after timer_heap{min, nelts} and timer_counter`),
  queue_next: fact(0, 'uv.h struct uv__queue { next, prev }'),
  handle_data: fact(0, HANDLE),
  handle_loop: fact(8, HANDLE),
  handle_type: fact(16, HANDLE),
  handle_queue: fact(32, HANDLE),
  handle_flags: fact(88, HANDLE),
  handle_size: fact(96, HANDLE),
  stream_fd: fact(184, `${STREAM}: io_watcher at 136, its fd at +48`),
  udp_fd: fact(176, 'uv.h uv_udp_s: send_queue_size, send_queue_count, then unix.h UV_UDP_PRIVATE_FIELDS alloc_cb, recv_cb, io_watcher (fd at +48)'),
  poll_fd: fact(152, 'uv.h uv_poll_s: poll_cb, then unix.h UV_POLL_PRIVATE_FIELDS io_watcher (fd at +48)'),
  process_pid: fact(104, 'uv.h uv_process_s: exit_cb, pid (int)'),
  signal_signum: fact(104, 'uv.h uv_signal_s: signal_cb, signum (int)'),
  timer_timeout: fact(128, 'uv.h uv_timer_s: timer_cb, node{heap[3] | queue}, timeout (uint64 ms of loop time), repeat, start_id'),
  timer_repeat: fact(136, 'uv.h uv_timer_s: … timeout, repeat'),
  fs_event_path: fact(96, 'uv.h uv_fs_event_s: path (char*)'),
  req_data: fact(0, REQ),
  req_type: fact(8, REQ),
  fs_type: fact(64, 'uv.h uv_fs_s: UV_REQ_FIELDS, fs_type, loop, cb, result, ptr, path'),
  fs_loop: fact(72, 'uv.h uv_fs_s: fs_type, loop'),
  fs_path: fact(104, 'uv.h uv_fs_s: fs_type, loop, cb, result, ptr, path (char*)'),
  getaddrinfo_loop: fact(64, 'uv.h uv_getaddrinfo_s: UV_REQ_FIELDS, loop'),
  getaddrinfo_hostname: fact(128, 'uv.h uv_getaddrinfo_s: loop, then unix.h UV_GETADDRINFO_PRIVATE_FIELDS work_req (uv__work, 40 bytes), cb, hints, hostname'),
  connect_handle: fact(72, 'uv.h uv_connect_s: UV_REQ_FIELDS, cb, handle'),
  write_handle: fact(80, 'uv.h uv_write_s: UV_REQ_FIELDS, cb, send_handle, handle'),
  shutdown_handle: fact(64, 'uv.h uv_shutdown_s: UV_REQ_FIELDS, handle'),
  work_loop: fact(64, 'uv.h uv_work_s: UV_REQ_FIELDS, loop'),
} as const satisfies Record<string, UvFact>;

/** uv.h UV_HANDLE_TYPE_MAP, in enum order after UV_UNKNOWN_HANDLE = 0. */
export const UV_HANDLE_TYPES: readonly string[] = ['unknown', 'async', 'check', 'fs-event', 'fs-poll', 'handle', 'idle', 'pipe', 'poll', 'prepare', 'process', 'stream', 'tcp', 'timer', 'tty', 'udp', 'signal', 'file'];

/** uv.h UV_REQ_TYPE_MAP, in enum order after UV_UNKNOWN_REQ = 0. */
export const UV_REQ_TYPES: readonly string[] = ['unknown', 'req', 'connect', 'write', 'shutdown', 'udp-send', 'fs', 'work', 'getaddrinfo', 'getnameinfo', 'random'];

/** uv.h uv_fs_type, in enum order after UV_FS_UNKNOWN = -1 (index 0 is UV_FS_CUSTOM). */
export const UV_FS_TYPES: readonly string[] = [
  'custom', 'open', 'close', 'read', 'write', 'sendfile', 'stat', 'lstat', 'fstat', 'ftruncate', 'utime', 'futime', 'access', 'chmod', 'fchmod', 'fsync',
  'fdatasync', 'unlink', 'rmdir', 'mkdir', 'mkdtemp', 'rename', 'scandir', 'link', 'symlink', 'readlink', 'chown', 'fchown', 'realpath', 'copyfile', 'lchown',
  'opendir', 'readdir', 'closedir', 'statfs', 'mkstemp', 'lutime',
];

/** libuv src/uv-common.h handle flags. */
export const UV_HANDLE_FLAGS = { closing: 0x1, closed: 0x2, active: 0x4, ref: 0x8, internal: 0x10, listening: 0x40, connection: 0x80, reading: 0x1000 } as const;
