// `nodescope profile`: sample a live Node process (or one we launch) in inspector or kernel
// mode and write a flame graph or a profile file. Chooses the mode, prints which ran and why.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { sampleWithInspector } from '../profile/live/inspector-sampler.js';
import { Session } from '../analysis/session.js';
import type { NodeProcess } from '../node/node-process.js';
import { waitFor } from '../profile/live/wait-for.js';
import { checkPerfAccess } from '../profile/perf/perf-access.js';
import { sampleWithPerf } from '../profile/perf/perf-sampler.js';
import type { ProcessNaming } from '../profile/perf/sample-namer.js';
import { checkLiveProcess } from '../target/live/live-process-check.js';
import type { LiveGuard } from '../target/live/live-guard.js';
import { stackAnalysis } from '../analysis/stack.js';
import type { StackProbe } from '../profile/live/hidden-callee.js';
import { onLiveProcess } from './target-session.js';
import { totalSamples, type Profile } from '../profile/profile-model.js';
import { topFrames } from '../profile/profile-summary.js';
import { formatFromPath, PROFILE_FORMATS, type ProfileFormat } from '../profile/sink.js';
import { sinkFor } from '../render/flamegraph/flamegraph-sinks.js';
import { isNodescopeError, TargetError, UsageError } from '../util/errors.js';
import type { Command, CommandContext, ParsedArgs } from './command.js';

const LAUNCH_READY_MS = 15_000;
/**
 * Bytes of user stack copied per sample when JS frames are named in kernel mode. Every sample
 * record carries the whole copy, so this sets the bytes perf moves per sample; deeper stacks are
 * cut, drawn under [truncated stack], and said so in a note. 16 KiB cut every sample of an HTTP
 * handler's stack (the demo service: ~7 JS and ~25 native frames); 32 KiB cut none.
 */
export const DEFAULT_STACK_COPY = 32 * 1024;

/** Role: the chosen sampling mode and the reason printed for it. */
export interface ModeChoice {
  readonly mode: 'inspector' | 'perf';
  readonly reason: string;
  /** Whether kernel mode will name JS frames (then user stacks are copied). */
  readonly namesJs: boolean;
}

/** Role: picks the sampling mode: kernel when permitted and the V8 layout can load, else inspector. */
export function chooseMode(requested: string | undefined, node: NodeProcess): ModeChoice {
  const pid = node.pid;
  const whyNoJs = (): string | undefined => node.v8Missing;
  if (requested === 'inspector') return { mode: 'inspector', reason: 'requested with --mode inspector', namesJs: false };
  if (requested === 'perf') {
    const access = checkPerfAccess(pid);
    if (!access.ok) throw new TargetError(`kernel mode is not available: ${access.reason}`);
    const why = whyNoJs();
    return { mode: 'perf', reason: `requested with --mode perf (${access.reason})${why ? `; note: ${why}` : ''}`, namesJs: why === undefined };
  }
  if (requested !== undefined) throw new UsageError(`profile: --mode is inspector or perf, not '${requested}'`);
  const access = checkPerfAccess(pid);
  if (!access.ok) return { mode: 'inspector', reason: `kernel mode is not available (${access.reason})`, namesJs: false };
  const why = whyNoJs();
  if (why !== undefined) return { mode: 'inspector', reason: `kernel mode is permitted (${access.reason}) but ${why}; use --mode perf to sample native frames anyway`, namesJs: false };
  return { mode: 'perf', reason: `kernel mode is permitted (${access.reason}) and the binary carries the V8 metadata`, namesJs: true };
}

