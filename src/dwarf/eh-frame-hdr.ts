// .eh_frame_hdr: the sorted (initial_loc, FDE address) search table that PT_GNU_EH_FRAME points
// at (LSB 5.0 "The .eh_frame_hdr section"). Lookups binary-search it in place, with no parsing pass.
import { Cursor } from './cursor.js';
import { DW_EH_PE, encodedSize, readEncodedPointer, type PointerBases } from './pointer-encoding.js';
import type { SectionBytes } from './eh-frame.js';

/** Role: the binary search table of one module's .eh_frame_hdr. */
export class EhFrameHdr {
  /** Virtual address of .eh_frame as the header records it. */
  readonly ehFramePtr: number;
  /** Number of table entries (0 when the header has no usable table). */
  readonly fdeCount: number;
  private readonly tableEnc: number;
  private readonly tableStart: number;
  private readonly entrySize: number;
  private readonly bases: PointerBases;

  /** Parses the 4-byte header and the two pointers; FormatError when the header is unusable. */
  constructor(readonly section: SectionBytes, deref?: (vaddr: number) => number | undefined) {
    const cur: Cursor = new Cursor(section.data, 0, section.data.length, section.name);
    this.bases = { sectionVaddr: section.vaddr, data: section.vaddr, ...(deref ? { deref } : {}) };
    const version = cur.u8();
    if (version !== 1) cur.fail(`unsupported .eh_frame_hdr version ${version}`);
    const ptrEnc = cur.u8();
    const countEnc = cur.u8();
    this.tableEnc = cur.u8();
    this.ehFramePtr = readEncodedPointer(cur, ptrEnc, this.bases);
    this.tableStart = cur.pos;
    this.entrySize = 2 * encodedSize(this.tableEnc);
    if (countEnc === DW_EH_PE.omit || this.tableEnc === DW_EH_PE.omit || this.entrySize === 0) {
      this.fdeCount = 0;
      return;
    }
    const count = readEncodedPointer(cur, countEnc, this.bases);
    this.tableStart = cur.pos;
    const room = Math.floor((section.data.length - this.tableStart) / this.entrySize);
    if (count < 0 || count > room) cur.fail(`fde_count ${count} exceeds the table's ${room} entries`);
    this.fdeCount = count;
  }

  /** Whether the table can be searched (fixed-size entries present). */
  get hasTable(): boolean {
    return this.fdeCount > 0;
  }

  /**
   * Role: the FDE address (vaddr) of the last entry whose initial location is ≤ pc, or undefined
   * when pc precedes every entry. The caller checks the FDE's own range.
   */
  lookup(pc: number): { initialLoc: number; fdeVaddr: number } | undefined {
    let lo = 0;
    let hi = this.fdeCount - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entry(mid).initialLoc <= pc) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? undefined : this.entry(found);
  }

  /** Entry `i` of the table, decoded. */
  entry(i: number): { initialLoc: number; fdeVaddr: number } {
    const pos = this.tableStart + i * this.entrySize;
    const cur: Cursor = new Cursor(this.section.data, pos, pos + this.entrySize, this.section.name);
    const initialLoc = readEncodedPointer(cur, this.tableEnc, this.bases);
    const fdeVaddr = readEncodedPointer(cur, this.tableEnc, this.bases);
    return { initialLoc, fdeVaddr };
  }
}
