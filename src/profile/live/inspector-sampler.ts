// Inspector mode: open the target's inspector with SIGUSR1, sample with the DevTools Profiler
// domain, and close the inspector again so the process is left as it was found. The target is
// never paused (the Debugger domain is never enabled). Chunks of the profile are fetched as we
// go, so an exit or a kill mid-profile still leaves what was collected.
import { TargetError } from '../../util/errors.js';
import { fromCpuProfile } from '../cpuprofile-reader.js';
import { addProfileTo, ProfileBuilder, type Profile } from '../profile-model.js';
import { CdpSession } from '../../target/live/cdp-session.js';
import { CLOSE_INSPECTOR_EXPRESSION, debuggerUrl } from '../../target/live/inspector-control.js';
import { foreignListener, ownListeners } from '../../target/live/listening-sockets.js';
import type { GuardHold, LiveGuard } from '../../target/live/live-guard.js';
import { NO_CHECKPOINT, type Checkpoint } from '../../target/live/checkpoint.js';
import { restoreHiddenCallee, type StackProbe } from './hidden-callee.js';
import { checkLiveProcess } from '../../target/live/live-process-check.js';
import { processAlive, sameNetNamespace } from '../../target/live/proc-status.js';
import { delay, waitFor } from './wait-for.js';

/** Role: options of one inspector-mode profile. */
export interface InspectorSampleOptions {
  readonly hz: number;
  /** How long to sample; Infinity samples until the target exits or `signal` aborts. */
  readonly durationMs: number;
  readonly signal?: AbortSignal;
  /** Progress and remarks for the user, one line each. */
  readonly log?: (line: string) => void;
  /** Profile chunk length: the profile is fetched this often (default 5 s). */
  readonly chunkMs?: number;
  /** The live guard: closes the inspector we open should nodescope die with it open. */
  readonly guard?: LiveGuard;
  /** Awaited at 'inspector-open' and 'profiling' (the kill tests stop there). */
  readonly checkpoint?: Checkpoint;
  /**
   * Reads the main thread's JS stack in place (a freeze of milliseconds), at the start and the
   * end of the profile: what V8's profiler cannot see (code optimized on-stack before it began)
   * is then named (restoreHiddenCallee).
   */
  readonly probe?: () => Promise<StackProbe>;
}

const OPEN_TIMEOUT_MS = 5000;
const CLOSE_TIMEOUT_MS = 3000;

/** Role: profiles a live Node process through its inspector; the inspector is closed afterwards. */
export async function sampleWithInspector(pid: number, opts: InspectorSampleOptions): Promise<Profile> {
  const holds: GuardHold[] = [];
  try {
    return await profileHolding(pid, opts, holds);
  } finally {
    // Released only once the inspector is closed again (or was never ours).
    for (const h of holds) await h.release().catch(() => undefined);
  }
}

