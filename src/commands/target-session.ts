// Runs an analysis on the target a command names: a core file (through the session provider), or
// a live process (-p PID) read in place — frozen only while the analysis reads it, with the guard
// holding what to undo should nodescope die meanwhile. Whatever the analysis prints while the
// process is frozen is held back and written once it runs again.
import { Session } from '../analysis/session.js';
import type { LiveGuard } from '../target/live/live-guard.js';
import type { LiveTarget } from '../target/live/live-target.js';
import { ProcessFreeze } from '../target/live/process-freeze.js';
import { UsageError } from '../util/errors.js';
import type { CommandContext, ParsedArgs } from './command.js';
import { withSession } from './with-session.js';

/** The core or process of `args` (target positional or --pid), exactly one of them. */
export function targetOf(command: string, args: ParsedArgs): { core: string } | { pid: number } {
  const pid = args.values.pid as number | undefined;
  const core = args.values.target as string | undefined;
  if (pid === undefined && core === undefined) throw new UsageError(`${command}: give a core file or -p PID (see 'nodescope ${command} --help')`);
  if (pid !== undefined && core !== undefined) throw new UsageError(`${command}: give either a core file or -p PID, not both`);
  if (pid !== undefined && (!Number.isSafeInteger(pid) || pid <= 0)) throw new UsageError(`${command}: -p takes a process ID, not '${String(pid)}'`);
  return pid !== undefined ? { pid } : { core: core! };
}

/**
 * Runs `compute` on the command's target with a context to print through. On a live process the
 * process is frozen for the duration of `compute` only and what it prints is written afterwards.
 */
export async function onTarget<T>(ctx: CommandContext, command: string, args: ParsedArgs, compute: (s: Session, ctx: CommandContext) => T): Promise<T> {
  const t = targetOf(command, args);
  if ('core' in t) return withSession(ctx, t.core, args.values.binary as string | undefined, (s) => compute(s, ctx));
  if (args.values.binary !== undefined) throw new UsageError(`${command}: --binary is for cores; a live process is read with its own executable`);
  const held: Array<['out' | 'err', string]> = [];
  const buffered: CommandContext = { ...ctx, out: (text) => held.push(['out', text]), err: (text) => held.push(['err', text]) };
  try {
    return await onLiveProcess(ctx, t.pid, (s) => compute(s, buffered));
  } finally {
    for (const [to, text] of held) ctx[to](text);
  }
}

/**
 * Opens PID in place, builds what the walk needs from files, then freezes it while `compute`
 * runs; `shared` is a guard the caller already holds (else one is started for this freeze).
 */
export async function onLiveProcess<T>(ctx: CommandContext, pid: number, compute: (s: Session) => T, shared?: LiveGuard): Promise<T> {
  const s = Session.openLive(pid);
  // gdb and the guard start while the session indexes the files a walk reads.
  const prepared = ProcessFreeze.prepare();
  const guardStarted = shared !== undefined ? Promise.resolve(shared) : ctx.liveGuard();
  // Their failures are taken up below (or once the work failed first), never left unhandled.
  prepared.catch(() => undefined);
  guardStarted.catch(() => undefined);
  let handedOver = false;
  try {
    s.prepareLive();
    const guard = await guardStarted;
    await ctx.checkpoint('guarded');
    handedOver = true;
    const freeze = await ProcessFreeze.begin(s.target as LiveTarget, guard, ctx.checkpoint, prepared);
    let out: T;
    try {
      out = compute(s);
    } finally {
      const ms = await freeze.end();
      if (ctx.tty) ctx.err(`\u001b[2mprocess ${pid} was stopped for ${ms.toFixed(1)} ms\u001b[22m\n`);
    }
    return out;
  } finally {
    // ProcessFreeze.begin owns gdb once called; before that, it is ours to end.
    if (!handedOver) await prepared.then((p) => p.gdb.close(), () => undefined);
    if (shared === undefined) await guardStarted.then((g) => g.close(), () => undefined);
    s.close();
  }
}
