// `nodescope function <core> <addr>` (::jsfunction / ::v8function): name, definition site, tier,
// code address and size; target, this and arguments of bound functions.
import { functionReport } from '../analysis/inspect/function-report.js';
import { renderFunctionReport } from '../render/value/function-text.js';
import type { Command } from './command.js';
import { addressArg } from './print.js';
import { withSession } from './with-session.js';

/** Role: the `function` command. */
export const functionCommand: Command = {
  name: 'function',
  aliases: ['jsfunction', 'v8function'],
  summary: 'describe a JS function: name, defined at file:line, tier, code; bound target/this/args',
  help: `Examples:
  nodescope function core.12345 0x3a8f0c0419
  nodescope function core.12345 0x3a8f0c0419 --json`,
  args: [
    { name: 'target', kind: 'positional', required: true, description: 'a core file' },
    { name: 'address', kind: 'positional', required: true, description: 'address of a JSFunction or bound function' },
    { name: 'json', kind: 'flag', description: 'print JSON' },
    { name: 'binary', kind: 'option', description: 'node binary to use instead of the one the core names' },
  ],
  async run(args, ctx) {
    const address = addressArg(args.values.address);
    return withSession(ctx, String(args.values.target), args.values.binary as string | undefined, (session) => {
      const r = functionReport(session, address);
      ctx.out(args.values.json ? JSON.stringify(r, null, 2) + '\n' : renderFunctionReport(r));
      return 0;
    });
  },
};
