// `nodescope function <core> <addr>` (::jsfunction / ::v8function): name, definition site, tier,
// code address and size; target, this and arguments of bound functions; --disassemble for the
// machine code.
import { functionDisassembly } from '../analysis/inspect/disassembly.js';
import { functionReport } from '../analysis/inspect/function-report.js';
import { renderDisassembly } from '../render/value/disassembly-text.js';
import { UsageError } from '../util/errors.js';
import { renderFunctionReport } from '../render/value/function-text.js';
import { BINARY_ARG, CORE_ARG, JSON_ARG, PID_ARG } from './common-args.js';
import type { Command } from './command.js';
import { onTarget } from './target-session.js';
import { addressArg } from './print.js';

/** Role: the `function` command. */
export const functionCommand: Command = {
  name: 'function',
  aliases: ['jsfunction', 'v8function'],
  summary: 'describe a JS function: name, defined at file:line, tier, code; bound target/this/args',
  help: `Examples:
  nodescope function core.12345 0x3a8f0c0419
  nodescope function core.12345 0x3a8f0c0419 --json
  nodescope function core.12345 0x3a8f0c0419 --disassemble`,
  args: [
    CORE_ARG,
    PID_ARG,
    { name: 'address', kind: 'positional', required: true, description: 'address of a JSFunction or bound function' },
    { name: 'disassemble', kind: 'flag', description: "disassemble the function's machine code (optimized or baseline Code)" },
    { name: 'builtin', kind: 'flag', description: 'with --disassemble: also the shared builtin an interpreted or lazy function runs' },
    { name: 'max-instructions', kind: 'option', description: 'with --disassemble: most instructions shown (default 4000)' },
    JSON_ARG,
    BINARY_ARG,
  ],
  async run(args, ctx) {
    const address = addressArg(args.values.address);
    const max = args.values['max-instructions'] !== undefined ? Number(args.values['max-instructions']) : undefined;
    if (max !== undefined && !(Number.isInteger(max) && max > 0)) throw new UsageError('--max-instructions wants a positive integer');
    return onTarget(ctx, 'function', args, (session, ctx) => {
      if (args.values.disassemble) {
        const d = functionDisassembly(session, address, { builtin: args.values.builtin === true, ...(max !== undefined ? { maxInstructions: max } : {}) });
        ctx.out(args.values.json ? JSON.stringify(d, null, 2) + '\n' : renderDisassembly(d));
        return 0;
      }
      const r = functionReport(session, address);
      ctx.out(args.values.json ? JSON.stringify(r, null, 2) + '\n' : renderFunctionReport(r));
      return 0;
    });
  },
};
