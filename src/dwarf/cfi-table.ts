// One module's call frame information: .eh_frame, searched through .eh_frame_hdr when present,
// else through an FDE index built by one linear scan. All pcs here are ELF vaddrs (unbiased).
import { EhFrame, type Fde, type SectionBytes } from './eh-frame.js';
import { EhFrameHdr } from './eh-frame-hdr.js';
import { cfiRowAt, type CfiRow } from './cfi-row.js';
import { isNodescopeError } from '../util/errors.js';

/** Role: pc → FDE → CFI row for one module; lazy, nothing parsed up front but the hdr's 4 bytes. */
export class CfiTable {
  readonly ehFrame: EhFrame;
  private readonly hdr: EhFrameHdr | undefined;
  /** Why the hdr is not used, when it was given but unusable. */
  readonly hdrProblem: string | undefined;

  /**
   * Makes the table. A broken or table-less .eh_frame_hdr is not fatal: lookups then scan.
   * `deref` reads a pointer at an ELF vaddr (DW_EH_PE_indirect), when the module can.
   */
  constructor(ehFrame: SectionBytes, ehFrameHdr?: SectionBytes, deref?: (vaddr: number) => number | undefined) {
    this.ehFrame = new EhFrame(ehFrame, deref ? { deref } : {});
    let hdr: EhFrameHdr | undefined;
    let problem: string | undefined;
    if (ehFrameHdr !== undefined) {
      try {
        hdr = new EhFrameHdr(ehFrameHdr, deref);
        if (!hdr.hasTable) problem = '.eh_frame_hdr has no search table';
        else if (hdr.ehFramePtr !== ehFrame.vaddr) problem = '.eh_frame_hdr points at another .eh_frame';
      } catch (e) {
        if (!isNodescopeError(e)) throw e;
        problem = e.message;
      }
    }
    this.hdr = problem === undefined ? hdr : undefined;
    this.hdrProblem = problem;
  }

  /** Whether lookups binary-search .eh_frame_hdr (true) or a scanned index (false). */
  get usesHdr(): boolean {
    return this.hdr !== undefined;
  }

  /** Role: the FDE covering `pc`, or undefined. Throws FormatError when the CFI at pc is malformed. */
  findFde(pc: number): Fde | undefined {
    if (this.hdr === undefined) return this.ehFrame.findFdeByScan(pc);
    const hit = this.hdr.lookup(pc);
    if (hit === undefined) return undefined;
    const fde = this.ehFrame.fdeAt(hit.fdeVaddr - this.ehFrame.section.vaddr);
    return pc >= fde.pcBegin && pc < fde.pcEnd ? fde : undefined;
  }

  /** Role: the unwind row at `pc`, or undefined when no FDE covers it. FormatError when malformed. */
  rowAt(pc: number): CfiRow | undefined {
    const fde = this.findFde(pc);
    return fde === undefined ? undefined : cfiRowAt(fde, pc, this.ehFrame.section.name);
  }
}
