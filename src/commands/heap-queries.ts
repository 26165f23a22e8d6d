// The heap-graph commands built on the session's census: `instances` (findjsinstances),
// `functions` (::jsfunctions), `refs` (findrefs) and `path` (the retaining path of one object).
import { findInstances } from '../analysis/census/instances.js';
import { functionsCensus } from '../analysis/census/functions-census.js';
import { findRefs } from '../analysis/census/refs.js';
import { retainingPath } from '../analysis/census/retaining-path.js';
import { renderFunctions, renderInstances } from '../render/census/functions-text.js';
import { renderPath, renderRefs } from '../render/census/refs-text.js';
import { renderValueJson } from '../render/value/value-json.js';
import { makeStyle } from '../render/style.js';
import { UsageError } from '../util/errors.js';
import { BINARY_ARG, CORE_ARG, JSON_ARG, PID_ARG } from './common-args.js';
import type { ArgSpec, Command, ParsedArgs } from './command.js';
import { addressArg } from './print.js';
import { withScanProgress } from './scan-progress.js';
import { onTarget } from './target-session.js';

const REACHABLE_ARG: ArgSpec = { name: 'reachable', kind: 'flag', description: 'only objects the roots reach' };

function wholeNumber(command: string, args: ParsedArgs, name: string): number {
  const v = Number(args.values[name]);
  if (!Number.isInteger(v) || v < 0) throw new UsageError(`${command}: --${name} takes a whole number ≥ 0, not '${String(args.values[name])}'`);
  return v;
}

/** Role: the `instances` command. */
export const instancesCommand: Command = {
  name: 'instances',
  aliases: ['findjsinstances', 'v8 findjsinstances'],
  summary: "list the addresses (or values, with --print) of one constructor's objects",
  help: `Examples:
  nodescope instances core.12345 RequestContext
  nodescope instances core.12345 RequestContext --limit 100 --offset 100
  nodescope instances core.12345 RequestContext --print --depth 1
  nodescope instances core.12345 Object --reachable --json
The constructor is the name \`nodescope objects\` shows; every shape of it is listed, in address order.`,
  args: [
    CORE_ARG,
    PID_ARG,
    { name: 'constructor', kind: 'positional', required: true, description: 'constructor name (as objects shows it)' },
    { name: 'limit', kind: 'option', type: 'number', integer: true, min: 0, default: 20, description: 'most instances listed (0 = all)' },
    { name: 'offset', kind: 'option', type: 'number', integer: true, min: 0, default: 0, description: 'skip this many first' },
    { name: 'print', kind: 'flag', description: 'print each value like util.inspect' },
    { name: 'depth', kind: 'option', type: 'number', integer: true, min: 0, default: 0, description: 'levels expanded with --print' },
    REACHABLE_ARG,
    JSON_ARG,
    BINARY_ARG,
  ],
  async run(args, ctx) {
    const limit = wholeNumber('instances', args, 'limit');
    const offset = wholeNumber('instances', args, 'offset');
    const depth = wholeNumber('instances', args, 'depth');
    const name = String(args.values['constructor']);
    return onTarget(ctx, 'instances', args, (s, ctx) => {
      const r = withScanProgress(ctx, 'heap census', (onProgress) =>
        findInstances(s, name, { limit, offset, reachable: args.values.reachable === true, onProgress, ...(args.values.print === true ? { print: { depth } } : {}) }),
      );
      if (args.values.json) {
        const rows = r.instances.map((x) => (x.value !== undefined ? { ...x, value: JSON.parse(renderValueJson(x.value)) as unknown } : x));
        ctx.out(JSON.stringify({ ...r, instances: rows }) + '\n');
      } else ctx.out(renderInstances(r, makeStyle(ctx.color)));
    });
  },
};

/** Role: the `functions` command. */
export const functionsCommand: Command = {
  name: 'functions',
  aliases: ['jsfunctions', 'v8 jsfunctions'],
  summary: 'closures grouped by the function they come from, most closures first',
  help: `Examples:
  nodescope functions core.12345
  nodescope functions core.12345 --name countHit
  nodescope functions core.12345 --reachable --limit 0 --json
A function with many closures (callbacks made per request, say) is a leak with a name and a line.`,
  args: [
    CORE_ARG,
    PID_ARG,
    { name: 'name', kind: 'option', description: 'only functions with this name (own or inferred)' },
    { name: 'limit', kind: 'option', type: 'number', integer: true, min: 0, default: 50, description: 'most functions listed (0 = all)' },
    REACHABLE_ARG,
    JSON_ARG,
    BINARY_ARG,
  ],
  async run(args, ctx) {
    const limit = wholeNumber('functions', args, 'limit');
    return onTarget(ctx, 'functions', args, (s, ctx) => {
      const name = args.values.name as string | undefined;
      const r = withScanProgress(ctx, 'heap census', (onProgress) => functionsCensus(s, { limit, reachable: args.values.reachable === true, onProgress, ...(name !== undefined ? { name } : {}) }));
      ctx.out(args.values.json ? JSON.stringify(r) + '\n' : renderFunctions(r, makeStyle(ctx.color)));
    });
  },
};

/** Role: the `refs` command. */
export const refsCommand: Command = {
  name: 'refs',
  aliases: ['findrefs', 'jsfindrefs', 'v8 findrefs'],
  summary: 'who points at an object: each holder with the property, element or variable it uses',
  help: `Examples:
  nodescope refs core.12345 0x3a8f0c0419
  nodescope refs core.12345 0x3a8f0c0419 --json
The first query indexes every reference of the heap (seconds on a large core); later queries in the
same session (the REPL) are lookups. Holders that are garbage themselves are marked.`,
  args: [CORE_ARG, PID_ARG, { name: 'address', kind: 'positional', required: true, description: 'address of the object (0x…)' }, { name: 'limit', kind: 'option', type: 'number', integer: true, min: 0, default: 0, description: 'most holders listed (0 = all)' }, JSON_ARG, BINARY_ARG],
  async run(args, ctx) {
    const address = addressArg(args.values.address);
    const limit = wholeNumber('refs', args, 'limit');
    return onTarget(ctx, 'refs', args, (s, ctx) => {
      const r = withScanProgress(ctx, 'indexing references', (onProgress) => findRefs(s, address, { limit, onProgress }));
      ctx.out(args.values.json ? JSON.stringify(r) + '\n' : renderRefs(r, makeStyle(ctx.color)));
    });
  },
};

/** Role: the `path` command. */
export const pathCommand: Command = {
  name: 'path',
  aliases: ['retainers', 'findpath'],
  summary: 'one shortest retaining path from a root (a stack, a global handle, the Isolate) to an object',
  help: `Examples:
  nodescope path core.12345 0x3a8f0c0419
  nodescope path core.12345 0x3a8f0c0419 --json
Read top down: the root, then each object and the edge that holds the next one. An object no root
reaches is garbage that V8 has not collected yet, and the command says so.`,
  args: [CORE_ARG, PID_ARG, { name: 'address', kind: 'positional', required: true, description: 'address of the object (0x…)' }, JSON_ARG, BINARY_ARG],
  async run(args, ctx) {
    const address = addressArg(args.values.address);
    return onTarget(ctx, 'path', args, (s, ctx) => {
      const r = withScanProgress(ctx, 'marking from the roots', (onProgress) => retainingPath(s, address, onProgress));
      ctx.out(args.values.json ? JSON.stringify(r) + '\n' : renderPath(r, makeStyle(ctx.color)));
    });
  },
};
