// `nodescope stacks`: threads with identical stacks coalesced (MDB's ::stacks), on a core or a
// live process; --module and --function filter like ::stacks -m and -c.
import { threadStacks } from '../analysis/stack.js';
import { groupStacks, type StackGroupFilter } from '../analysis/stacks/stack-groups.js';
import { renderStackGroups } from '../render/stacks/stack-groups-text.js';
import { makeStyle } from '../render/style.js';
import { BINARY_ARG, CORE_ARG, JSON_ARG, PID_ARG } from './common-args.js';
import type { Command, ParsedArgs } from './command.js';
import { onTarget } from './target-session.js';

function filterOf(args: ParsedArgs): StackGroupFilter {
  const m = args.values.module as string | undefined;
  const f = args.values.function as string | undefined;
  return { ...(m !== undefined ? { module: m } : {}), ...(f !== undefined ? { function: f } : {}) };
}

/** Role: the `stacks` command. */
export const stacksCommand: Command = {
  name: 'stacks',
  aliases: ['::stacks'],
  summary: 'threads with identical stacks coalesced: count, thread ids and names, the stack once',
  help: `Examples:
  nodescope stacks core.12345                    # a 16-thread idle libuv pool is one group of 16
  nodescope stacks core.12345 --module libc.so   # only threads with a frame in libc (::stacks -m)
  nodescope stacks core.12345 --function uv_run  # only threads with a frame of uv_run (::stacks -c)
  nodescope stacks -p 12345 --json
Threads are grouped by the names of their frames (function, symbol, module), not by addresses.`,
  args: [
    CORE_ARG,
    PID_ARG,
    BINARY_ARG,
    { name: 'module', kind: 'option', short: 'm', description: 'only threads with a frame in this module (substring of its file name)' },
    { name: 'function', kind: 'option', short: 'c', description: 'only threads with a frame of this function or symbol (substring)' },
    { name: 'verbose', kind: 'flag', short: 'v', description: 'per-frame detail: file, definition and current line, this, arguments' },
    { name: 'all', kind: 'flag', short: 'a', description: "show internal frames and each frame's fp and pc" },
    JSON_ARG,
  ],
  async run(args, ctx) {
    const result = await onTarget(ctx, 'stacks', args, (s) => groupStacks(threadStacks(s), filterOf(args)));
    if (args.values.json) ctx.out(JSON.stringify(result) + '\n');
    else ctx.out(renderStackGroups(result, makeStyle(ctx.color), { verbose: args.values.verbose === true, all: args.values.all === true }));
  },
};
