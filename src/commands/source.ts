// `nodescope source <core> <addr> [-n lines]` (::jssource): a function's source, numbered.
import { sourceReport } from '../analysis/inspect/function-report.js';
import { renderSourceReport } from '../render/value/function-text.js';
import { UsageError } from '../util/errors.js';
import { BINARY_ARG, CORE_ARG, JSON_ARG, PID_ARG } from './common-args.js';
import type { Command } from './command.js';
import { onTarget } from './target-session.js';
import { addressArg } from './print.js';

/** Role: the `source` command. */
export const sourceCommand: Command = {
  name: 'source',
  aliases: ['jssource'],
  summary: "print a JS function's source from its Script, with line numbers",
  help: `Examples:
  nodescope source core.12345 0x3a8f0c0419
  nodescope source core.12345 0x3a8f0c0419 -n 5     # 5 lines of context around it`,
  args: [
    CORE_ARG,
    PID_ARG,
    { name: 'address', kind: 'positional', required: true, description: 'address of a JSFunction' },
    { name: 'lines', kind: 'option', short: 'n', type: 'number', integer: true, min: 0, default: 0, description: 'lines of context before and after' },
    JSON_ARG,
    BINARY_ARG,
  ],
  async run(args, ctx) {
    const address = addressArg(args.values.address);
    const n = Number(args.values.lines ?? 0);
    if (!Number.isInteger(n) || n < 0) throw new UsageError('-n must be a non-negative integer');
    return onTarget(ctx, 'source', args, (session, ctx) => {
      const r = sourceReport(session, address, n);
      ctx.out(args.values.json ? JSON.stringify(r, null, 2) + '\n' : renderSourceReport(r));
      return 0;
    });
  },
};
