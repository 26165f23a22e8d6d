// Node's runtime state from a core or a live process: `info` (llnode nodeinfo), `handles`
// (getactivehandles), `requests` (getactiverequests), `timers`, `queues` and `promises`.
import { handlesAnalysis } from '../analysis/node/handles.js';
import { nodeInfo } from '../analysis/node/node-info.js';
import { promisesAnalysis } from '../analysis/node/promises.js';
import { queuesAnalysis } from '../analysis/node/queues.js';
import { requestsAnalysis } from '../analysis/node/requests.js';
import { timersAnalysis } from '../analysis/node/timers.js';
import type { Session } from '../analysis/session.js';
import { renderHandles, renderPromises, renderQueues, renderRequests, renderTimers } from '../render/node/loop-text.js';
import { renderInfo } from '../render/node/why-text.js';
import { makeStyle, type Style } from '../render/style.js';
import { BINARY_ARG, CORE_ARG, JSON_ARG, PID_ARG } from './common-args.js';
import type { ArgSpec, Command, CommandContext, ParsedArgs } from './command.js';
import { withScanProgress } from './scan-progress.js';
import { onTarget } from './target-session.js';

const TARGET_ARGS: readonly ArgSpec[] = [CORE_ARG, PID_ARG, BINARY_ARG, JSON_ARG];

/** A command that runs one analysis and prints it as text or JSON. */
function stateCommand(
  name: string,
  aliases: readonly string[],
  summary: string,
  help: string,
  run: (s: Session, args: ParsedArgs, ctx: CommandContext) => unknown,
  render: (r: never, style: Style, args: ParsedArgs) => string,
  extra: readonly ArgSpec[] = [],
): Command {
  return {
    name,
    aliases,
    summary,
    help,
    args: [...TARGET_ARGS, ...extra],
    async run(args, ctx) {
      await onTarget(ctx, name, args, (s, ctx) => {
        const r = run(s, args, ctx);
        ctx.out(args.values.json ? JSON.stringify(r) + '\n' : render(r as never, makeStyle(ctx.color), args));
      });
    },
  };
}

/** Role: the `info` command. */
export const infoCommand = stateCommand(
  'info',
  ['nodeinfo', 'v8 nodeinfo'],
  'the process: pid, Node/V8/libuv versions, argv, execArgv, execPath, cwd, heap by space, and how it ended',
  `Examples:
  nodescope info core.12345
  nodescope info core.12345 --json
  nodescope info -p 12345
The fatal error is printed the way V8 prints it: "uncaught TypeError: …" and its stack.`,
  (s) => nodeInfo(s),
  (r, style) => renderInfo(r, style),
);

/** Role: the `handles` command. */
export const handlesCommand = stateCommand(
  'handles',
  ['getactivehandles', 'v8 getactivehandles'],
  "libuv handles (tcp, pipe, tty, udp, timer, process, signal, …) with fd, addresses, child pid and the JS object owning each",
  `Examples:
  nodescope handles core.12345
  nodescope handles core.12345 -a      # also Node's own handles (its timer, check, idle, async)
  nodescope handles core.12345 --json
Handles come from libuv's default loop and are tied to Node's HandleWraps (the Environment's
handle_wrap_queue) and their owners (Server, Socket, ChildProcess …). A core holds no kernel socket
table: addresses are those lib/net.js recorded (a server's listen address, cached peer names).`,
  (s) => handlesAnalysis(s),
  (r, style, args) => renderHandles(r, style, args.values.all === true),
  [{ name: 'all', kind: 'flag', short: 'a', description: "also Node's own handles" }],
);

/** Role: the `requests` command. */
export const requestsCommand = stateCommand(
  'requests',
  ['getactiverequests', 'v8 getactiverequests'],
  'pending requests: fs (with the path), dns, connect, write, shutdown, threadpool work, and their callbacks',
  `Examples:
  nodescope requests core.12345
  nodescope requests core.12345 --json`,
  (s) => requestsAnalysis(s),
  (r, style) => renderRequests(r, style),
);

/** Role: the `timers` command. */
export const timersCommand = stateCommand(
  'timers',
  [],
  "JS timers: callback (name, file:line), delay, repeat, ref'd, and when each is due",
  `Examples:
  nodescope timers core.12345
  nodescope timers core.12345 --json
Times are in ms; dueInMs counts from the loop's clock (uv_now) at the time of the core.`,
  (s) => timersAnalysis(s),
  (r, style) => renderTimers(r, style),
);

/** Role: the `queues` command. */
export const queuesCommand = stateCommand(
  'queues',
  [],
  'the nextTick queue, the microtask queue and the setImmediate queue, each callback with its name and location',
  `Examples:
  nodescope queues core.12345
  nodescope queues core.12345 --json`,
  (s) => queuesAnalysis(s),
  (r, style) => renderQueues(r, style),
);

/** Role: the `promises` command. */
export const promisesCommand = stateCommand(
  'promises',
  [],
  'pending promises grouped by the handler that runs when they settle, and rejected promises nobody handles',
  `Examples:
  nodescope promises core.12345
  nodescope promises core.12345 --reachable   # only promises the roots reach
  nodescope promises core.12345 --json
Every JSPromise of the heap walk (the census) is counted; garbage too unless --reachable.`,
  (s, args, ctx) => withScanProgress(ctx, 'heap census', (onProgress) => promisesAnalysis(s, { reachable: args.values.reachable === true, onProgress })),
  (r, style) => renderPromises(r, style),
  [{ name: 'reachable', kind: 'flag', description: 'only promises the roots reach' }],
);
