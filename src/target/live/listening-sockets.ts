// Listening TCP sockets of the target's network namespace (/proc/PID/net/tcp and tcp6) and which
// of them the target owns (socket inodes behind /proc/PID/fd). Used to find and check the
// inspector port without reading the target's stderr.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Role: one listening TCP socket. */
export interface ListeningSocket {
  readonly address: string;
  readonly port: number;
  readonly inode: number;
}

const TCP_LISTEN = '0A';

function parseAddress(hexAddr: string): string {
  if (hexAddr.length === 8) {
    const n = parseInt(hexAddr, 16);
    return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join('.');
  }
  return hexAddr.toLowerCase();
}

/** Role: parses the text of a /proc/net/tcp{,6} table into its listening sockets. */
export function parseTcpTable(text: string): ListeningSocket[] {
  const out: ListeningSocket[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || f[3] !== TCP_LISTEN) continue;
    const [addr, port] = f[1]!.split(':');
    if (addr === undefined || port === undefined) continue;
    out.push({ address: parseAddress(addr), port: parseInt(port, 16), inode: Number(f[9]) });
  }
  return out;
}

/** Role: all listening TCP sockets visible in the network namespace of `pid`. */
export function namespaceListeners(pid: number): ListeningSocket[] {
  const out: ListeningSocket[] = [];
  for (const t of ['tcp', 'tcp6']) {
    try {
      out.push(...parseTcpTable(readFileSync(`/proc/${pid}/net/${t}`, 'latin1')));
    } catch {
      // A table may be absent (no IPv6); the other one still counts.
    }
  }
  return out;
}

/** Role: socket inodes held open by `pid` (from /proc/PID/fd links `socket:[N]`). */
export function socketInodes(pid: number): Set<number> {
  const out = new Set<number>();
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return out;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) out.add(Number(m[1]));
    } catch {
      // The fd closed between readdir and readlink.
    }
  }
  return out;
}

/** Role: the listening sockets owned by `pid` itself. */
export function ownListeners(pid: number): ListeningSocket[] {
  const mine = socketInodes(pid);
  return namespaceListeners(pid).filter((s) => mine.has(s.inode));
}

/** Role: a listener on `port` that `pid` does not own (someone else has the port), if any. */
export function foreignListener(pid: number, port: number): ListeningSocket | undefined {
  const mine = socketInodes(pid);
  return namespaceListeners(pid).find((s) => s.port === port && !mine.has(s.inode));
}
