// /proc scans for the kill tests: processes by command line, a process's descendants, and the
// run state and tracer of each thread. Linux only; reads nothing but /proc.
import { readFileSync, readdirSync } from 'node:fs';

function pids(): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number);
}

function statFields(path: string): string[] | undefined {
  try {
    const s = readFileSync(path, 'latin1');
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Role: PIDs whose argv (NUL-split /proc/PID/cmdline) satisfies `match`. */
export function processesMatching(match: (argv: string[]) => boolean): number[] {
  const out: number[] = [];
  for (const p of pids()) {
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${p}/cmdline`, 'latin1').split('\0').filter((w) => w !== '');
    } catch {
      continue;
    }
    if (argv.length > 0 && match(argv)) out.push(p);
  }
  return out;
}

/** Role: `root` and all its descendants (by PPid), root first. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const p of pids()) {
    const ppid = Number(statFields(`/proc/${p}/stat`)?.[1]);
    if (!Number.isFinite(ppid)) continue;
    const list = children.get(ppid) ?? [];
    list.push(p);
    children.set(ppid, list);
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]!) ?? []));
  return out;
}

/** Role: the state letter of every thread of `pid` (R, S, T, t, …). */
export function threadStates(pid: number): string[] {
  return readdirSync(`/proc/${pid}/task`).map((t) => statFields(`/proc/${pid}/task/${t}/stat`)?.[0] ?? '?');
}

/** Role: the TracerPid of every thread of `pid` (0: not traced). */
export function tracerPids(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((t) => {
    try {
      return Number(/^TracerPid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/task/${t}/status`, 'latin1'))?.[1] ?? 0);
    } catch {
      return 0;
    }
  });
}

/** Role: the state letter of process `pid`, or undefined when there is none. */
export function processState(pid: number): string | undefined {
  return statFields(`/proc/${pid}/stat`)?.[0];
}
