// Whether kernel mode may run here: the perf tool is installed, and we are root, hold
// CAP_PERFMON / CAP_SYS_ADMIN, or perf_event_paranoid lets us sample our own processes.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readUid } from '../../target/live/proc-status.js';

/** Role: the verdict on kernel mode, with the reason to print. */
export interface PerfAccess {
  readonly ok: boolean;
  readonly reason: string;
}

const CAP_SYS_ADMIN = 21n;
const CAP_PERFMON = 38n;

/** Role: checks for the perf binary and the permission to sample process `pid`. */
export function checkPerfAccess(pid: number, perfPath = 'perf'): PerfAccess {
  const v = spawnSync(perfPath, ['--version'], { timeout: 5000, encoding: 'utf8' });
  if (v.error !== undefined || v.status !== 0) {
    return { ok: false, reason: `perf is not installed or does not run (${(v.error as NodeJS.ErrnoException | undefined)?.code ?? `exit ${v.status}`}); install linux-perf` };
  }
  const status = readFileSync('/proc/self/status', 'latin1');
  const capEff = BigInt('0x' + (/^CapEff:\s+([0-9a-f]+)/m.exec(status)?.[1] ?? '0'));
  if (process.getuid?.() === 0 || (capEff >> CAP_PERFMON) & 1n || (capEff >> CAP_SYS_ADMIN) & 1n) {
    return { ok: true, reason: process.getuid?.() === 0 ? 'running as root' : 'CAP_PERFMON/CAP_SYS_ADMIN held' };
  }
  let paranoid = 4;
  try {
    paranoid = Number(readFileSync('/proc/sys/kernel/perf_event_paranoid', 'latin1').trim());
  } catch {
    paranoid = 4;
  }
  const sameUser = readUid(pid) === process.getuid?.();
  if (paranoid <= 2 && sameUser) return { ok: true, reason: `perf_event_paranoid is ${paranoid} and the process is ours (user frames only)` };
  return { ok: false, reason: `not root, no CAP_PERFMON, and perf_event_paranoid is ${paranoid}` };
}
