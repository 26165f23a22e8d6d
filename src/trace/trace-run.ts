// One trace of a live process: reach the agent (preloaded, or injected through the inspector),
// load the compiled program, pass printf/printa records on as they come, and end on -d, Ctrl-C,
// exit() or the target exiting; then stop (END clauses run, final aggregations come back) and
// detach, which removes every probe, and an injected agent with its socket.
import { existsSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { NO_CHECKPOINT, type Checkpoint } from '../target/live/checkpoint.js';
import type { LiveGuard } from '../target/live/live-guard.js';
import { processAlive } from '../target/live/proc-status.js';
import { TargetError } from '../util/errors.js';
import { AgentClient, type AgentMessage } from './agent-client.js';
import type { CompiledProgram } from './lang/compiled-program.js';
import { reachAgent } from './inject-agent.js';

/** Role: one aggregation as the agent reports it (the --json contract's element). */
export interface AggregationSnapshot {
  readonly name: string;
  readonly kind: string;
  readonly entries: ReadonlyArray<{ readonly key: readonly unknown[]; readonly value: unknown }>;
}

/** Role: a record the program produced while running. */
export type TraceRecord =
  | { readonly kind: 'printf'; readonly format: string; readonly args: readonly unknown[] }
  | { readonly kind: 'printa'; readonly aggregations: readonly AggregationSnapshot[] };

/** Role: options of one trace. */
export interface TraceRunOptions {
  readonly program: CompiledProgram;
  /** Infinity: until Ctrl-C, exit() or the target exits. */
  readonly durationMs: number;
  readonly guard: LiveGuard;
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
  readonly checkpoint?: Checkpoint;
  /** Called once the probes are live, with what is enabled. */
  readonly onLive?: (probes: readonly string[], pending: readonly string[]) => void;
  readonly onRecord?: (r: TraceRecord) => void;
}

/** Role: how a trace ended and what it collected. */
export interface TraceResult {
  readonly pid: number;
  readonly how: 'preloaded' | 'injected';
  readonly probes: readonly string[];
  /** Module probe descriptions that matched nothing yet (enabled when the app creates them). */
  readonly pending: readonly string[];
  readonly aggregations: readonly AggregationSnapshot[];
  readonly drops: number;
  /** Probe actions that failed in the target (caught there, counted). */
  readonly errors: number;
  readonly ended: 'duration' | 'interrupted' | 'exit' | 'target-exited';
  readonly notes: readonly string[];
}

function snapshots(m: AgentMessage): AggregationSnapshot[] {
  return Array.isArray(m.aggregations) ? (m.aggregations as AggregationSnapshot[]) : [];
}

/** Traces process `pid` with a compiled program. */
export async function runTrace(pid: number, opts: TraceRunOptions): Promise<TraceResult> {
  const reached = await reachAgent(pid, opts);
  const notes: string[] = [];
  let client: AgentClient | undefined;
  try {
    ({ client } = await AgentClient.connect(reached.socket));
    let exitAsked!: () => void;
    const exitRequested = new Promise<void>((r) => { exitAsked = r; });
    let exitedEnd: AgentMessage | undefined;
    client.onRecord((m) => {
      if (m.op === 'printf') opts.onRecord?.({ kind: 'printf', format: String(m.format), args: Array.isArray(m.args) ? m.args : [] });
      else if (m.op === 'printa') opts.onRecord?.({ kind: 'printa', aggregations: snapshots(m) });
      else if (m.op === 'exit') exitAsked();
      else if (m.op === 'end' && m.reason === 'target-exited') exitedEnd = m;
    });
    const loaded = await client.request({ op: 'load', program: opts.program }, ['loaded']);
    const probes = (loaded.probes as string[]) ?? [];
    const pending = (loaded.pending as string[]) ?? [];
    opts.onLive?.(probes, pending);
    await (opts.checkpoint ?? NO_CHECKPOINT)('tracing');
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      new Promise<'duration'>((r) => { if (Number.isFinite(opts.durationMs)) timer = setTimeout(() => r('duration'), opts.durationMs); }),
      new Promise<'interrupted'>((r) => { if (opts.signal?.aborted) r('interrupted'); opts.signal?.addEventListener('abort', () => r('interrupted'), { once: true }); }),
      exitRequested.then(() => 'exit' as const),
      client.closed.then(() => 'target-exited' as const),
    ]);
    clearTimeout(timer);
    let end: AgentMessage | undefined;
    if (ended !== 'target-exited') {
      end = await client.request({ op: 'stop' }, ['end']).catch((e: unknown) => {
        if (client!.closedNow) return undefined;
        throw e;
      });
    }
    end ??= exitedEnd;
    const how = ended === 'target-exited' || end?.reason === 'target-exited' ? 'target-exited' : ended;
    if (how === 'target-exited') notes.push(end !== undefined ? `process ${pid} exited mid-trace; the aggregations are as it left them` : `process ${pid} went away mid-trace before its agent could report; the aggregations are lost`);
    const drops = Number(end?.drops ?? 0);
    if (drops > 0) notes.push(`${drops} record(s) or aggregation key(s) dropped (limits: ${opts.program.limits.maxKeys} keys per aggregation, ${opts.program.limits.maxRecords} records per second)`);
    const errors = Number(end?.errors ?? 0);
    if (errors > 0) notes.push(`${errors} probe action(s) failed in the target and were skipped`);
    return { pid, how: reached.how, probes, pending, aggregations: end ? snapshots(end) : [], drops, errors, ended: how, notes };
  } finally {
    await client?.close();
    if (!processAlive(pid)) {
      // A process that died abruptly could not remove its agent's socket: nobody listens there now.
      rmSync(dirname(reached.socket), { recursive: true, force: true });
    } else if (reached.how === 'injected') {
      // The agent removes its socket and folder once we are gone; the guard still holds the duty until then.
      const end = Date.now() + 2000;
      while (existsSync(dirname(reached.socket)) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      if (existsSync(reached.socket)) opts.log?.(`warning: the trace agent's socket ${reached.socket} is still there`);
    }
    await reached.hold?.release().catch(() => undefined);
  }
}

/** Role: one probe of --list: arg0…argN, with a built-in probe's named fields in the same order. */
export interface ListedProbe {
  readonly provider: string;
  readonly name: string;
  readonly args: string[];
  readonly fields?: string[];
  readonly types?: string[];
  readonly builtin: boolean;
}

/** Lists the probes process `pid` offers (built-in and the app's module probes), with their arguments. */
export async function listProbes(pid: number, opts: Omit<TraceRunOptions, 'program' | 'durationMs'>): Promise<ListedProbe[]> {
  const reached = await reachAgent(pid, opts);
  let client: AgentClient | undefined;
  try {
    ({ client } = await AgentClient.connect(reached.socket));
    const m = await client.request({ op: 'list' }, ['list']);
    if (!Array.isArray(m.probes)) throw new TargetError(`the trace agent of process ${pid} sent no probe list`);
    return m.probes as ListedProbe[];
  } finally {
    await client?.close();
    await reached.hold?.release().catch(() => undefined);
  }
}
