// The readers of /proc/PID that every live operation shares (freeze, snapshot, profile, guard):
// scheduler state, tracer, CPU ticks, executable link, command line, environment, signal mask.
// Linux only; every reader returns undefined when the process or file is gone, never throws.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** Role: the one-letter scheduler state of PID or TID (R, S, D, T, t, Z, …) from /proc/…/stat. */
export function readProcessState(pid: number, tid?: number): string | undefined {
  const path = tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`;
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
  // The command name may hold spaces and parentheses: the state follows the last ')'
  // (Linux fs/proc/array.c do_task_stat).
  const close = text.lastIndexOf(')');
  if (close < 0 || close + 2 >= text.length) return undefined;
  return text[close + 2];
}

/** Role: the PID of the process tracing PID (0 when none), from TracerPid in /proc/PID/status. */
export function readTracerPid(pid: number): number | undefined {
  try {
    const m = /^TracerPid:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Role: how many threads of PID have a tracer (TracerPid ≠ 0 in /proc/PID/task/TID/status). */
export function countTracedThreads(pid: number): number {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0;
  }
  let traced = 0;
  for (const tid of tids) {
    try {
      const m = /^TracerPid:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/task/${tid}/status`, 'latin1'));
      if (m && m[1] !== '0') traced++;
    } catch {
      // The thread ended.
    }
  }
  return traced;
}

/** Role: whether any thread of PID is in job-control stop (state T). */
export function anyThreadStopped(pid: number): boolean {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return false;
  }
  return tids.some((tid) => readProcessState(pid, Number(tid)) === 'T');
}

/** Role: cumulative user+system CPU ticks of PID (fields 14 and 15 of /proc/PID/stat). */
export function readCpuTicks(pid: number): number | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime is field 14, stime field 15.
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

/** Role: whether a process with this PID exists (a zombie counts). */
export function processExists(pid: number): boolean {
  return readProcessState(pid) !== undefined;
}

/** Role: whether PID exists and has not exited (not a zombie). */
export function processAlive(pid: number): boolean {
  const s = readProcessState(pid);
  return s !== undefined && s !== 'Z' && s !== 'X';
}

/** Role: the argv of PID from /proc/PID/cmdline, or undefined. */
export function readCommandLine(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').filter((w) => w !== '');
  } catch {
    return undefined;
  }
}

/** Role: one variable of PID's initial environment (/proc/PID/environ), or undefined. */
export function readEnvironVar(pid: number, name: string): string | undefined {
  try {
    const entry = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').find((e) => e.startsWith(`${name}=`));
    return entry?.slice(name.length + 1);
  } catch {
    return undefined;
  }
}

/** Role: whether PID has a handler installed for signal `signo` (its bit in SigCgt of /proc/PID/status). */
export function catchesSignal(pid: number, signo: number): boolean | undefined {
  try {
    const m = /^SigCgt:\s+([0-9a-f]+)/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? (BigInt('0x' + m[1]) & (1n << BigInt(signo - 1))) !== 0n : undefined;
  } catch {
    return undefined;
  }
}

/** Role: the target of /proc/PID/exe, or the errno code that prevented reading it. */
export function readExeLink(pid: number): { path: string } | { error: string } {
  try {
    return { path: readlinkSync(`/proc/${pid}/exe`) };
  } catch (e) {
    return { error: (e as NodeJS.ErrnoException).code ?? 'EIO' };
  }
}

/** Role: whether PID holds perf_event file descriptors (perf record has attached its events). */
export function holdsPerfEvents(pid: number): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === 'anon_inode:[perf_event]';
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/** Role: whether PID shares our network namespace (true when that cannot be read). */
export function sameNetNamespace(pid: number): boolean {
  try {
    return readlinkSync('/proc/self/ns/net') === readlinkSync(`/proc/${pid}/ns/net`);
  } catch {
    return true;
  }
}

/** Role: the real UID of PID (Uid in /proc/PID/status), or undefined. */
export function readUid(pid: number | 'self'): number | undefined {
  try {
    const m = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
