// `nodescope closure <core> <addr>` (::jsclosure): the variables a function closes over.
import { closureReport } from '../analysis/inspect/function-report.js';
import { valueToJson } from '../render/value/value-json.js';
import { renderClosureReport } from '../render/value/function-text.js';
import { BINARY_ARG, CORE_ARG, JSON_ARG, PID_ARG } from './common-args.js';
import type { Command } from './command.js';
import { onTarget } from './target-session.js';
import { addressArg } from './print.js';

/** Role: the `closure` command. */
export const closureCommand: Command = {
  name: 'closure',
  aliases: ['jsclosure'],
  summary: 'list the variables a JS function closes over (its Context chain)',
  help: `Examples:
  nodescope closure core.12345 0x3a8f0c0419`,
  args: [
    CORE_ARG,
    PID_ARG,
    { name: 'address', kind: 'positional', required: true, description: 'address of a JSFunction' },
    JSON_ARG,
    { name: 'addresses', kind: 'flag', short: 'a', description: "show every value's address" },
    BINARY_ARG,
  ],
  async run(args, ctx) {
    const address = addressArg(args.values.address);
    return onTarget(ctx, 'closure', args, (session, ctx) => {
      const r = closureReport(session, address);
      if (args.values.json) {
        const json = { ...r, scopes: r.scopes.map((s) => ({ ...s, context: `0x${s.context.toString(16)}`, variables: s.variables.map((v) => ({ name: v.name, value: valueToJson(v.value) })) })) };
        ctx.out(JSON.stringify(json, null, 2) + '\n');
      } else ctx.out(renderClosureReport(r, { addresses: args.values.addresses === true }));
      return 0;
    });
  },
};
