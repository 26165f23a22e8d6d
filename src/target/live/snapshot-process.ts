// Writes a core of a running Node process with gdb's gcore and leaves the process running: the
// target is resumed (SIGCONT) whenever it is found stopped afterwards, also when we are
// interrupted; gcore runs in its own process group so that it can be killed as a whole.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TargetError } from '../../util/errors.js';
import { COREDUMP_FILTER_ALL, readCoredumpFilter, writeCoredumpFilter } from './coredump-filter.js';
import { checkLiveProcess, permissionError } from './live-process-check.js';
import { anyThreadStopped, countTracedThreads, readProcessState } from './proc-status.js';
import type { GuardHold, LiveGuard } from './live-guard.js';
import { NO_CHECKPOINT, type Checkpoint } from './checkpoint.js';
import { copySparse } from './sparse-copy.js';

/** Role: options of one live snapshot. */
export interface SnapshotOptions {
  /** coredump_filter mask while the core is written (default 0x3f: anonymous and file-backed). */
  readonly coredumpFilter?: number;
  /** Hard limit for gcore; it is killed and the target resumed past it (default 300 s). */
  readonly timeoutMs?: number;
  /** The gcore program (default: `gcore` found on PATH). */
  readonly gcore?: string;
  /** Leave all-zero blocks as holes in the output (default true). */
  readonly sparse?: boolean;
  /**
   * Folder for gcore's raw output before the sparse copy (default: beside outPath). A tmpfs such
   * as /dev/shm saves writing hundreds of MB of zeros to disk.
   */
  readonly scratchDir?: string;
  /**
   * The live guard: holds every change (coredump_filter, the stopped target, gcore, partial
   * files) before it is made, so that a nodescope killed with SIGKILL leaves nothing behind.
   */
  readonly guard?: LiveGuard;
  /** Awaited at 'filter-set', 'gcore-running' and 'copying' (the kill tests stop there). */
  readonly checkpoint?: Checkpoint;
}

/** Role: what a snapshot wrote. */
export interface SnapshotResult {
  readonly corePath: string;
  /** Size of the core file in bytes (its apparent size; holes count). */
  readonly bytes: number;
  /** Wall time of the whole snapshot in milliseconds. */
  readonly ms: number;
  /** The process was already stopped (state T) before the snapshot, and is left so. */
  readonly wasStopped: boolean;
}

const TRACER_WAIT_MS = 2000;
const CLEANUP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function findOnPath(program: string): string | undefined {
  if (program.includes('/')) return program;
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}

/** Role: a writable tmpfs (/dev/shm) for SnapshotOptions.scratchDir, when the machine has one. */
export function tmpfsScratchDir(): string | undefined {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return undefined;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone or never written.
  }
}

/** Role: sends SIGCONT to PID when any of its threads is found stopped (state T); returns whether it did. */
export function resumeIfStopped(pid: number): boolean {
  if (!anyThreadStopped(pid)) return false;
  try {
    process.kill(pid, 'SIGCONT');
    return true;
  } catch {
    return false;
  }
}

/**
 * Role: kills the gcore process group if it still runs, waits (bounded) until no thread of the
 * target is traced, resumes the target and restores its coredump_filter. Synchronous, so that it
 * can run in an exit handler. A gdb that died mid-way may leave SIGSTOPs of its attach pending or
 * delivered (PTRACE_ATTACH sends SIGSTOP; Linux kernel/ptrace.c), so then SIGCONT is sent
 * unconditionally: it also discards pending stop signals (kernel/signal.c prepare_signal).
 */
function releaseTarget(pid: number, child: ChildProcess, interrupted: boolean, wasStopped: boolean, oldFilter: number | undefined): void {
  let killed = false;
  if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
    try {
      process.kill(-child.pid, 'SIGKILL');
      killed = true;
    } catch {
      // The group is already gone.
    }
  }
  if (killed || interrupted) {
    const until = performance.now() + TRACER_WAIT_MS;
    while (performance.now() < until && countTracedThreads(pid) > 0) sleepSync(10);
  }
  if (!wasStopped) {
    if (killed || interrupted) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // The target is gone.
      }
    } else {
      resumeIfStopped(pid);
    }
  }
  if (oldFilter !== undefined) writeCoredumpFilter(pid, oldFilter);
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<{ code: number | null; signal: string | null; timedOut: boolean }> {
  return new Promise((done) => {
    const timer = setTimeout(() => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Exited meanwhile.
        }
      }
      done({ code: null, signal: 'SIGKILL', timedOut: true });
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, timedOut: false });
    });
    child.once('error', () => {
      clearTimeout(timer);
      done({ code: null, signal: null, timedOut: false });
    });
  });
}

function gcoreFailure(pid: number, stderr: string, status: string): TargetError {
  if (/Operation not permitted|ptrace: Permission denied/i.test(stderr)) return permissionError(pid);
  if (/No such process/i.test(stderr) || readProcessState(pid) === undefined) {
    return new TargetError(`PID ${pid} exited while its snapshot was taken`);
  }
  const last = stderr.trim().split('\n').filter((l) => l.trim() !== '').pop() ?? status;
  return new TargetError(`gcore could not snapshot PID ${pid}: ${last}`);
}

