// Runs one `perf record` against a live process: spawns it, waits until it holds its perf_event
// file descriptors (attached), lets it sample until the duration passes, the caller aborts or the
// target exits, then stops it with SIGINT. It does not read perf's output; callers do.
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { GuardHold, LiveGuard } from '../../target/live/live-guard.js';
import { NO_CHECKPOINT, type Checkpoint } from '../../target/live/checkpoint.js';
import { TargetError } from '../../util/errors.js';
import { holdsPerfEvents, processAlive } from '../../target/live/proc-status.js';
import { delay, waitFor } from '../live/wait-for.js';

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 30_000;

/** Role: how one perf record run went. */
export interface PerfRecordRun {
  /** Remarks for the user (interrupted, target exited). */
  readonly notes: string[];
  readonly startTime: number;
  readonly durationMs: number;
}

/** Role: options of one perf record run. */
export interface PerfRecordOptions {
  readonly durationMs: number;
  readonly signal?: AbortSignal;
  readonly log: (line: string) => void;
  readonly perfPath?: string;
  /** Called once perf has attached, with a description of what it samples. */
  readonly onStarted?: () => void;
  /** Receives perf's stdout (pipe mode); it is fully read before run() resolves. */
  readonly stdout?: (out: Readable) => Promise<void>;
  /** The live guard: it kills perf should nodescope die while perf runs. */
  readonly guard?: LiveGuard;
  /** Awaited at 'perf-running' (the kill tests stop there). */
  readonly checkpoint?: Checkpoint;
}

/**
 * perf starts behind a shell that waits for a go line, so that the guard has perf's PID before
 * perf attaches; EOF instead (nodescope died first) means perf never runs. `exec` keeps the PID.
 */
const GATE = 'read go || exit 1; [ "$go" = go ] || exit 1; exec "$0" "$@"';

/** Role: thrown when perf exits or stalls before attaching; `stderr` holds its last line. */
export class PerfDidNotStart extends TargetError {
  constructor(message: string, readonly stderr: string) {
    super(message);
  }
}

/** Role: runs `perf <args>` against process `pid` until the duration, an abort or the target's exit. */
export async function runPerfRecord(pid: number, args: readonly string[], opts: PerfRecordOptions): Promise<PerfRecordRun> {
  const startTime = Date.now();
  const child = spawn('/bin/sh', ['-c', GATE, opts.perfPath ?? 'perf', ...args], { stdio: ['pipe', opts.stdout ? 'pipe' : 'ignore', 'pipe'] });
  let hold: GuardHold | undefined;
  try {
    if (opts.guard !== undefined && child.pid !== undefined) hold = await opts.guard.hold({ kind: 'kill', pid: child.pid });
  } finally {
    child.stdin!.end('go\n');
  }
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (c: string) => { if (stderr.length < 8192) stderr += c; });
  let exited = false;
  const exitP = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => { exited = true; resolve(code); });
    child.on('error', () => { exited = true; resolve(-1); });
  });
  const readP = opts.stdout ? opts.stdout(child.stdout!) : Promise.resolve();
  // A read failure stops perf at once (nobody drains its pipe any more) and is thrown once perf
  // has exited, without an unhandled rejection meanwhile.
  const readDone = readP.then(() => undefined, (e: unknown) => {
    child.stdout?.destroy();
    child.kill('SIGKILL');
    return e;
  });
  const notes: string[] = [];
  const lastLine = (): string => stderr.trim().split('\n').pop() || 'no output';
  try {
    // perf has attached once it holds perf_event file descriptors (it enables them right after
    // writing the initial MMAP/COMM records).
    const ready = await waitFor(() => (exited ? false : child.pid !== undefined && holdsPerfEvents(child.pid) ? true : undefined), START_TIMEOUT_MS);
    if (ready !== true) {
      if (!processAlive(pid)) throw new TargetError(`process ${pid} exited before perf could attach`);
      throw new PerfDidNotStart(`perf record did not start: ${lastLine()}`, lastLine());
    }
    opts.onStarted?.();
    await (opts.checkpoint ?? NO_CHECKPOINT)('perf-running');
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    void exitP.then(() => stop.abort());
    const targetGone = (async (): Promise<void> => {
      while (!stop.signal.aborted) {
        if (!processAlive(pid)) { stop.abort(); return; }
        await delay(100, stop.signal);
      }
    })();
    await delay(Number.isFinite(opts.durationMs) ? opts.durationMs : 2 ** 31 - 1, stop.signal);
    stop.abort();
    await targetGone;
    opts.signal?.removeEventListener('abort', onAbort);
    if (opts.signal?.aborted) notes.push('interrupted; what was collected is written');
    else if (!processAlive(pid)) notes.push(`process ${pid} exited mid-profile; what was collected is written`);
    if (!exited) child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    const code = await exitP;
    const readError = await readDone;
    clearTimeout(timer);
    if (code !== 0 && code !== null && code !== 130 && code !== -2) opts.log(`perf record exited with ${code}: ${lastLine()}`);
    if (readError !== undefined) throw readError;
    return { notes, startTime, durationMs: Date.now() - startTime };
  } finally {
    if (!exited) { child.kill('SIGKILL'); await exitP; }
    child.stdout?.destroy();
    await readDone;
    await hold?.release();
  }
}
