// Test helper: builds synthetic .eh_frame / .eh_frame_hdr bytes (CIE 'zR' or 'zPLR', FDEs with
// pcrel|sdata4 pointers). Used only by tests; it encodes what the parsers decode.

/** Role: encodes an unsigned LEB128. */
export function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) b |= 0x80;
    out.push(b);
  } while (v > 0);
  return out;
}

/** Role: encodes a signed LEB128. */
export function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = ((v % 128) + 128) % 128;
    v = Math.floor(v / 128);
    const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

const u32 = (v: number): number[] => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return [...b];
};
const s32 = (v: number): number[] => {
  const b = Buffer.alloc(4);
  b.writeInt32LE(v);
  return [...b];
};

/** Options of one synthetic CIE. */
export interface CieSpec {
  augmentation?: 'zR' | 'zPLR' | 'zRS' | '';
  codeAlign?: number;
  dataAlign?: number;
  raRegister?: number;
  /** Initial instructions, raw bytes. */
  instructions?: number[];
}

/** Role: accumulates CIE and FDE records at a chosen section vaddr. */
export class EhFrameBuilder {
  private bytes: number[] = [];
  private readonly fdes: { pcBegin: number; offset: number }[] = [];
  private readonly augOf = new Map<number, string>();

  constructor(readonly vaddr: number) {}

  /** Appends a CIE; returns its section offset. */
  cie(spec: CieSpec = {}): number {
    const aug = spec.augmentation ?? 'zR';
    const body: number[] = [1, ...Buffer.from(aug, 'latin1'), 0];
    body.push(...uleb(spec.codeAlign ?? 1), ...sleb(spec.dataAlign ?? -8), spec.raRegister ?? 16);
    if (aug === 'zR' || aug === 'zRS') body.push(...uleb(1), 0x1b);
    else if (aug === 'zPLR') body.push(...uleb(7), 0x9b, ...s32(0x1000), 0x1b, 0x1b);
    body.push(...(spec.instructions ?? [0x0c, 7, 8, 0x90, 1]));
    const offset = this.record(0, body);
    this.augOf.set(offset, aug);
    return offset;
  }

  /** Appends an FDE for [pcBegin, pcBegin+pcRange) under `cieOffset`; returns its offset. */
  fde(cieOffset: number, pcBegin: number, pcRange: number, instructions: number[] = []): number {
    const offset = this.bytes.length;
    const idPos = offset + 4;
    const pcPos = offset + 8;
    const aug = this.augOf.get(cieOffset) ?? 'zR';
    const body: number[] = [...s32(pcBegin - (this.vaddr + pcPos)), ...u32(pcRange)];
    if (aug.startsWith('z')) body.push(...uleb(aug.includes('L') ? 4 : 0));
    if (aug.includes('L')) body.push(...u32(0));
    body.push(...instructions);
    this.record(idPos - cieOffset, body);
    this.fdes.push({ pcBegin, offset });
    return offset;
  }

  /** Appends raw bytes (for malformed-input tests). */
  raw(bytes: number[]): void {
    this.bytes.push(...bytes);
  }

  /** The section bytes with a zero terminator. */
  build(): Buffer {
    return Buffer.from([...this.bytes, 0, 0, 0, 0]);
  }

  /** A matching .eh_frame_hdr placed at `hdrVaddr` (version 1, pcrel eh_frame_ptr, datarel sdata4 table). */
  hdr(hdrVaddr: number): Buffer {
    const out: number[] = [1, 0x1b, 0x03, 0x3b];
    out.push(...s32(this.vaddr - (hdrVaddr + 4)));
    out.push(...u32(this.fdes.length));
    const sorted = [...this.fdes].sort((a, b) => a.pcBegin - b.pcBegin);
    for (const f of sorted) out.push(...s32(f.pcBegin - hdrVaddr), ...s32(this.vaddr + f.offset - hdrVaddr));
    return Buffer.from(out);
  }

  private record(id: number, body: number[]): number {
    const offset = this.bytes.length;
    while ((4 + 4 + body.length) % 8 !== 0) body.push(0); // DW_CFA_nop padding
    this.bytes.push(...u32(4 + body.length), ...u32(id), ...body);
    return offset;
  }
}
