// .eh_frame: CIE and FDE records (LSB 5.0 "Exception Frames"; DWARF 5 §6.4.1), parsed on demand
// by offset. A linear scan that indexes every FDE runs at most once, only when asked (no hdr).
import { Cursor } from './cursor.js';
import { DW_EH_PE, readEncodedPointer, type PointerBases } from './pointer-encoding.js';
import { FormatError, isNodescopeError } from '../util/errors.js';

/** Role: one section's bytes and where the loader placed it (ELF virtual address, unbiased). */
export interface SectionBytes {
  readonly name: string;
  readonly data: Buffer;
  readonly vaddr: number;
}

/** A Common Information Entry: the defaults its FDEs share. */
export interface Cie {
  readonly offset: number;
  readonly version: number;
  readonly augmentation: string;
  readonly codeAlign: number;
  readonly dataAlign: number;
  /** DWARF register holding the return address (16 on x86-64). */
  readonly raRegister: number;
  /** DW_EH_PE_* encoding of FDE pc_begin/pc_range ('R'; absptr when absent). */
  readonly fdeEncoding: number;
  /** DW_EH_PE_* encoding of the LSDA pointer ('L'), or omit. */
  readonly lsdaEncoding: number;
  /** Whether the augmentation has 'z' (so FDEs carry an augmentation length). */
  readonly hasAugmentationData: boolean;
  /** 'S': frames of this CIE are signal trampolines (the caller's pc is exact, not a return address). */
  readonly isSignalFrame: boolean;
  /** The initial instructions (a view into the section). */
  readonly instructions: Buffer;
}

/** A Frame Description Entry: the CFI program for one pc range [pcBegin, pcEnd). */
export interface Fde {
  readonly offset: number;
  readonly cie: Cie;
  readonly pcBegin: number;
  readonly pcEnd: number;
  readonly instructions: Buffer;
}

/** Sorted FDE index from a linear scan: pcBegin, pcEnd and section offset per FDE. */
interface FdeIndex {
  readonly begin: Float64Array;
  readonly end: Float64Array;
  readonly offset: Float64Array;
}

const MAX_CIES = 100_000;

/** Role: the .eh_frame section of one module, read lazily by record offset. */
export class EhFrame {
  private readonly cies = new Map<number, Cie>();
  private index: FdeIndex | undefined;

  constructor(
    readonly section: SectionBytes,
    /** Extra bases for datarel/textrel encodings and an indirect-pointer reader. */
    private readonly bases: Omit<PointerBases, 'sectionVaddr' | 'func'> = {},
  ) {}

  /** Reads the CIE at a section offset (cached). Throws FormatError when it is not a valid CIE. */
  cieAt(offset: number): Cie {
    const hit = this.cies.get(offset);
    if (hit) return hit;
    const rec = this.record(offset);
    if (rec === undefined || rec.id !== 0) throw new FormatError(this.section.name, `no CIE at offset 0x${offset.toString(16)}`);
    const cur: Cursor = new Cursor(this.section.data, rec.bodyStart, rec.end, this.section.name);
    const version = cur.u8();
    if (version !== 1 && version !== 3) cur.fail(`unsupported CIE version ${version}`);
    const augmentation = cur.cstring(32);
    if (augmentation.includes('eh')) cur.fail(`obsolete CIE augmentation "${augmentation}"`);
    const codeAlign = cur.uleb();
    const dataAlign = cur.sleb();
    const raRegister = version === 1 ? cur.u8() : cur.uleb();
    let fdeEncoding: number = DW_EH_PE.absptr;
    let lsdaEncoding: number = DW_EH_PE.omit;
    let isSignalFrame = false;
    const hasAugmentationData = augmentation.startsWith('z');
    if (augmentation.length > 0 && !hasAugmentationData) cur.fail(`unknown CIE augmentation "${augmentation}"`);
    if (hasAugmentationData) {
      const len = cur.uleb();
      const augEnd = cur.pos + len;
      if (augEnd > rec.end) cur.fail('CIE augmentation data overruns the record');
      const aug = new Cursor(this.section.data, cur.pos, augEnd, this.section.name);
      for (const ch of augmentation.slice(1)) {
        if (ch === 'R') fdeEncoding = aug.u8();
        else if (ch === 'L') lsdaEncoding = aug.u8();
        else if (ch === 'P') {
          const enc = aug.u8();
          // The personality routine is not needed for unwinding: decode only to skip it.
          readEncodedPointer(aug, enc & ~DW_EH_PE.indirect, { ...this.bases, sectionVaddr: this.section.vaddr, data: this.bases.data ?? 0, text: this.bases.text ?? 0 });
        } else if (ch === 'S') isSignalFrame = true;
        else if (ch === 'B' || ch === 'G') continue;
        else break; // Unknown letters: the augmentation length lets us skip the rest (LSB 5.0).
      }
      cur.pos = augEnd;
    }
    if (codeAlign === 0) cur.fail('CIE code alignment factor is 0');
    const cie: Cie = {
      offset, version, augmentation, codeAlign, dataAlign, raRegister, fdeEncoding, lsdaEncoding,
      hasAugmentationData, isSignalFrame, instructions: cur.bytes(rec.end - cur.pos),
    };
    if (this.cies.size < MAX_CIES) this.cies.set(offset, cie);
    return cie;
  }

