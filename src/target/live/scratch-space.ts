// Picks where gcore should write a snapshot before it is copied out sparse: tmpfs (/dev/shm) is
// far faster for the ~1.4 GB of mostly untouched reservations gcore writes, but only when it has
// room for the whole dump, estimated from the process's readable mappings.
import { readFileSync, statfsSync } from 'node:fs';
import { tmpfsScratchDir } from './snapshot-process.js';

/** Sum of the sizes of PID's readable mappings (what gcore may write), or undefined. */
export function estimateDumpBytes(pid: number): number | undefined {
  try {
    let total = 0;
    for (const line of readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n')) {
      const m = /^([0-9a-f]+)-([0-9a-f]+) r/.exec(line);
      if (m) total += parseInt(m[2]!, 16) - parseInt(m[1]!, 16);
    }
    return total;
  } catch {
    return undefined;
  }
}

/** A tmpfs scratch folder with room for PID's dump (and a margin), else undefined. */
export function scratchDirFor(pid: number): string | undefined {
  const dir = tmpfsScratchDir();
  const need = estimateDumpBytes(pid);
  if (dir === undefined || need === undefined) return undefined;
  try {
    const fs = statfsSync(dir);
    return fs.bavail * fs.bsize > need * 1.25 + 256 * 1024 * 1024 ? dir : undefined;
  } catch {
    return undefined;
  }
}
