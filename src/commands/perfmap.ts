// `nodescope perfmap -p PID`: writes /tmp/perf-PID.map from the live heap (no restart, no
// --perf-basic-prof), so that perf names JIT frames; --watch rewrites it as code is (re)compiled.
// Each write reads the heap while the process is frozen for the census, and replaces the file
// atomically (written beside it, then renamed).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { perfMapOf, perfMapText } from '../analysis/perf-map/perf-map.js';
import { delay } from '../profile/live/wait-for.js';
import { FileError, UsageError } from '../util/errors.js';
import type { Command } from './command.js';
import { onLiveProcess } from './target-session.js';

function startedWithPerfProf(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').some((a) => /^--perf-(basic-)?prof$/.test(a));
  } catch {
    return false;
  }
}

/** Role: the `perfmap` command. */
export const perfmapCommand: Command = {
  name: 'perfmap',
  aliases: [],
  summary: 'write /tmp/perf-PID.map from the live heap so perf names JS frames (no restart)',
  help: `Usage:
nodescope perfmap -p PID [-o FILE] [--watch [--interval SECONDS]]
Examples:
nodescope perfmap -p 12345                 writes /tmp/perf-12345.map, then: perf report / perf script
nodescope perfmap -p 12345 --watch         rewrites it every 5 s until Ctrl-C
One line per JIT code range (Sparkplug ^, Maglev +, TurboFan *), named as V8's --perf-basic-prof
names them, from every function's current code in the heap; interpreted functions share the
interpreter's builtin, which perf names from the binary. The process is frozen while its heap is
read (milliseconds to seconds, with the heap's size).`,
  args: [
    { name: 'pid', kind: 'option', short: 'p', type: 'number', integer: true, min: 1, required: true, description: 'process whose JIT code to map' },
    { name: 'output', kind: 'option', short: 'o', description: 'where to write (default /tmp/perf-PID.map, where perf looks)' },
    { name: 'watch', kind: 'flag', description: 'keep rewriting the map until Ctrl-C' },
    { name: 'interval', kind: 'option', type: 'number', default: 5, description: 'seconds between rewrites with --watch' },
  ],
  async run(args, ctx) {
    const pid = args.values.pid as number;
    const interval = args.values.interval as number;
    if (!(interval >= 0.5 && interval <= 3600)) throw new UsageError('perfmap: --interval is a number of seconds from 0.5 to 3600');
    const out = (args.values.output as string | undefined) ?? `/tmp/perf-${pid}.map`;
    if (args.values.output === undefined && startedWithPerfProf(pid)) throw new UsageError(`perfmap: process ${pid} runs with --perf-basic-prof, so V8 writes ${out} itself; give -o to write ours elsewhere`);
    const guard = await ctx.liveGuard();
    try {
      for (let n = 0; ; n++) {
        const r = await onLiveProcess(ctx, pid, (s) => perfMapOf(s), guard);
        const tmp = `${out}.nodescope-${process.pid}`;
        try {
          writeFileSync(tmp, perfMapText(r));
          renameSync(tmp, out);
        } catch (e) {
          throw new FileError(out, `cannot write the perf map (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
        }
        ctx.err(`wrote ${out}: ${r.entries.length} JIT code ranges of ${r.functions} functions${r.unreadable > 0 ? ` (${r.unreadable} functions' code unreadable)` : ''}\n`);
        if (args.values.watch !== true || ctx.signal.aborted) break;
        if (await delay(interval * 1000, ctx.signal)) break;
      }
    } finally {
      await guard.close();
    }
    return 0;
  },
};