  /** Reads the FDE at a section offset. Throws FormatError when it is not a valid FDE. */
  fdeAt(offset: number): Fde {
    const rec = this.record(offset);
    if (rec === undefined || rec.id === 0) throw new FormatError(this.section.name, `no FDE at offset 0x${offset.toString(16)}`);
    // In .eh_frame the CIE pointer is relative to the field itself (LSB 5.0).
    const cieOffset = rec.idPos - rec.id;
    if (cieOffset < 0 || cieOffset >= offset) throw new FormatError(this.section.name, `FDE at 0x${offset.toString(16)} has a bad CIE pointer`);
    const cie = this.cieAt(cieOffset);
    const cur: Cursor = new Cursor(this.section.data, rec.bodyStart, rec.end, this.section.name);
    const pointerBases: PointerBases = { ...this.bases, sectionVaddr: this.section.vaddr };
    const pcBegin = readEncodedPointer(cur, cie.fdeEncoding, pointerBases);
    const pcRange = readEncodedPointer(cur, cie.fdeEncoding & 0x0f, pointerBases, true);
    if (pcRange < 0) cur.fail('negative FDE pc range');
    if (cie.hasAugmentationData) cur.skip(cur.uleb());
    return { offset, cie, pcBegin, pcEnd: pcBegin + pcRange, instructions: cur.bytes(rec.end - cur.pos) };
  }

  /** The FDE whose range holds `pc` (ELF vaddr), from an index built by one linear scan (cached). */
  findFdeByScan(pc: number): Fde | undefined {
    const idx = (this.index ??= this.scan());
    let lo = 0;
    let hi = idx.begin.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (idx.begin[mid]! <= pc) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // Ranges may nest or overlap in odd objects; look back a few entries for one that covers pc.
    for (let i = found; i >= 0 && i > found - 8; i--) {
      if (pc >= idx.begin[i]! && pc < idx.end[i]!) return this.fdeAt(idx.offset[i]!);
    }
    return undefined;
  }

  /** Number of FDEs found by the linear scan (builds the index if needed). */
  scannedFdeCount(): number {
    return (this.index ??= this.scan()).begin.length;
  }

  /** Walks every record once; FDEs that fail to parse are skipped, a broken length ends the walk. */
  private scan(): FdeIndex {
    const found: { b: number; e: number; o: number }[] = [];
    let offset = 0;
    const size = this.section.data.length;
    while (offset + 4 <= size) {
      let rec: RecordHeader | undefined;
      try {
        rec = this.record(offset);
      } catch (e) {
        if (!isNodescopeError(e)) throw e;
        break; // A bad length (typed error) leaves no way to find the next record.
      }
      if (rec === undefined) break; // Terminator.
      if (rec.id !== 0) {
        try {
          const f = this.fdeAt(offset);
          if (f.pcEnd > f.pcBegin) found.push({ b: f.pcBegin, e: f.pcEnd, o: offset });
        } catch (e) {
          // Unparseable FDE (bad CIE, unknown encoding; a typed error): it covers nothing we can use.
          if (!isNodescopeError(e)) throw e;
        }
      }
      offset = rec.end;
    }
    found.sort((x, y) => x.b - y.b);
    return {
      begin: Float64Array.from(found, (f) => f.b),
      end: Float64Array.from(found, (f) => f.e),
      offset: Float64Array.from(found, (f) => f.o),
    };
  }

  /** Record header at `offset`: undefined for the zero terminator; FormatError when it overruns. */
  private record(offset: number): RecordHeader | undefined {
    const cur: Cursor = new Cursor(this.section.data, 0, this.section.data.length, this.section.name);
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > this.section.data.length) cur.fail(`record offset 0x${offset.toString(16)} outside the section`);
    cur.pos = offset;
    let length = cur.u32();
    if (length === 0) return undefined;
    const is64 = length === 0xffffffff;
    if (is64) length = cur.u64();
    const end = cur.pos + length;
    if (end > this.section.data.length) cur.fail(`record at 0x${offset.toString(16)} overruns the section`);
    const idPos = cur.pos;
    if (length < (is64 ? 8 : 4)) cur.fail('record too short');
    const id = is64 ? cur.u64() : cur.u32();
    return { idPos, id, bodyStart: cur.pos, end };
  }
}

interface RecordHeader {
  /** Offset of the CIE id / CIE pointer field. */
  readonly idPos: number;
  readonly id: number;
  readonly bodyStart: number;
  readonly end: number;
}
