// `nodescope heapsnapshot <core> -o app.heapsnapshot`: the core's heap as a Chrome DevTools heap
// snapshot (the Memory panel's Load, memlab), in the format of the core's own V8, streamed to
// the file; a progress bar on a TTY.
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CoreSnapshotSource } from '../analysis/heapsnapshot/core-snapshot.js';
import { writeHeapSnapshot } from '../render/heapsnapshot/heapsnapshot-writer.js';
import { corruptWarning, renderHeapSnapshot, type HeapSnapshotReport } from '../render/heapsnapshot/heapsnapshot-text.js';
import { snapshotFormat } from '../render/heapsnapshot/snapshot-meta.js';
import { makeStyle } from '../render/style.js';
import { isErrnoError, UsageError } from '../util/errors.js';
import { BINARY_ARG, CORE_ARG, JSON_ARG } from './common-args.js';
import type { Command } from './command.js';
import { withScanProgress } from './scan-progress.js';
import { withSession } from './with-session.js';

/** Role: the `heapsnapshot` command. */
export const heapsnapshotCommand: Command = {
  name: 'heapsnapshot',
  aliases: ['heapdump', 'writeheapsnapshot'],
  summary: 'export the heap as a Chrome DevTools .heapsnapshot (Memory panel, memlab)',
  help: `Examples:
  nodescope heapsnapshot core.12345 -o app.heapsnapshot
  nodescope heapsnapshot core.12345 -o app.heapsnapshot --all     # garbage included
  memlab find-leaks --baseline a.heapsnapshot --target b.heapsnapshot --final c.heapsnapshot
The file has the format of the core's own V8 (node fields, node types), with nodes named and
edges drawn as V8's heap snapshot generator does: objects by constructor, closures, strings by
their first 1024 characters, properties, elements, context variables, internal and hidden
fields, weak references, and a synthetic root with (GC roots) and the global objects. By default
only what the roots reach is written, as V8 does. Objects that cannot be read become (corrupt)
hidden nodes, and the command says how many.`,
  args: [
    CORE_ARG,
    { name: 'output', kind: 'option', short: 'o', required: true, description: 'the .heapsnapshot file to write' },
    { name: 'all', kind: 'flag', description: 'write every object of the heap, garbage included' },
    JSON_ARG,
    BINARY_ARG,
  ],
  async run(args, ctx) {
    const file = resolve(String(args.values.output));
    checkWritable(file);
    return withSession(ctx, String(args.values.target), args.values.binary as string | undefined, (s) => {
      const t0 = performance.now();
      const format = snapshotFormat(s.layout().v8Version);
      const all = args.values.all === true;
      const report = withScanProgress(ctx, 'heap snapshot', (onProgress) => {
        const source = new CoreSnapshotSource(s, { all, readOnlySizeZero: format.readOnlySizeZero, externalStringPayload: format.externalStringPayload, nativeContextRoots: format.nativeContextRoots, onProgress });
        const stats = writeHeapSnapshot(source, file, format, onProgress);
        const r: HeapSnapshotReport = { file, ...stats, objects: source.objects, corrupt: source.corrupt, all, format: { v8: format.v8Major, nodeFields: format.nodeFields }, ms: Math.round(performance.now() - t0) };
        return r;
      });
      const warning = corruptWarning(report);
      if (warning !== undefined) ctx.err(warning);
      ctx.out(args.values.json ? JSON.stringify(report) + '\n' : renderHeapSnapshot(report, makeStyle(ctx.color)));
    });
  },
};

/** Fails early, with one line, when `file` cannot be written (a missing folder, no permission). */
function checkWritable(file: string): void {
  const dir = dirname(file);
  try {
    if (!statSync(dir).isDirectory()) throw new UsageError(`heapsnapshot: ${dir} is not a folder`);
    accessSync(dir, constants.W_OK);
  } catch (e) {
    if (!isErrnoError(e)) throw e;
    throw new UsageError(`heapsnapshot: cannot write ${file} (${e.code}); give -o a path in a folder you may write`);
  }
  let existing: ReturnType<typeof statSync> | undefined;
  try {
    existing = statSync(file);
  } catch (e) {
    // ENOENT: a new file, as expected; any other errno surfaces when the file is opened.
    if (!isErrnoError(e)) throw e;
  }
  if (existing?.isDirectory()) throw new UsageError(`heapsnapshot: ${file} is a folder; give -o a file path`);
}
