// Facts about a live process from /proc: does it exist, may we touch it, is it Node, does it
// catch SIGUSR1, which inspector flags it was started with. Linux only; nothing is modified.
import { readFileSync, readlinkSync } from 'node:fs';
import { TargetError } from '../../util/errors.js';

/** Role: what /proc says about a process we are about to profile. */
export interface ProcInfo {
  readonly pid: number;
  readonly exe: string;
  readonly cmdline: readonly string[];
  /** NODE_OPTIONS from the process environment, when readable. */
  readonly nodeOptions: string;
  /** Whether a handler for SIGUSR1 is installed (SigCgt bit 10 of /proc/PID/status). */
  readonly catchesSigusr1: boolean;
  /** `--disable-sigusr1` given on the command line or in NODE_OPTIONS. */
  readonly sigusr1Disabled: boolean;
  /** Inspector port requested by flags (`--inspect-port`, `--inspect=host:port`), else 9229. */
  readonly inspectPort: number;
}

function errnoOf(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? 'error';
}

/** Role: the single-character process state of /proc/PID/stat (R, S, T, t, Z, …), or undefined. */
export function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return /\) (\S)/.exec(stat.slice(stat.lastIndexOf(')') - 1))?.[1];
  } catch {
    return undefined;
  }
}

/** Role: whether the process exists and is not a zombie. */
export function processAlive(pid: number): boolean {
  const s = processState(pid);
  return s !== undefined && s !== 'Z' && s !== 'X';
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

/** Role: reads and validates a Node process; throws TargetError with one clear line otherwise. */
export function readProcInfo(pid: number): ProcInfo {
  if (!Number.isSafeInteger(pid) || pid <= 0) throw new TargetError(`invalid PID ${pid}`);
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'latin1');
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') throw new TargetError(`no such process: ${pid}`);
    throw new TargetError(`cannot read /proc/${pid}/status (${errnoOf(e)})`);
  }
  if (/^State:\s+Z/m.test(status)) throw new TargetError(`process ${pid} is a zombie`);
  try {
    process.kill(pid, 0);
  } catch (e) {
    if (errnoOf(e) === 'EPERM') throw new TargetError(`not permitted to signal process ${pid} (run as its user or root)`);
    if (errnoOf(e) === 'ESRCH') throw new TargetError(`no such process: ${pid}`);
  }
  let exe = '';
  try {
    exe = readlinkSync(`/proc/${pid}/exe`);
  } catch (e) {
    throw new TargetError(`not permitted to inspect process ${pid} (/proc/${pid}/exe: ${errnoOf(e)})`);
  }
  const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').filter((s) => s !== '');
  let maps = '';
  try {
    maps = readFileSync(`/proc/${pid}/maps`, 'latin1');
  } catch {
    maps = '';
  }
  const base = exe.replace(/ \(deleted\)$/, '').split('/').pop() ?? '';
  const isNode = /^node(js)?([-_.]?\d+(\.\d+)*)?$/.test(base) || /libnode\.so/.test(maps) || (/node/i.test(base) && /\bv8::|libuv|node::/.test(maps));
  if (!isNode) throw new TargetError(`process ${pid} is not a Node.js process (${base || 'unknown executable'})`);
  let environ = '';
  try {
    environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
  } catch {
    environ = '';
  }
  const nodeOptions = environ.split('\0').find((e) => e.startsWith('NODE_OPTIONS='))?.slice('NODE_OPTIONS='.length) ?? '';
  const sigCgt = /^SigCgt:\s+([0-9a-f]+)/m.exec(status)?.[1];
  const catchesSigusr1 = sigCgt !== undefined && (BigInt('0x' + sigCgt) & (1n << 9n)) !== 0n;
  const nodeArgs = [...cmdline.slice(1), ...nodeOptions.split(/\s+/).filter((s) => s !== '')];
  const sigusr1Disabled = nodeArgs.includes('--disable-sigusr1');
  let inspectPort = 9229;
  const portFlag = flagValue(nodeArgs, ['--inspect-port', '--debug-port']);
  const inspectFlag = flagValue(nodeArgs, ['--inspect', '--inspect-brk', '--inspect-wait']);
  const portText = portFlag ?? (inspectFlag !== undefined ? /(?:^|:)(\d+)$/.exec(inspectFlag)?.[1] : undefined);
  if (portText !== undefined && /^\d+$/.test(portText)) inspectPort = Number(portText);
  return { pid, exe, cmdline, nodeOptions, catchesSigusr1, sigusr1Disabled, inspectPort };
}
