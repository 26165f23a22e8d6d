// `nodescope snapshot -p PID -o core`: write a core of a running Node process; it keeps running.
import { snapshotProcess } from '../target/live/snapshot-process.js';
import { scratchDirFor } from '../target/live/scratch-space.js';
import { Session } from '../analysis/session.js';
import { UsageError } from '../util/errors.js';
import { JSON_ARG } from './common-args.js';
import type { Command } from './command.js';

/** Role: the `snapshot` command. */
export const snapshotCommand: Command = {
  name: 'snapshot',
  aliases: ['gcore'],
  summary: 'write a core of a running Node process; the process keeps running',
  help: `Examples:
  nodescope snapshot -p 12345                 # writes core.12345 here
  nodescope snapshot -p 12345 -o /var/tmp/api.core
The process is stopped only while its memory is copied (gdb's gcore), then resumed, also when
nodescope is interrupted or killed (a guard process undoes every change nodescope made). Heap and JIT pages are included (coredump_filter is set for the copy).`,
  args: [
    { name: 'pid', kind: 'option', short: 'p', type: 'number', integer: true, min: 1, required: true, description: 'process to snapshot' },
    { name: 'output', kind: 'option', short: 'o', description: 'core file to write (default: core.<pid>)' },
    JSON_ARG,
  ],
  async run(args, ctx) {
    const pid = Number(args.values.pid);
    if (!Number.isSafeInteger(pid) || pid <= 0) throw new UsageError(`snapshot: -p takes a PID, not '${String(args.values.pid)}'`);
    const out = (args.values.output as string | undefined) ?? `core.${pid}`;
    requireNode(pid);
    const scratchDir = scratchDirFor(pid);
    const guard = await ctx.liveGuard();
    const bar = ctx.progress(`snapshotting PID ${pid} (it keeps running)`);
    const r = await snapshotProcess(pid, out, { guard, checkpoint: ctx.checkpoint, ...(scratchDir ? { scratchDir } : {}) }).finally(async () => {
      bar.done();
      await guard.close();
    });
    if (args.values.json) ctx.out(JSON.stringify({ pid, core: r.corePath, bytes: r.bytes, ms: r.ms, wasStopped: r.wasStopped }) + '\n');
    else ctx.out(`wrote ${r.corePath} (${(r.bytes / 1e6).toFixed(1)} MB) in ${(r.ms / 1000).toFixed(1)} s; ${r.wasStopped ? `PID ${pid} was stopped before (state T) and is left stopped` : `PID ${pid} kept running`}\n`);
  },
};

/** Refuses a PID that is not a Node process, before anything is changed. */
function requireNode(pid: number): void {
  const s = Session.openLive(pid);
  try {
    s.nodeProcess();
  } finally {
    s.close();
  }
}
