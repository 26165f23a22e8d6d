// Inspector mode: open the target's inspector with SIGUSR1, sample with the DevTools Profiler
// domain, and close the inspector again so the process is left as it was found. The target is
// never paused (the Debugger domain is never enabled). Chunks of the profile are fetched as we
// go, so an exit or a kill mid-profile still leaves what was collected.
import { fromCpuProfile } from '../cpuprofile-reader.js';
import { addProfileTo, ProfileBuilder, type Profile } from '../profile-model.js';
import { CdpSession } from '../../target/live/cdp-session.js';
import type { GuardHold, LiveGuard } from '../../target/live/live-guard.js';
import { NO_CHECKPOINT, type Checkpoint } from '../../target/live/checkpoint.js';
import { restoreHiddenCallee, type StackProbe } from './hidden-callee.js';
import { delay } from './wait-for.js';
import { openInspector } from '../../target/live/inspector-access.js';

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
  const access = await openInspector(pid, { ...(opts.guard ? { guard: opts.guard } : {}), ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.log ? { log: opts.log } : {}), ...(opts.checkpoint ? { checkpoint: opts.checkpoint } : {}), instead: 'use --mode perf' });
  holds.push(...access.holds);
  const url = access.url;
  const checkpoint = opts.checkpoint ?? NO_CHECKPOINT;
  const log = opts.log ?? (() => undefined);
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
    const warning = await access.close(session, exiting);
    if (warning !== undefined) {
      notes.push(warning);
      log(warning);
    }
  }
  const built = b.build({ pid, mode: 'inspector', hz: opts.hz, durationMs: Date.now() - startTime, startTime, notes });
  if (startProbe === undefined) return built;
  const fixed = restoreHiddenCallee(built, startProbe, endProbe);
  notes.push(...fixed.notes);
  return fixed.profile;
}
