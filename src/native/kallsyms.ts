// Kernel text symbols from /proc/kallsyms, for the kernel frames of kernel-mode samples (user
// frames are named by the Session's Symbolizer). Empty when kptr_restrict hides the addresses.
import { readFileSync } from 'node:fs';

/** Role: kernel text symbols from /proc/kallsyms. Kernel addresses share the high half 0xffffffff, so the low halves are indexed. */
export class KallsymsIndex {
  private constructor(private readonly lows: Float64Array, private readonly names: string[]) {}

  /** Reads this machine's /proc/kallsyms; undefined when it is unreadable or hides addresses. */
  static fromProc(): KallsymsIndex | undefined {
    try {
      return KallsymsIndex.load(readFileSync('/proc/kallsyms', 'latin1'));
    } catch {
      return undefined;
    }
  }

  /** Parses /proc/kallsyms text; undefined when no address is visible (all zero: kptr_restrict). */
  static load(text: string): KallsymsIndex | undefined {
    const rows: Array<[number, string]> = [];
    let pos = 0;
    while (pos < text.length) {
      let nl = text.indexOf('\n', pos);
      if (nl < 0) nl = text.length;
      // "ffffffff81000000 T name [module]": 16 hex digits, type letter at 17, name from 19.
      if (nl - pos > 19 && text.startsWith('ffffffff', pos) && text[pos + 16] === ' ') {
        const type = text[pos + 17];
        if (type === 't' || type === 'T' || type === 'w' || type === 'W') {
          const low = parseInt(text.slice(pos + 8, pos + 16), 16);
          const end = text.indexOf(' ', pos + 19);
          const name = text.slice(pos + 19, end < 0 || end > nl ? nl : end).replace(/\t.*$/, '');
          if (low !== 0) rows.push([low, name]);
        }
      }
      pos = nl + 1;
    }
    if (rows.length === 0) return undefined;
    rows.sort((a, b) => a[0] - b[0]);
    return new KallsymsIndex(Float64Array.from(rows, (r) => r[0]), rows.map((r) => r[1]));
  }

  /** The kernel function containing `addr`, or undefined. */
  lookup(addr: bigint): string | undefined {
    if (addr >> 32n !== 0xffffffffn) return undefined;
    const low = Number(addr & 0xffffffffn);
    let lo = 0, hi = this.lows.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.lows[mid]! <= low) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return best >= 0 ? this.names[best] : undefined;
  }
}
