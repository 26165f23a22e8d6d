// A progress bar on stderr for the heap scans a command may trigger (the census walk, the
// reference index, the mark): shown on a TTY only, erased when the scan ends.
import type { ScanProgress } from '../analysis/census/heap-census.js';
import type { CommandContext } from './command.js';

/** Runs `fn` with a ScanProgress that draws `label` and a bar. */
export function withScanProgress<T>(ctx: CommandContext, label: string, fn: (onProgress: ScanProgress) => T): T {
  const bar = ctx.progress(label);
  try {
    return fn((fraction, what) => bar.update(what, fraction));
  } finally {
    bar.done();
  }
}
