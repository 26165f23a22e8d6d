// Opening a live process's inspector for one of our operations and closing it again: SIGUSR1 when
// it is not open (the guard told first, write-ahead), the new listening socket found in /proc (so
// --inspect-port=0 works), its debugger URL; and afterwards `inspector.close()` from inside and a
// check that the port is gone. Shared by inspector-mode profiling and trace's agent injection.
import { TargetError } from '../../util/errors.js';
import { CdpSession } from './cdp-session.js';
import { NO_CHECKPOINT, type Checkpoint } from './checkpoint.js';
import { CLOSE_INSPECTOR_EXPRESSION, debuggerUrl } from './inspector-control.js';
import { foreignListener, ownListeners } from './listening-sockets.js';
import type { GuardHold, LiveGuard } from './live-guard.js';
import { checkLiveProcess } from './live-process-check.js';
import { processAlive, sameNetNamespace } from './proc-status.js';

const OPEN_TIMEOUT_MS = 5000;
const CLOSE_TIMEOUT_MS = 3000;

/** Role: options of openInspector. */
export interface OpenInspectorOptions {
  readonly guard?: LiveGuard;
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
  /** Awaited at 'inspector-open'. */
  readonly checkpoint?: Checkpoint;
  /** What the user can do instead, appended to errors ("use --mode perf"). */
  readonly instead: string;
}

/** Role: an inspector we may have opened; `close` leaves the process as we found it. */
export interface InspectorAccess {
  readonly url: string;
  readonly openedByUs: boolean;
  /** Guard holds taken while opening it: release them once the inspector is closed again. */
  readonly holds: readonly GuardHold[];
  /**
   * Closes the inspector if we opened it: evaluates inspector.close() in `session` (unless
   * `exiting`), closes the session, and waits until the port is gone. Answers a warning line
   * when the inspector is still listening, else undefined.
   */
  close(session: CdpSession, exiting?: boolean): Promise<string | undefined>;
}

async function poll<T>(cond: () => T | undefined, ms: number, signal?: AbortSignal): Promise<T | undefined> {
  const end = Date.now() + ms;
  for (;;) {
    const v = cond();
    if (v !== undefined || Date.now() >= end || signal?.aborted) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Opens (or finds open) the inspector of `pid`; `holds` collects the guard duties taken. */
export async function openInspector(pid: number, opts: OpenInspectorOptions): Promise<InspectorAccess> {
  const log = opts.log ?? (() => undefined);
  const holds: GuardHold[] = [];
  const info = checkLiveProcess(pid);
  if (info.sigusr1Disabled) throw new TargetError(`process ${pid} was started with --disable-sigusr1, so its inspector cannot be opened; ${opts.instead}`);
  if (!sameNetNamespace(pid)) throw new TargetError(`process ${pid} is in another network namespace; its inspector on 127.0.0.1 is not reachable from here; ${opts.instead}`);
  const port = info.inspectPort;
  const before = new Set(ownListeners(pid).map((s) => s.inode));
  let url: string | undefined;
  let openedByUs = false;
  if (ownListeners(pid).some((s) => s.port === port)) url = await debuggerUrl(port);
  if (url === undefined) {
    const other = foreignListener(pid, port);
    if (other !== undefined) throw new TargetError(`port ${port} is already taken by another process, so process ${pid} cannot open its inspector there; free the port or ${opts.instead}`);
    if (!info.catchesSigusr1) throw new TargetError(`process ${pid} does not handle SIGUSR1 (inspector disabled or still starting); sending it would kill the process; ${opts.instead}`);
    // Write-ahead: the guard learns of the inspector before it opens.
    if (opts.guard !== undefined) holds.push(await opts.guard.hold({ kind: 'inspector', pid, port }));
    process.kill(pid, 'SIGUSR1');
    openedByUs = true;
    const sock = await poll(() => ownListeners(pid).find((s) => !before.has(s.inode)), OPEN_TIMEOUT_MS, opts.signal);
    if (sock === undefined) throw new TargetError(`process ${pid} did not open its inspector within ${OPEN_TIMEOUT_MS / 1000} s after SIGUSR1`);
    if (sock.port !== port && opts.guard !== undefined) holds.push(await opts.guard.hold({ kind: 'inspector', pid, port: sock.port }));
    url = await debuggerUrl(sock.port);
    if (url === undefined) throw new TargetError(`process ${pid} opened port ${sock.port} but it does not answer as an inspector`);
    log(`opened the inspector of process ${pid} on 127.0.0.1:${sock.port}`);
  } else {
    log(`process ${pid} already has its inspector open on port ${port}; it will be left open`);
  }
  await (opts.checkpoint ?? NO_CHECKPOINT)('inspector-open');
  const ours = openedByUs;
  return {
    url,
    openedByUs: ours,
    holds,
    async close(session, exiting = false) {
      if (ours && !session.isClosed && !exiting) {
        session.fire('Runtime.evaluate', { expression: CLOSE_INSPECTOR_EXPRESSION, awaitPromise: true, silent: true });
        await Promise.race([session.closed, new Promise((r) => setTimeout(r, CLOSE_TIMEOUT_MS))]);
      }
      await session.close();
      if (!ours || !processAlive(pid)) return undefined;
      const gone = await poll(() => (ownListeners(pid).some((s) => !before.has(s.inode)) ? undefined : true), CLOSE_TIMEOUT_MS);
      if (gone === undefined) return `warning: could not close the inspector of process ${pid}; it is still listening`;
      log(`closed the inspector of process ${pid} again`);
      return undefined;
    },
  };
}
