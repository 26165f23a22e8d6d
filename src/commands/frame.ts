// `nodescope frame <core> <thread>:<n>` (mdb_v8 ::jsframe -v): one frame in depth.
import { frameReport, parseFrameRef } from '../analysis/frame-report.js';
import { renderFrameReport } from '../render/frame-text.js';
import { makeStyle } from '../render/style.js';
import { valueToJson } from '../render/value/value-json.js';
import { BINARY_ARG, CORE_ARG, JSON_ARG, PID_ARG, MAX_ITEMS_ARG, maxItemsOf } from './common-args.js';
import type { Command } from './command.js';
import { onTarget } from './target-session.js';

/** Role: the `frame` command. */
export const frameCommand: Command = {
  name: 'frame',
  aliases: ['jsframe'],
  summary: 'show one stack frame in depth: function, this, arguments and its context variables',
  help: `Examples:
  nodescope frame core.12345 12345:3     # thread 12345, frame #3 as 'stack' numbers them
  nodescope frame core.12345 3           # frame #3 of the main thread
Frame numbers are those 'nodescope stack' prints (#N); variables are those V8 keeps in the frame's
Context (captured or context-allocated locals) and in the enclosing closures' contexts.`,
  args: [
    CORE_ARG,
    PID_ARG,
    { name: 'frame', kind: 'positional', required: true, description: '<thread>:<frame> or <frame> of the main thread' },
    BINARY_ARG,
    { name: 'verbose', kind: 'flag', short: 'v', description: 'accepted for mdb_v8 habit (the view is always detailed)' },
    { name: 'addresses', kind: 'flag', short: 'a', description: "show every value's address" },
    { name: 'depth', kind: 'option', type: 'number', integer: true, min: 0, default: 1, description: 'how deep to expand this and arguments' },
    MAX_ITEMS_ARG,
    JSON_ARG,
  ],
  async run(args, ctx) {
    return onTarget(ctx, 'frame', args, (s, ctx) => {
      const { tid, index } = parseFrameRef(s, String(args.values.frame));
      const r = frameReport(s, tid, index, { depth: Number(args.values.depth), maxElements: maxItemsOf(args.values['max-items']) });
      if (args.values.json) {
        const json = {
          ...r,
          ...(r.this ? { this: valueToJson(r.this) } : {}),
          args: r.args.map(valueToJson),
          scopes: r.scopes.map((x) => ({ ...x, variables: x.variables.map((v) => ({ name: v.name, value: valueToJson(v.value) })) })),
        };
        ctx.out(JSON.stringify(json, null, 2) + '\n');
      } else ctx.out(renderFrameReport(r, makeStyle(ctx.color), args.values.addresses === true));
      return 0;
    });
  },
};
