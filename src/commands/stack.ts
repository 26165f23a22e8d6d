// `nodescope stack`: every thread's mixed JS/native stack of a core or a live process
// (mdb_v8 ::jsstack, llnode `v8 bt`).
import type { Session } from '../analysis/session.js';
import { stackAnalysis, threadStacks } from '../analysis/stack.js';
import { renderStack } from '../render/stack-text.js';
import { makeStyle } from '../render/style.js';
import { UsageError } from '../util/errors.js';
import { BINARY_ARG, JSON_ARG, PID_ARG } from './common-args.js';
import type { Command, CommandContext, ParsedArgs } from './command.js';
import { withSession } from './with-session.js';
import { onLiveProcess, targetOf } from './target-session.js';
import { fatalError, type FatalError } from '../analysis/node/fatal-error.js';
import { renderFatal } from '../render/node/why-text.js';
import { isNodescopeError } from '../util/errors.js';

/** The fatal error of a crashed process, for the header (none for a snapshot, or when it cannot be read). */
function crashOf(s: Session): FatalError | undefined {
  try {
    const f = fatalError(s);
    return f.kind === 'snapshot' ? undefined : f;
  } catch (e) {
    if (!isNodescopeError(e)) throw e;
    return undefined;
  }
}

/** Role: the `stack` command. */
export const stackCommand: Command = {
  name: 'stack',
  aliases: ['jsstack', 'v8 bt', 'bt'],
  summary: "print every thread's JS and native stack, innermost frame first",
  help: `Examples:
  nodescope stack core.12345                 # the node binary is found from the core
  nodescope stack core.12345 --binary ./node # explicit binary (checked by build-id)
  nodescope stack -p 12345                   # live process: stopped for milliseconds, read in place
  nodescope stack core.12345 -v              # file, lines, this and arguments per JS frame
  nodescope stack core.12345 -a              # also internal frames (entry, exit, stub), fp and pc
  nodescope stack core.12345 --json
Internal V8 frames are elided with a count; repeated frames of deep recursion are folded.`,
  args: [
    { name: 'target', kind: 'positional', description: 'core file (omit with -p)' },
    PID_ARG,
    BINARY_ARG,
    { name: 'verbose', kind: 'flag', short: 'v', description: 'per-frame detail: file, definition and current line, this, arguments' },
    { name: 'all', kind: 'flag', short: 'a', description: 'show internal frames and each frame\'s fp and pc' },
    { name: 'thread', kind: 'option', short: 't', type: 'number', integer: true, min: 1, description: 'only the thread with this TID' },
    JSON_ARG,
  ],
  async run(args, ctx) {
    const t = targetOf('stack', args);
    if ('pid' in t) {
      // Walked while the process is stopped, printed once it runs again.
      const result = await onLiveProcess(ctx, t.pid, (s) => stackAnalysis(s, threadOption(s, args)));
      if (args.values.json) ctx.out(JSON.stringify(result) + '\n');
      else ctx.out(renderStack(result, makeStyle(ctx.color), { verbose: args.values.verbose === true, all: args.values.all === true }));
      return;
    }
    await withSession(ctx, t.core, args.values.binary as string | undefined, (s) => print(s, args, ctx));
  },
};

function threadOption(s: Session, args: ParsedArgs): { tid?: number } {
  const tid = args.values.thread as number | undefined;
  if (tid !== undefined && !s.target.threads.some((t) => t.tid === tid)) throw new UsageError(`stack: ${s.target.name} has no thread ${tid}`);
  return tid !== undefined ? { tid } : {};
}

function print(s: Session, args: ParsedArgs, ctx: CommandContext): void {
  const opts = threadOption(s, args);
  const fatal = crashOf(s);
  if (args.values.json) {
    ctx.out(JSON.stringify({ ...(fatal !== undefined ? { fatal } : {}), ...stackAnalysis(s, opts) }) + '\n');
    return;
  }
  // Text streams thread by thread, so the first frames show before the last thread is walked.
  const style = makeStyle(ctx.color);
  if (fatal !== undefined) ctx.out(renderFatal(fatal, style).join('\n') + '\n\n');
  let first = true;
  for (const t of threadStacks(s, opts)) {
    ctx.out((first ? '' : '\n') + renderStack({ threads: [t] }, style, { verbose: args.values.verbose === true, all: args.values.all === true }));
    first = false;
  }
}
