// `nodescope leaks` (MDB's ::findleaks): in-use malloc blocks that nothing points at, grouped by
// size, found by a conservative mark over glibc's heap.
import { findLeaks } from '../analysis/leaks/find-leaks.js';
import { renderLeaks } from '../render/leaks/leaks-text.js';
import { makeStyle } from '../render/style.js';
import { BINARY_ARG, CORE_ARG, JSON_ARG, PID_ARG } from './common-args.js';
import type { Command } from './command.js';
import { onTarget } from './target-session.js';

/** Role: the `leaks` command. */
export const leaksCommand: Command = {
  name: 'leaks',
  aliases: ['findleaks', '::findleaks'],
  summary: 'in-use malloc blocks that nothing points at (conservative mark), grouped by size',
  help: `Examples:
  nodescope leaks core.12345             # groups: size, count, bytes, a preview, example addresses
  nodescope leaks core.12345 --verbose   # also every leaked block
  nodescope leaks core.12345 --json
The mark is conservative, as ::findleaks: every aligned word of writable memory outside the malloc
heap (module data, the V8 heap, stacks from sp) and every register is a root; any word pointing
inside an allocated block keeps it. glibc's malloc only; libc6-dbg gives main_arena's symbol and
malloc's layout. A live process (-p) stays stopped for the whole scan.`,
  args: [CORE_ARG, PID_ARG, BINARY_ARG, { name: 'verbose', kind: 'flag', short: 'v', description: 'list every leaked block' }, JSON_ARG],
  async run(args, ctx) {
    const result = await onTarget(ctx, 'leaks', args, (s) => findLeaks(s, { verbose: args.values.verbose === true }));
    if (args.values.json) ctx.out(JSON.stringify(result) + '\n');
    else ctx.out(renderLeaks(result, makeStyle(ctx.color)));
  },
};
