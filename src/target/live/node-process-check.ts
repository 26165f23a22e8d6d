// Checks that a PID names a live Node process we may attach to, with one clear TargetError per
// failure (no such PID, not Node, no permission). Reads /proc and, when the name is not telling,
// the executable's symbols for V8's postmortem metadata (v8dbg_*).
import { basename } from 'node:path';
import { ElfFile } from '../../elf/elf-file.js';
import { FileByteSource } from '../../io/byte-source.js';
import { TargetError, isNodescopeError } from '../../util/errors.js';
import { readExeLink, readProcessState } from './proc-status.js';

/** Role: what the checks learned about a live Node process. */
export interface LiveNodeProcess {
  readonly pid: number;
  /** Executable path as /proc/PID/exe names it (" (deleted)" removed). */
  readonly exe: string;
  /** Scheduler state when checked (R, S, T, …). */
  readonly state: string;
}

const PERMISSION_HINT = 'run as root or the same user (ptrace_scope)';

function hasV8Metadata(pid: number): boolean {
  let source: FileByteSource | undefined;
  try {
    // /proc/PID/exe opens the mapped file even when it was deleted or replaced on disk.
    source = new FileByteSource(`/proc/${pid}/exe`, 4 * 1024 * 1024);
    return ElfFile.open(source).symbols().some((s) => s.name.startsWith('v8dbg_'));
  } catch (e) {
    if (isNodescopeError(e)) return false;
    throw e;
  } finally {
    source?.close();
  }
}

/** Role: validates PID as an attachable Node process or throws the TargetError that says why not. */
export function checkNodeProcess(pid: number): LiveNodeProcess {
  if (!Number.isSafeInteger(pid) || pid <= 0) throw new TargetError(`invalid PID ${String(pid)}`);
  const state = readProcessState(pid);
  if (state === undefined) throw new TargetError(`no process with PID ${pid}`);
  if (state === 'Z' || state === 'X') throw new TargetError(`PID ${pid} has exited (zombie)`);
  const link = readExeLink(pid);
  if ('error' in link) {
    if (link.error === 'EACCES' || link.error === 'EPERM') {
      throw new TargetError(`no permission to attach to PID ${pid}; ${PERMISSION_HINT}`);
    }
    if (link.error === 'ENOENT') throw new TargetError(`PID ${pid} is not a Node process (exe: none)`);
    throw new TargetError(`cannot read /proc/${pid}/exe (${link.error})`);
  }
  const exe = link.path.replace(/ \(deleted\)$/, '');
  if (!/node/i.test(basename(exe)) && !hasV8Metadata(pid)) {
    throw new TargetError(`PID ${pid} is not a Node process (exe: ${exe})`);
  }
  return { pid, exe, state };
}

/** Role: the permission error message for PID, shared with the engine that learns it from gdb. */
export function permissionError(pid: number): TargetError {
  return new TargetError(`no permission to attach to PID ${pid}; ${PERMISSION_HINT}`);
}