async function launch(rest: readonly string[], ctx: CommandContext, mode: string | undefined): Promise<{ pid: number; exited: Promise<number | null>; kill: () => void }> {
  const child = spawn(rest[0]!, rest.slice(1), { stdio: 'inherit' });
  const exited = new Promise<number | null>((resolve) => { child.on('exit', (code) => resolve(code)); child.on('error', () => resolve(null)); });
  const spawnError = await new Promise<Error | undefined>((resolve) => { child.once('spawn', () => resolve(undefined)); child.once('error', resolve); });
  if (spawnError !== undefined || child.pid === undefined) throw new TargetError(`cannot start ${rest[0]}: ${spawnError?.message ?? 'no pid'}`);
  const pid = child.pid;
  // Ready when the process is Node and, for inspector mode, handles SIGUSR1 (sending it earlier would kill it).
  const ready = await waitFor(() => {
    const info = checkLiveProcess(pid);
    if (!(mode === 'perf' || info.catchesSigusr1 || info.sigusr1Disabled)) return undefined;
    try {
      openNode(pid).close();
      return true;
    } catch (e) {
      // Not Node yet (a wrapper that has not exec'd node).
      if (e instanceof TargetError && e.code === 'NOT_NODE') return undefined;
      throw e;
    }
  }, LAUNCH_READY_MS, 10, ctx.signal);
  if (ready !== true) {
    child.kill('SIGTERM');
    throw new TargetError(`${rest[0]} (pid ${pid}) did not become a ready Node.js process within ${LAUNCH_READY_MS / 1000} s`);
  }
  return { pid, exited, kill: () => child.kill('SIGTERM') };
}

