// `nodescope print <core> <addr> [property]`: prints any JS value (mdb_v8 ::jsprint, llnode v8
// inspect). An address that is not an object start gets a whatIs line and exit code 2.
import { inspectSessionTagged, inspectValue, type InspectOptions } from '../analysis/inspect/inspect-value.js';
import type { ValueNode } from '../analysis/inspect/value-node.js';
import type { Session } from '../analysis/session.js';
import { resolvePropertyPath } from '../analysis/inspect/property-path.js';
import { whatIs } from '../analysis/inspect/what-is.js';
import { renderValueJson } from '../render/value/value-json.js';
import { renderValue } from '../render/value/value-text.js';
import { renderWhatIs } from '../render/value/what-is-text.js';
import { parseAddress } from '../util/hex.js';
import { NotAnObject, UsageError } from '../util/errors.js';
import { BINARY_ARG, CORE_ARG, JSON_ARG, MAX_ITEMS_ARG, maxItemsOf, PID_ARG } from './common-args.js';
import type { Command } from './command.js';
import { onTarget } from './target-session.js';

/** Parses a command's address argument, or throws UsageError. */
export function addressArg(value: unknown): number {
  const text = String(value ?? '').trim();
  const a = parseAddress(text);
  if (a !== undefined) return a;
  if (/^(0x[0-9a-f]+|[0-9]+)$/i.test(text)) {
    // A well-formed number, just not a user-space address (x86-64 user space ends below 2^47).
    throw new UsageError(`${text} is beyond x86-64 user space (addresses end at 0x7fffffffffff); give the address of a heap object (stack -v and objects show them)`);
  }
  throw new UsageError(`'${text}' is not an address: give 0x… hex or a decimal number`);
}

function propertyNode(session: Session, address: number, path: string, opts: InspectOptions): ValueNode {
  const t = resolvePropertyPath(session.heap(), address, path);
  return t === 'null' ? { type: 'null', value: null } : inspectSessionTagged(session, t, opts);
}

/** Role: the `print` command. */
export const printCommand: Command = {
  name: 'print',
  aliases: ['jsprint', 'inspect', 'v8 inspect'],
  summary: 'print any JS value from a core, like util.inspect (objects, arrays, strings, Maps, Promises …)',
  help: `Examples:
  nodescope print core.12345 0x3a8f0c0419
  nodescope print core.12345 0x3a8f0c0419 height
  nodescope print core.12345 0x3a8f0c0419 --depth 4 -a
  nodescope print core.12345 0x3a8f0c0419 --json
The address may be tagged (odd) or not. An address that is not the start of a heap object is
explained ("… lies 24 bytes inside a JSArray at 0x…") and the command exits 2.`,
  args: [
    CORE_ARG,
    PID_ARG,
    { name: 'address', kind: 'positional', required: true, description: 'address of the value (0x…)' },
    { name: 'property', kind: 'positional', description: 'print only this property (a.b.0 paths allowed)' },
    { name: 'depth', kind: 'option', type: 'number', integer: true, min: 0, default: 2, description: 'levels of nested objects to expand' },
    JSON_ARG,
    { name: 'addresses', kind: 'flag', short: 'a', description: "show every value's address" },
    { name: 'full-string', kind: 'flag', description: 'do not cut long strings' },
    MAX_ITEMS_ARG,
    BINARY_ARG,
  ],
  async run(args, ctx) {
    const address = addressArg(args.values.address);
    const depth = Number(args.values.depth ?? 2);
    if (!Number.isInteger(depth) || depth < 0) throw new UsageError('--depth must be a non-negative integer');
    const opts = { depth, fullString: args.values['full-string'] === true, maxElements: maxItemsOf(args.values['max-items']), ...(args.values['max-items'] === 0 ? { maxNodes: 10_000_000 } : {}) };
    return onTarget(ctx, 'print', args, (session, ctx) => {
      const w = whatIs(session, address);
      if (w.kind !== 'object') {
        const hint = w.kind === 'inside' || w.kind === 'maybe-inside' ? `; print 0x${w.object.toString(16)} for the object it lies in` : '; give the address of a heap object (stack -v, objects and refs show them)';
        throw new NotAnObject(renderWhatIs(w) + hint);
      }
      const property = args.values.property;
      const node =
        typeof property === 'string' && property !== ''
          ? propertyNode(session, address, property, opts)
          : inspectValue(session, address, opts);
      ctx.out((args.values.json ? renderValueJson(node) : renderValue(node, { addresses: args.values.addresses === true })) + '\n');
      return 0;
    });
  },
};
