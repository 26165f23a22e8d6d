// Which pages of a live process are resident, from /proc/PID/pagemap (Linux
// Documentation/admin-guide/mm/pagemap.rst: one u64 per virtual page, bit 63 "page present", 61
// "file-page or shared-anon", 56 "exclusively mapped"; the flag bits are readable without
// CAP_SYS_ADMIN, only the PFN is hidden), and its RSS from
// /proc/PID/smaps_rollup. For `memory -p`, whose categories add up to the RSS.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import type { Mapping } from '../address-space.js';
import { isErrnoError } from '../../util/errors.js';

const PAGE = 4096;
/** Most pages read per pagemap read. */
const BATCH = 1 << 16;

/** Role: the resident pages of a process's mappings, read once. */
export class ResidentPages {
  private readonly starts: number[] = [];
  private readonly present: Uint8Array[] = [];
  private readonly byStart = new Map<number, number>();

  private constructor() {}

  /** Role: reads the present bit of every page of `mappings` (sorted, disjoint) of process `pid`. */
  static read(pid: number, mappings: readonly Mapping[]): ResidentPages {
    const r = new ResidentPages();
    const fd = openSync(`/proc/${pid}/pagemap`, 'r');
    const buf = Buffer.allocUnsafe(BATCH * 8);
    try {
      for (const m of mappings) {
        const first = Math.floor(m.start / PAGE);
        const n = Math.ceil(m.end / PAGE) - first;
        const bits = new Uint8Array(n);
        if (m.readable || m.writable || m.executable) {
          for (let k = 0; k < n; k += BATCH) {
            const count = Math.min(BATCH, n - k);
            const got = readSync(fd, buf, 0, count * 8, (first + k) * 8);
            for (let j = 0; j < Math.floor(got / 8); j++) bits[k + j] = counted(buf[j * 8 + 7]!);
          }
        }
        r.byStart.set(m.start, r.starts.length);
        r.starts.push(first * PAGE);
        r.present.push(bits);
      }
    } finally {
      closeSync(fd);
    }
    return r;
  }

  /** Role: resident bytes of [start, end) inside mapping `m` (one of those read; partial pages pro rata). */
  bytesIn(m: Mapping, start: number, end: number): number {
    const i = this.byStart.get(m.start) ?? -1;
    const base = this.starts[i];
    const bits = this.present[i];
    if (base === undefined || bits === undefined) return 0;
    let total = 0;
    for (let p = Math.floor((start - base) / PAGE); p * PAGE + base < end && p < bits.length; p++) {
      if (p < 0 || bits[p] === 0) continue;
      const ps = base + p * PAGE;
      total += Math.min(end, ps + PAGE) - Math.max(start, ps);
    }
    return total;
  }
}

/**
 * Whether a pagemap entry's top byte (bits 56–63) is a page RSS counts: present (bit 63), and
 * file-backed or shared (bit 61) or exclusively mapped (bit 56). A present private page that is
 * neither is the shared zero page (a read of untouched anonymous memory maps it; RSS skips it).
 */
function counted(top: number): number {
  return (top & 0x80) !== 0 && (top & 0x21) !== 0 ? 1 : 0;
}

/** Role: the process's RSS in bytes from /proc/PID/smaps_rollup (Rss:, in kB). */
export function rssBytes(pid: number): number | undefined {
  try {
    const m = /^Rss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch (e) {
    if (!isErrnoError(e)) throw e;
    return undefined;
  }
}
