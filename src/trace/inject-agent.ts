// Getting the trace agent into a running process. If the app preloaded nodescope/agent, its
// socket is already listening (found in /proc/net/unix). Otherwise the agent's own file is
// evaluated through the inspector (opened with SIGUSR1 and closed again at once): a fixed loader
// wraps the file's text as a CommonJS module and calls attach() with the socket path as data. The
// guard holds an 'agent' duty from before the injection until we have detached.
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { CdpSession } from '../target/live/cdp-session.js';
import { NO_CHECKPOINT, type Checkpoint } from '../target/live/checkpoint.js';
import { openInspector } from '../target/live/inspector-access.js';
import type { GuardHold, LiveGuard } from '../target/live/live-guard.js';
import { socketInodes } from '../target/live/listening-sockets.js';
import { TargetError } from '../util/errors.js';

/** Role: options of reachAgent. */
export interface ReachOptions {
  readonly guard: LiveGuard;
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
  readonly checkpoint?: Checkpoint;
}

/** Role: an agent we can connect to; release the hold once detached. */
export interface ReachedAgent {
  readonly socket: string;
  readonly how: 'preloaded' | 'injected';
  readonly hold: GuardHold | undefined;
}

/** Role: the file the inspector evaluates (dist/src/trace/agent/agent.cjs). */
export function agentFile(): string {
  return new URL('./agent/agent.cjs', import.meta.url).pathname;
}

/**
 * The loader evaluated in the target: `source` (the agent file) as a CommonJS module body, its
 * `require` being process.getBuiltinModule (Node ≥ 20.16) or the inspector's command-line
 * require, and attach() given `config` (JSON data). Answers attach()'s result as JSON text.
 */
export function loaderExpression(source: string, config: Record<string, unknown>): string {
  return `(() => {
  const req = typeof process.getBuiltinModule === 'function' ? process.getBuiltinModule : require;
  const module = { exports: {} };
  (function (exports, require, module) {
${source}
  })(module.exports, req, module);
  return JSON.stringify(module.exports.attach(${JSON.stringify(config)}, req));
})()`;
}

/** The path of a preloaded agent's socket in process `pid`, from /proc/net/unix, if any. */
export function preloadedSocket(pid: number): string | undefined {
  let table: string;
  try {
    table = readFileSync(`/proc/${pid}/net/unix`, 'latin1');
  } catch {
    return undefined;
  }
  const held = socketInodes(pid);
  for (const line of table.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    const path = f[7];
    // Num RefCount Protocol Flags Type St Inode Path; flags 00010000 is __SO_ACCEPTCON (listening).
    if (path !== undefined && path.endsWith(`/nodescope-${pid}/agent.sock`) && f[3] === '00010000' && held.has(Number(f[6]))) return path;
  }
  return undefined;
}

/** Finds the preloaded agent of `pid`, or injects one through the inspector. */
export async function reachAgent(pid: number, opts: ReachOptions): Promise<ReachedAgent> {
  const preloaded = preloadedSocket(pid);
  if (preloaded !== undefined) {
    opts.log?.(`process ${pid} preloaded nodescope/agent; connecting to ${preloaded}`);
    return { socket: preloaded, how: 'preloaded', hold: await opts.guard.hold({ kind: 'agent', pid, socket: preloaded }) };
  }
  const socket = `${tmpdir()}/nodescope-${pid}/agent.sock`;
  let source: string;
  try {
    source = readFileSync(agentFile(), 'utf8');
  } catch (e) {
    throw new TargetError(`cannot read the trace agent ${agentFile()} (${(e as NodeJS.ErrnoException).code ?? 'error'}); rebuild nodescope`);
  }
  // Write-ahead: should we die from here on, the guard detaches whatever agent got in.
  const hold = await opts.guard.hold({ kind: 'agent', pid, socket });
  const holds: GuardHold[] = [];
  try {
    const access = await openInspector(pid, { guard: opts.guard, ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.log ? { log: opts.log } : {}), ...(opts.checkpoint ? { checkpoint: opts.checkpoint } : {}), instead: "start the app with 'node -r nodescope/agent' and trace it without the inspector" });
    holds.push(...access.holds);
    const session = await CdpSession.connect(access.url);
    let answer: string | undefined;
    let failure: string | undefined;
    try {
      const res = await session.send<{ result?: { value?: unknown }; exceptionDetails?: { exception?: { description?: string }; text?: string } }>('Runtime.evaluate', { expression: loaderExpression(source, { mode: 'injected', socket }), includeCommandLineAPI: true, returnByValue: true, silent: true });
      if (res.exceptionDetails !== undefined) failure = res.exceptionDetails.exception?.description ?? res.exceptionDetails.text ?? 'exception';
      else answer = typeof res.result?.value === 'string' ? res.result.value : undefined;
    } finally {
      const warning = await access.close(session);
      if (warning !== undefined) opts.log?.(warning);
    }
    await (opts.checkpoint ?? NO_CHECKPOINT)('agent-injected');
    if (failure !== undefined) throw new TargetError(`the trace agent could not start in process ${pid}: ${failure.split('\n')[0]}`);
    const handle = JSON.parse(answer ?? '{}') as { socket?: unknown };
    if (typeof handle.socket !== 'string') throw new TargetError(`the trace agent did not answer from process ${pid}`);
    return { socket: handle.socket, how: 'injected', hold };
  } catch (e) {
    await hold.release().catch(() => undefined);
    throw e;
  } finally {
    for (const h of holds) await h.release().catch(() => undefined);
  }
}