async function profileHolding(pid: number, opts: InspectorSampleOptions, holds: GuardHold[]): Promise<Profile> {
  const log = opts.log ?? (() => undefined);
  const info = checkLiveProcess(pid);
  if (info.sigusr1Disabled) throw new TargetError(`process ${pid} was started with --disable-sigusr1, so its inspector cannot be opened; use --mode perf`);
  if (!sameNetNamespace(pid)) throw new TargetError(`process ${pid} is in another network namespace; its inspector on 127.0.0.1 is not reachable from here; use --mode perf`);
  const port = info.inspectPort;
  let openedByUs = false;
  let url: string | undefined;

  const before = new Set(ownListeners(pid).map((s) => s.inode));
  if (ownListeners(pid).some((s) => s.port === port)) url = await debuggerUrl(port);
  if (url === undefined) {
    const other = foreignListener(pid, port);
    if (other !== undefined) throw new TargetError(`port ${port} is already taken by another process, so process ${pid} cannot open its inspector there; free the port or use --mode perf`);
    if (!info.catchesSigusr1) throw new TargetError(`process ${pid} does not handle SIGUSR1 (inspector disabled or still starting); sending it would kill the process; use --mode perf`);
    // Write-ahead: the guard learns of the inspector before it opens.
    if (opts.guard !== undefined) holds.push(await opts.guard.hold({ kind: 'inspector', pid, port }));
    process.kill(pid, 'SIGUSR1');
    openedByUs = true;
    const sock = await waitFor(() => ownListeners(pid).find((s) => !before.has(s.inode)), OPEN_TIMEOUT_MS, 20, opts.signal);
    if (sock === undefined) {
      throw new TargetError(`process ${pid} did not open its inspector within ${OPEN_TIMEOUT_MS / 1000} s after SIGUSR1`);
    }
    if (sock.port !== port && opts.guard !== undefined) holds.push(await opts.guard.hold({ kind: 'inspector', pid, port: sock.port }));
    url = await debuggerUrl(sock.port);
    if (url === undefined) throw new TargetError(`process ${pid} opened port ${sock.port} but it does not answer as an inspector`);
    log(`opened the inspector of process ${pid} on 127.0.0.1:${sock.port}`);
  } else {
    log(`process ${pid} already has its inspector open on port ${port}; it will be left open`);
  }
  const checkpoint = opts.checkpoint ?? NO_CHECKPOINT;
  await checkpoint('inspector-open');
  const session = await CdpSession.connect(url);
  const b = new ProfileBuilder();
  const notes: string[] = [];
  let startProbe: StackProbe | undefined;
  let endProbe: StackProbe | undefined;
  const startTime = Date.now();
  let firstStart: number | undefined;
  let exiting = false;
  const exited = new Promise<void>((resolve) => {
    session.on('NodeRuntime.waitingForDisconnect', () => { exiting = true; resolve(); });
    void session.closed.then(() => resolve());
  });
  try {
    await session.send('NodeRuntime.notifyWhenWaitingForDisconnect', { enabled: true }).catch(() => undefined);
    await session.send('Profiler.enable');
    startProbe = await opts.probe?.();
    await session.send('Profiler.setSamplingInterval', { interval: Math.max(1, Math.round(1e6 / opts.hz)) });
    const deadline = Date.now() + opts.durationMs;
    const chunkMs = opts.chunkMs ?? 5000;
    for (;;) {
      await session.send('Profiler.start');
      await checkpoint('profiling');
      const wait = Math.min(chunkMs, Math.max(0, deadline - Date.now()));
      const waitAbort = new AbortController();
      const onAbort = (): void => waitAbort.abort();
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      void exited.then(() => waitAbort.abort());
      await delay(wait, waitAbort.signal);
      opts.signal?.removeEventListener('abort', onAbort);
      if (session.isClosed) {
        notes.push(`process ${pid} went away mid-profile; the last chunk (up to ${chunkMs / 1000} s) was lost, the rest is written`);
        break;
      }
      const res = await session.send<{ profile: { startTime: number } }>('Profiler.stop', {}, 30_000);
      firstStart ??= res.profile.startTime;
      addProfileTo(b, fromCpuProfile(res.profile, {}, `process ${pid}`), res.profile.startTime - firstStart);
      if (exiting) { notes.push(`process ${pid} exited mid-profile; what was collected is written`); break; }
      if (opts.signal?.aborted) { notes.push('interrupted; what was collected is written'); break; }
      if (Date.now() >= deadline) break;
    }
    if (!session.isClosed) await session.send('Profiler.disable').catch(() => undefined);
    if (!session.isClosed && !exiting) endProbe = await opts.probe?.();
  } finally {
    if (openedByUs && !session.isClosed && !exiting) {
      session.fire('Runtime.evaluate', { expression: CLOSE_INSPECTOR_EXPRESSION, awaitPromise: true, silent: true });
      await Promise.race([session.closed, delay(CLOSE_TIMEOUT_MS)]);
    }
    await session.close();
    if (openedByUs && processAlive(pid)) {
      const stillOpen = await waitFor(() => (ownListeners(pid).some((s) => !before.has(s.inode)) ? undefined : true), CLOSE_TIMEOUT_MS);
      if (stillOpen === undefined) {
        notes.push(`warning: could not close the inspector of process ${pid}; it is still listening`);
        log(`warning: could not close the inspector of process ${pid}; it is still listening`);
      } else {
        log(`closed the inspector of process ${pid} again`);
      }
    }
  }
  const built = b.build({ pid, mode: 'inspector', hz: opts.hz, durationMs: Date.now() - startTime, startTime, notes });
  if (startProbe === undefined) return built;
  const fixed = restoreHiddenCallee(built, startProbe, endProbe);
  notes.push(...fixed.notes);
  return fixed.profile;
}
