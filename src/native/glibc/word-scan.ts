// Reads a range of target memory in windows and hands every aligned 64-bit word that falls in
// [lo, hi) to a visitor with its address: the inner loop of conservative scans, on 32-bit halves (no bigint, no
// per-word allocation). Unreadable windows are skipped and counted.
import type { AddressSpace } from '../../target/address-space.js';

const WINDOW = 1 << 20;

/** Role: a reusable scanner with one window buffer. */
export class WordScanner {
  private readonly bytes = new Uint8Array(new ArrayBuffer(WINDOW));
  private readonly words = new Uint32Array(this.bytes.buffer);
  /** Bytes that could not be read. */
  unreadable = 0;
  /** Bytes read and scanned. */
  scanned = 0;

  constructor(
    private readonly space: AddressSpace,
    /** Lowest and highest (exclusive) word values the visitor wants. */
    private readonly lo: number,
    private readonly hi: number,
  ) {}

  /** Visits each 8-aligned word of [start, end) with value in [lo, hi). */
  scan(start: number, end: number, visit: (value: number, at: number) => void): void {
    let a = Math.ceil(start / 8) * 8;
    const loHi = Math.floor(this.lo / 0x1_0000_0000);
    const hiHi = Math.floor((this.hi - 1) / 0x1_0000_0000);
    while (a < end) {
      const len = Math.min(WINDOW, Math.floor((end - a) / 8) * 8);
      if (len <= 0) break;
      if (!this.space.readInto(a, this.bytes, 0, len)) {
        // Retry page by page so one hole does not hide a whole window.
        if (len > 4096) {
          const next = Math.min(end, (Math.floor(a / 4096) + 1) * 4096);
          if (!this.space.readInto(a, this.bytes, 0, next - a)) this.unreadable += next - a;
          else {
            this.visitWords(a, (next - a) / 8, loHi, hiHi, visit);
            this.scanned += next - a;
          }
          a = next;
          continue;
        }
        this.unreadable += len;
        a += len;
        continue;
      }
      this.visitWords(a, len / 8, loHi, hiHi, visit);
      this.scanned += len;
      a += len;
    }
  }

  private visitWords(base: number, n: number, loHi: number, hiHi: number, visit: (value: number, at: number) => void): void {
    const w = this.words;
    const lo = this.lo;
    const hi = this.hi;
    for (let i = 0; i < n; i++) {
      const h = w[2 * i + 1]!;
      if (h < loHi || h > hiHi) continue;
      const v = h * 0x1_0000_0000 + w[2 * i]!;
      if (v >= lo && v < hi) visit(v, base + 8 * i);
    }
  }
}
