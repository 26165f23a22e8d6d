// Runs a function with the session for a core path or, with -p PID, for a gcore snapshot of a
// live process (Session.openProcess: the process keeps running; the snapshot is deleted after).
import { Session } from '../analysis/session.js';
import { UsageError } from '../util/errors.js';
import type { ArgSpec, CommandContext, ParsedArgs } from './command.js';
import { withSession } from './with-session.js';

/** The core positional (optional, since -p may replace it). */
export const CORE_OR_PID_ARG: ArgSpec = { name: 'target', kind: 'positional', description: 'core file (omit with -p)' };
/** `-p PID`: a live process to snapshot and analyse. */
export const PID_ARG: ArgSpec = { name: 'pid', kind: 'option', short: 'p', type: 'number', description: 'live process to snapshot and analyse (it keeps running)' };

/** Opens the core or snapshots the process the arguments name, runs `fn`, and closes it. */
export async function withTarget<T>(command: string, ctx: CommandContext, args: ParsedArgs, fn: (s: Session) => T | Promise<T>): Promise<T> {
  const pid = args.values.pid as number | undefined;
  const target = args.values.target as string | undefined;
  if (pid === undefined && target === undefined) throw new UsageError(`${command}: give a core file or -p PID (see 'nodescope ${command} --help')`);
  if (pid !== undefined && target !== undefined) throw new UsageError(`${command}: give either a core file or -p PID, not both`);
  if (pid === undefined) return withSession(ctx, target!, args.values.binary as string | undefined, fn);
  const bar = ctx.progress(`snapshotting PID ${pid} (it keeps running)`);
  const s = await Session.openProcess(pid).finally(() => bar.done());
  try {
    return await fn(s);
  } finally {
    s.close();
  }
}
