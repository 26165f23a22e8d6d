// Small readers of /proc/PID for the live backend: scheduler state, tracer, executable link.
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

/** Role: the target of /proc/PID/exe, or the errno code that prevented reading it. */
export function readExeLink(pid: number): { path: string } | { error: string } {
  try {
    return { path: readlinkSync(`/proc/${pid}/exe`) };
  } catch (e) {
    return { error: (e as NodeJS.ErrnoException).code ?? 'EIO' };
  }
}
