// `nodescope objects <core>` (mdb_v8 ::findjsobjects): the heap census by constructor and
// property signature; `--diff` compares two cores group by group.
import { censusDiff } from '../analysis/census/census-diff.js';
import { objectsCensus } from '../analysis/census/objects-census.js';
import { renderCensus } from '../render/census/census-text.js';
import { renderCensusDiff } from '../render/census/census-diff-text.js';
import { makeStyle } from '../render/style.js';
import { UsageError } from '../util/errors.js';
import { BINARY_ARG, CORE_ARG, JSON_ARG, PID_LONG_ARG } from './common-args.js';
import type { Command, ParsedArgs } from './command.js';
import { withScanProgress } from './scan-progress.js';
import { onTarget } from './target-session.js';
import { withSession } from './with-session.js';

/** Role: the `objects` command. */
export const objectsCommand: Command = {
  name: 'objects',
  aliases: ['findjsobjects', 'v8 findjsobjects'],
  summary: 'heap census: every object counted by constructor and property signature, largest first',
  help: `Examples:
  nodescope objects core.12345                      # top 50 groups by count, totals by kind
  nodescope objects core.12345 --sort bytes --limit 20
  nodescope objects core.12345 -c RequestContext    # only that constructor's groups
  nodescope objects core.12345 -p startedAt         # only groups whose objects have that property
  nodescope objects core.12345 --reachable          # only what the roots reach (a postmortem GC)
  nodescope objects --diff before.core after.core   # growth per group between two cores
  nodescope objects core.12345 --json
The heap is walked page by page, object by object (sizes from maps and length fields); by default
every object the heap holds is counted, garbage not yet collected included, as mdb_v8 did.
--reachable marks from the roots (stacks, registers, the Isolate's roots, strong global handles,
microtask queues) and counts only live objects. BYTES is the shallow size.`,
  args: [
    CORE_ARG,
    PID_LONG_ARG,
    { name: 'after', kind: 'positional', description: 'the second core, with --diff' },
    { name: 'sort', kind: 'option', default: 'count', description: 'order groups by count or bytes' },
    { name: 'limit', kind: 'option', type: 'number', integer: true, min: 0, default: 50, description: 'most groups listed (0 = all)' },
    { name: 'constructor', kind: 'option', short: 'c', description: 'only groups of this constructor' },
    { name: 'property', kind: 'option', short: 'p', description: 'only groups whose objects have this own property' },
    { name: 'reachable', kind: 'flag', description: 'count only what the roots reach' },
    { name: 'diff', kind: 'flag', description: 'compare <target> (before) with <after>' },
    JSON_ARG,
    BINARY_ARG,
  ],
  async run(args, ctx) {
    const opts = censusOptions(args);
    const style = makeStyle(ctx.color);
    const binary = args.values.binary as string | undefined;
    if (args.values.diff === true) {
      if (args.values.pid !== undefined) throw new UsageError('objects: --diff compares two cores; write one with nodescope snapshot --pid first');
      const after = args.values.after as string | undefined;
      if (after === undefined) throw new UsageError('objects: --diff needs two cores: nodescope objects --diff before.core after.core');
      return withSession(ctx, String(args.values.target), binary, (a) =>
        withSession(ctx, after, binary, (b) => {
          const d = withScanProgress(ctx, 'heap census', (onProgress) => censusDiff(a, b, { ...opts, onProgress }));
          ctx.out(args.values.json ? JSON.stringify(d) + '\n' : renderCensusDiff(d, style));
        }),
      );
    }
    if (args.values.after !== undefined) throw new UsageError(`objects: unexpected argument '${String(args.values.after)}' (two cores need --diff)`);
    return onTarget(ctx, 'objects', args, (s, ctx) => {
      const r = withScanProgress(ctx, 'heap census', (onProgress) => objectsCensus(s, { ...opts, onProgress }));
      ctx.out(args.values.json ? JSON.stringify(r) + '\n' : renderCensus(r, style));
    });
  },
};

function censusOptions(args: ParsedArgs): { sort: 'count' | 'bytes'; limit: number; constructorName?: string; property?: string; reachable: boolean } {
  const sort = String(args.values.sort);
  if (sort !== 'count' && sort !== 'bytes') throw new UsageError(`objects: --sort takes count or bytes, not '${sort}'`);
  const limit = Number(args.values.limit);
  if (!Number.isInteger(limit) || limit < 0) throw new UsageError(`objects: --limit takes a whole number ≥ 0, not '${String(args.values.limit)}'`);
  const c = args.values['constructor'] as unknown as string | undefined;
  const p = args.values.property as string | undefined;
  return { sort, limit, ...(c !== undefined ? { constructorName: c } : {}), ...(p !== undefined ? { property: p } : {}), reachable: args.values.reachable === true };
}
