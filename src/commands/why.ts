// `nodescope why`: one page on how the process ended and what it was waiting on.
import { whyAnalysis } from '../analysis/node/why.js';
import { renderWhy } from '../render/node/why-text.js';
import { makeStyle } from '../render/style.js';
import { BINARY_ARG, CORE_ARG, JSON_ARG, PID_ARG } from './common-args.js';
import type { Command } from './command.js';
import { withScanProgress } from './scan-progress.js';
import { onTarget } from './target-session.js';

/** Role: the `why` command. */
export const whyCommand: Command = {
  name: 'why',
  aliases: ['whydied'],
  summary: 'one page: how the process ended, the error and its stack, the event loop in brief, the largest heap groups',
  help: `Examples:
  nodescope why core.12345
  nodescope why core.12345 --census    # also the largest heap groups (a heap walk)
  nodescope why -p 12345               # a live process: "live snapshot" and what it waits on
  nodescope why core.12345 --json
The heap groups are shown when the census has run in this session, with --census, and always
for a process that ran out of memory.`,
  args: [CORE_ARG, PID_ARG, { name: 'census', kind: 'flag', description: 'include the largest heap groups' }, BINARY_ARG, JSON_ARG],
  async run(args, ctx) {
    await onTarget(ctx, 'why', args, (s, ctx) => {
      const r = withScanProgress(ctx, 'heap census', (onProgress) => whyAnalysis(s, { census: args.values.census === true, onProgress }));
      ctx.out(args.values.json ? JSON.stringify(r) + '\n' : renderWhy(r, makeStyle(ctx.color)));
    });
  },
};