/**
 * Role: writes a core of live process `pid` to `outPath` with gcore, and leaves the process
 * running. Throws TargetError for a missing PID, no permission or no gdb (callers that need a
 * Node process check it first: Session.nodeProcess).
 */
export async function snapshotProcess(pid: number, outPath: string, opts: SnapshotOptions = {}): Promise<SnapshotResult> {
  const started = performance.now();
  const target = checkLiveProcess(pid);
  const gcore = findOnPath(opts.gcore ?? 'gcore');
  if (gcore === undefined) {
    throw new TargetError("snapshot needs gdb's gcore on PATH; install gdb (e.g. apt-get install gdb)", 'MISSING_TOOL');
  }
  const corePath = resolve(outPath);
  const outDir = dirname(corePath);
  if (!existsSync(outDir)) throw new TargetError(`cannot write ${corePath}: no directory ${outDir}`);
  const scratch = opts.sparse === false ? outDir : opts.scratchDir ?? outDir;
  const prefix = join(scratch, `.${basename(corePath)}.partial-${process.pid}`);
  // gcore names its output <prefix>.<pid> (gdb gdb/gcore.in).
  const partial = `${prefix}.${pid}`;
  // The sparse copy is written beside the core and renamed, so a cut-off copy never looks whole.
  const copying = `${corePath}.partial-${process.pid}`;
  const wasStopped = target.state === 'T';
  const oldFilter = readCoredumpFilter(pid);
  const holds: GuardHold[] = [];
  const guard = opts.guard;
  const releaseHolds = async (): Promise<void> => {
    for (const h of holds.splice(0)) await h.release().catch(() => undefined);
  };
  if (guard !== undefined) {
    // Write-ahead: each duty is acknowledged before the change it undoes.
    if (oldFilter !== undefined) holds.push(await guard.hold({ kind: 'coredump-filter', pid, value: oldFilter }));
    holds.push(await guard.hold({ kind: 'remove', path: partial }), await guard.hold({ kind: 'remove', path: copying }));
    if (!wasStopped) holds.push(await guard.hold({ kind: 'resume', pid }));
  }
  writeCoredumpFilter(pid, opts.coredumpFilter ?? COREDUMP_FILTER_ALL);
  const checkpoint = opts.checkpoint ?? NO_CHECKPOINT;
  await checkpoint('filter-set');

  // The shell around gcore waits for a go line first, so that the guard knows gcore's process
  // group before gcore starts (EOF instead of go: we died, nothing runs). It removes its output
  // when we died meanwhile (SIGKILL gives us no say and there may be no guard).
  const wrapper = 'read go || exit 1; [ "$go" = go ] || exit 1; "$1" -o "$2" "$3"; rc=$?; kill -0 "$4" 2>/dev/null || rm -f "$2.$3"; exit $rc';
  const child = spawn('/bin/sh', ['-c', wrapper, 'sh', gcore, prefix, String(pid), String(process.pid)], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  try {
    if (guard !== undefined && child.pid !== undefined) holds.push(await guard.hold({ kind: 'kill', pid: -child.pid }));
  } finally {
    child.stdin?.end('go\n');
  }
  await checkpoint('gcore-running');
  let stderr = '';
  child.stdout?.on('data', () => undefined);
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 64 * 1024) stderr += d.toString('utf8');
  });
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    releaseTarget(pid, child, true, wasStopped, oldFilter);
    removeQuietly(partial);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    release();
    for (const s of CLEANUP_SIGNALS) process.removeListener(s, onSignal);
    process.kill(process.pid, signal);
  };
  for (const s of CLEANUP_SIGNALS) process.on(s, onSignal);
  process.on('exit', release);

  let outcome: Awaited<ReturnType<typeof waitForExit>> | undefined;
  try {
    outcome = await waitForExit(child, opts.timeoutMs ?? 300_000);
  } finally {
    for (const s of CLEANUP_SIGNALS) process.removeListener(s, onSignal);
    process.removeListener('exit', release);
    if (!released) {
      released = true;
      releaseTarget(pid, child, outcome === undefined || outcome.code !== 0, wasStopped, oldFilter);
    }
  }
  if (outcome === undefined) {
    await releaseHolds();
    throw new TargetError(`gcore for PID ${pid} did not run`);
  }
  const end = outcome;
  try {
    if (end.timedOut) throw new TargetError(`gcore of PID ${pid} did not finish within ${opts.timeoutMs ?? 300_000} ms`);
    if (end.code !== 0 || !existsSync(partial)) {
      throw gcoreFailure(pid, stderr, `exit ${end.code ?? end.signal ?? 'error'}`);
    }
    let bytes: number;
    if (opts.sparse === false) {
      renameSync(partial, corePath);
      bytes = statSync(corePath).size;
    } else {
      await checkpoint('copying');
      bytes = copySparse(partial, copying);
      renameSync(copying, corePath);
    }
    return { corePath, bytes, ms: Math.round(performance.now() - started), wasStopped };
  } finally {
    removeQuietly(partial);
    removeQuietly(copying);
    await releaseHolds();
  }
}
