// Checks that a PID names a live process we may read and signal, with one clear TargetError per
// failure (bad PID, none, zombie, no permission), and gathers what live commands decide on: the
// executable, argv, NODE_OPTIONS, SIGUSR1 handling and the inspector port the flags ask for.
// Whether it is a Node process is decided above, from the binary's V8 metadata (node layer).
import { TargetError } from '../../util/errors.js';
import { catchesSignal, readCommandLine, readEnvironVar, readExeLink, readProcessState } from './proc-status.js';

/** Role: what the checks learned about a live process. */
export interface LiveProcess {
  readonly pid: number;
  /** Executable path as /proc/PID/exe names it (" (deleted)" removed). */
  readonly exe: string;
  /** Scheduler state when checked (R, S, T, …). */
  readonly state: string;
  readonly cmdline: readonly string[];
  /** NODE_OPTIONS from the process's environment ('' when unset or unreadable). */
  readonly nodeOptions: string;
  /** Whether a SIGUSR1 handler is installed (Node's inspector activation). */
  readonly catchesSigusr1: boolean;
  /** `--disable-sigusr1` on the command line or in NODE_OPTIONS. */
  readonly sigusr1Disabled: boolean;
  /** The inspector port the flags ask for (`--inspect-port`, `--inspect=host:port`), else 9229. */
  readonly inspectPort: number;
}

/** What to do about a refused attach: as root it is the kernel's or the container's policy, not our user. */
function permissionHint(): string {
  return process.getuid?.() === 0
    ? 'we are root, so the kernel refused it: kernel.yama.ptrace_scope is 3, the container lacks CAP_SYS_PTRACE, or another tracer holds the process'
    : 'run as root or as the process\'s user (with kernel.yama.ptrace_scope 0 or 1)';
}
const SIGUSR1 = 10;

/** Role: the permission error message for PID, shared with the engines that learn it from gdb. */
export function permissionError(pid: number): TargetError {
  return new TargetError(`no permission to attach to PID ${pid}: ${permissionHint()}`, 'NO_PERMISSION');
}

function flagValue(args: readonly string[], names: readonly string[]): string | undefined {
  let found: string | undefined;
  args.forEach((a, i) => {
    for (const n of names) {
      if (a === n && args[i + 1] !== undefined) found = args[i + 1];
      else if (a.startsWith(n + '=')) found = a.slice(n.length + 1);
    }
  });
  return found;
}

/** Role: validates PID as a live process we may attach to, or throws the TargetError that says why not. */
export function checkLiveProcess(pid: number): LiveProcess {
  if (!Number.isSafeInteger(pid) || pid <= 0) throw new TargetError(`invalid PID ${String(pid)}`);
  const state = readProcessState(pid);
  if (state === undefined) throw new TargetError(`no process with PID ${pid}`, 'NO_PROCESS');
  if (state === 'Z' || state === 'X') throw new TargetError(`PID ${pid} has exited (zombie)`, 'NO_PROCESS');
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EPERM') throw permissionError(pid);
  }
  const link = readExeLink(pid);
  if ('error' in link) {
    if (link.error === 'EACCES' || link.error === 'EPERM') throw permissionError(pid);
    if (link.error === 'ENOENT') throw new TargetError(`PID ${pid} is not a Node process (it has no executable: a kernel thread?)`, 'NOT_NODE');
    throw new TargetError(`cannot read /proc/${pid}/exe (${link.error})`);
  }
  const cmdline = readCommandLine(pid) ?? [];
  const nodeOptions = readEnvironVar(pid, 'NODE_OPTIONS') ?? '';
  const nodeArgs = [...cmdline.slice(1), ...nodeOptions.split(/\s+/).filter((w) => w !== '')];
  let inspectPort = 9229;
  const portFlag = flagValue(nodeArgs, ['--inspect-port', '--debug-port']);
  const inspectFlag = flagValue(nodeArgs, ['--inspect', '--inspect-brk', '--inspect-wait']);
  const portText = portFlag ?? (inspectFlag !== undefined ? /(?:^|:)(\d+)$/.exec(inspectFlag)?.[1] : undefined);
  if (portText !== undefined && /^\d+$/.test(portText)) inspectPort = Number(portText);
  return {
    pid,
    exe: link.path.replace(/ \(deleted\)$/, ''),
    state,
    cmdline,
    nodeOptions,
    catchesSigusr1: catchesSignal(pid, SIGUSR1) === true,
    sigusr1Disabled: nodeArgs.includes('--disable-sigusr1'),
    inspectPort,
  };
}