/** Role: writes `p` to `path` in `format` and reports it; shared by profile and flamegraph. */
export function writeProfile(p: Profile, path: string, format: ProfileFormat, ctx: CommandContext, title: string, inverted: boolean): void {
  const n = totalSamples(p);
  const subtitle = `${n.toLocaleString('en-US')} samples${p.meta.hz ? ` at ${p.meta.hz} Hz` : ''}, ${p.meta.mode} mode${p.meta.durationMs > 0 ? `, ${(p.meta.durationMs / 1000).toFixed(1)} s` : ''}`;
  const bytes = sinkFor(format, { title, subtitle, inverted }).encode(p);
  try {
    writeFileSync(path, bytes);
  } catch (e) {
    throw new TargetError(`cannot write ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const hot = topFrames(p, 'self', 1)[0];
  ctx.out(`wrote ${path} (${format}, ${n.toLocaleString('en-US')} samples)${hot ? `; hottest: ${hot.label} (${hot.percent.toFixed(1)}% self)` : ''}\n`);
  for (const note of p.meta.notes) ctx.err(`note: ${note}\n`);
  if (p.meta.mode !== 'file') ctx.err(`${closingLine(p)}\n`);
}

function countJsFrames(p: Profile): { total: number; unresolved: number } {
  let total = 0, unresolved = 0;
  for (const s of p.stacks) {
    for (const i of s.frames) {
      const f = p.frames[i]!;
      if (f.kind !== 'js') continue;
      total += s.count;
      if (f.name === '[JIT]' || f.name === '[interpreted]') unresolved += s.count;
    }
  }
  return { total, unresolved };
}

/** Role: the last line of a profile run: which mode ran and why, how many samples, and how many JS frames stayed unnamed. */
export function closingLine(p: Profile): string {
  const n = totalSamples(p).toLocaleString('en-US');
  const mode = p.meta.mode === 'perf' ? `kernel (perf${p.meta.transport ? `, ${p.meta.transport === 'pipe' ? 'streamed' : 'file'}` : ''})` : p.meta.mode;
  const why = p.meta.modeReason !== undefined ? ` (${p.meta.modeReason})` : '';
  const { total, unresolved } = p.meta.jsFrames ?? countJsFrames(p);
  const js = total === 0 ? 'no JS frames seen' : `${unresolved.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} JS frames unresolved (${((100 * unresolved) / total).toFixed(1)}%)`;
  return `profiled: ${mode} mode${why}; ${n} samples; ${js}`;
}

/** Role: resolves --format and -o into a format and a path. */
export function outputOf(values: ParsedArgs['values'], defaultStem: string): { format: ProfileFormat; path: string } {
  const fmtText = values.format as string | undefined;
  if (fmtText !== undefined && !(PROFILE_FORMATS as readonly string[]).includes(fmtText)) {
    throw new UsageError(`--format is one of ${PROFILE_FORMATS.join(', ')}, not '${fmtText}'`);
  }
  const out = values.output as string | undefined;
  const format = (fmtText as ProfileFormat | undefined) ?? (out !== undefined ? formatFromPath(out) : undefined) ?? 'svg';
  const path = out ?? `${defaultStem}${sinkFor(format).extension}`;
  return { format, path };
}

/** Opens PID as a live Node process (Session over a LiveTarget); a TargetError when it is not Node. */
function openNode(pid: number): Session & { readonly node: NodeProcess } {
  const s = Session.openLive(pid);
  try {
    return Object.assign(s, { node: s.nodeProcess() });
  } catch (e) {
    s.close();
    throw e;
  }
}

/**
 * Role: what kernel mode names frames with, from the target's Session: its symbolizer (every
 * module's symbols and CFI loaded now, before sampling), memory, builtins and V8 layout.
 */
export function processNaming(s: Session): ProcessNaming {
  s.symbolizer().warm();
  const base = { symbolizer: s.symbolizer(), space: s.target.space };
  return s.v8MetadataMissing() === undefined ? { ...base, builtins: s.builtins(), layout: s.layout() } : base;
}

/** The main thread's JS frames, read in place (frozen for milliseconds), innermost first. */
async function probeMainStack(ctx: CommandContext, pid: number, guard: LiveGuard): Promise<StackProbe> {
  try {
    const r = await onLiveProcess(ctx, pid, (s) => stackAnalysis(s, { tid: pid }), guard);
    const frames = (r.threads[0]?.frames ?? []).filter((f) => f.kind === 'js');
    return {
      frames: frames.map((f) => ({
        name: f.function !== '' ? (f.function ?? '') : (f.inferredName ?? ''),
        fp: f.fp ?? '',
        ...(f.script !== undefined ? { file: f.script } : {}),
        ...(f.line !== undefined ? { line: f.line } : {}),
        ...(f.column !== undefined ? { column: f.column } : {}),
      })),
    };
  } catch (e) {
    if (isNodescopeError(e)) return { error: e.message };
    throw e;
  }
}

/** Role: the `profile` command. */
export const profileCommand: Command = {
  name: 'profile',
  aliases: [],
  summary: 'sample a running Node process (no restart) and write a flame graph or profile',
  help: `Usage:
nodescope profile -p PID [-d SECONDS] [--hz N] [-o FILE] [--format F] [--mode inspector|perf]
nodescope profile [options] -- node app.js     launch, profile until exit or Ctrl-C
Examples:
nodescope profile -p 12345                     10 s at 99 Hz, writes profile-12345.svg
nodescope profile -p 12345 -d 30 --hz 999 -o cpu.html
nodescope profile -p 12345 --format pprof      writes profile-12345.pb.gz
Modes: inspector opens the process's inspector with SIGUSR1, samples with the DevTools Profiler and
closes it again (JS frames with file:line:column). perf (root or CAP_PERFMON) samples with perf
record: native, GC and kernel frames too, nothing injected; perf streams its samples to us and JS
frames are named from the live heap as they arrive (--perf-transport file: after sampling). The
default is perf when permitted and JS frames can be named, else inspector. The last line says
which mode ran and why, how many samples, and how many JS frames stayed [JIT]/[interpreted].
Ctrl-C stops early and writes what was collected.`,
  args: [
    { name: 'pid', kind: 'option', short: 'p', type: 'number', integer: true, min: 1, description: 'process to profile' },
    { name: 'duration', kind: 'option', short: 'd', type: 'number', default: 10, description: 'seconds to sample (ignored when launching: until exit)' },
    { name: 'hz', kind: 'option', type: 'number', integer: true, min: 1, default: 99, description: 'samples per second' },
    { name: 'output', kind: 'option', short: 'o', description: 'output file (default profile-<pid>.svg)' },
    { name: 'format', kind: 'option', description: `output format: ${PROFILE_FORMATS.join('|')} (default: from the -o extension)` },
    { name: 'mode', kind: 'option', description: 'inspector or perf (default: see above)' },
    { name: 'inverted', kind: 'flag', description: 'draw an icicle graph (root at the top)' },
    { name: 'stack-copy', kind: 'option', type: 'number', integer: true, min: 0, description: `perf mode: copy this many bytes of user stack per sample and walk frame pointers ourselves (default ${DEFAULT_STACK_COPY} when JS frames are named; deeper stacks are cut and noted)` },
    { name: 'perf-transport', kind: 'option', description: 'perf mode: pipe (default: perf streams samples and JS frames are named as they arrive) or file (perf.data read after sampling)' },
  ],
  async run(args, ctx) {
    const v = args.values;
    const hz = v.hz as number;
    const seconds = v.duration as number;
    if (!Number.isInteger(hz) || hz < 1 || hz > 20_000) throw new UsageError('profile: --hz is an integer from 1 to 20000');
    if (!(seconds > 0) || seconds > 86_400) throw new UsageError('profile: -d is a number of seconds above 0');
    const mode = v.mode as string | undefined;
    let pid = v.pid as number | undefined;
    let launched: Awaited<ReturnType<typeof launch>> | undefined;
    if (args.rest.length > 0) {
      if (pid !== undefined) throw new UsageError('profile: give -p PID or a command after --, not both');
      launched = await launch(args.rest, ctx, mode);
      pid = launched.pid;
    }
    if (pid === undefined) throw new UsageError("profile: missing -p PID (or '-- node app.js' to launch one)");
    if (!Number.isSafeInteger(pid) || pid <= 0) throw new UsageError(`profile: bad PID ${pid}`);
    const { format, path } = outputOf(v, `profile-${pid}`);
    const transport = v['perf-transport'] as string | undefined;
    if (transport !== undefined && transport !== 'pipe' && transport !== 'file') throw new UsageError(`profile: --perf-transport is pipe or file, not '${transport}'`);
    const stackCopyArg = v['stack-copy'] as number | undefined;
    if (stackCopyArg !== undefined && !(Number.isInteger(stackCopyArg) && stackCopyArg >= 0 && stackCopyArg <= 65528)) throw new UsageError('profile: --stack-copy is a number of bytes from 0 to 65528');
    const session = openNode(pid);
    try {
      const choice = chooseMode(mode, session.node);
      ctx.err(`mode: ${choice.mode === 'perf' ? 'kernel (perf)' : 'inspector'}: ${choice.reason}\n`);
      const durationMs = launched ? Infinity : seconds * 1000;
      const log = (line: string): void => ctx.err(`${line}\n`);
      ctx.err(launched ? `profiling process ${pid} until it exits or Ctrl-C\n` : `profiling process ${pid} for ${seconds} s at ${hz} Hz\n`);
      // Naming JS frames needs each frame's fp, which only a copy of the user stack gives.
      const stackCopy = stackCopyArg ?? (choice.namesJs ? DEFAULT_STACK_COPY : undefined);
      const guard = await ctx.liveGuard();
      const profile = await (choice.mode === 'perf'
        ? sampleWithPerf(pid, { hz, durationMs, signal: ctx.signal, log, guard, checkpoint: ctx.checkpoint, naming: processNaming(session), ...(stackCopy ? { stackCopyBytes: stackCopy } : {}), ...(transport ? { transport: transport as 'pipe' | 'file' } : {}) })
        : sampleWithInspector(pid, { hz, durationMs, signal: ctx.signal, log, guard, checkpoint: ctx.checkpoint, probe: () => probeMainStack(ctx, pid, guard) })
      ).finally(() => guard.close());
      writeProfile({ ...profile, meta: { ...profile.meta, modeReason: choice.reason } }, path, format, ctx, `CPU profile of process ${pid}`, v.inverted === true);
    } finally {
      session.close();
      if (launched) {
        if (ctx.signal.aborted) launched.kill();
        await launched.exited;
      }
    }
    return 0;
  },
};
