// Decoder of V8's source position table (V8 src/codegen/source-position-table.cc): a sequence
// of entries, each a zigzag VLQ code-offset delta (negative − 1 for non-statement positions)
// followed by a zigzag VLQ source-position delta. Positions are SourcePosition raw values
// (V8 src/codegen/source-position.h: bit 0 external, bits 1–30 script offset + 1, then inlining).
import { LimitExceeded } from '../../util/errors.js';

/** Role: one decoded entry: code (bytecode) offset → script offset. */
export interface SourcePositionEntry {
  readonly codeOffset: number;
  /** Character offset in the script source, or -1 when unknown or external. */
  readonly scriptOffset: number;
  readonly isStatement: boolean;
  /** Inlining id (-1 when not inlined; always -1 for bytecode). */
  readonly inliningId: number;
}

/** Largest table this decoder accepts (entries), against corrupt input. */
const MAX_ENTRIES = 1 << 20;

/** Decodes a whole table; throws LimitExceeded on a truncated or runaway encoding. */
export function decodeSourcePositionTable(bytes: Buffer): SourcePositionEntry[] {
  const out: SourcePositionEntry[] = [];
  let pos = 0;
  let codeOffset = 0;
  let raw = 0;
  const readInt = (): number => {
    let bits = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      if (pos >= bytes.length || i > 9) throw new LimitExceeded('source position table: truncated VLQ');
      const b = bytes[pos++]!;
      bits += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) break;
    }
    // Zigzag: even → bits / 2, odd → -(bits + 1) / 2.
    return bits % 2 === 0 ? bits / 2 : -(bits + 1) / 2;
  };
  while (pos < bytes.length) {
    if (out.length >= MAX_ENTRIES) throw new LimitExceeded('source position table: too many entries');
    const delta = readInt();
    const isStatement = delta >= 0;
    codeOffset += isStatement ? delta : -(delta + 1);
    raw += readInt();
    out.push({ codeOffset, isStatement, ...decodeSourcePosition(raw) });
  }
  return out;
}

/** Splits a SourcePosition raw value into script offset and inlining id. */
export function decodeSourcePosition(raw: number): { scriptOffset: number; inliningId: number } {
  if (raw < 0 || raw % 2 === 1) return { scriptOffset: -1, inliningId: -1 };
  const scriptOffset = (Math.floor(raw / 2) % 0x4000_0000) - 1;
  const inliningId = (Math.floor(raw / 0x8000_0000) % 0x10000) - 1;
  return { scriptOffset, inliningId };
}

/**
 * The script offset for a code offset: the last entry at or before it, as V8's
 * AbstractCode::SourcePosition does; -1 when the table has none.
 */
export function scriptOffsetAt(entries: readonly SourcePositionEntry[], codeOffset: number): number {
  let found = -1;
  for (const e of entries) {
    if (e.codeOffset > codeOffset) break;
    if (e.scriptOffset >= 0) found = e.scriptOffset;
  }
  return found;
}

/** Encodes entries as V8 does (for synthetic tests of the decoder). */
export function encodeSourcePositionTable(entries: readonly { codeOffset: number; scriptOffset: number; isStatement: boolean }[]): Buffer {
  const bytes: number[] = [];
  const writeInt = (v: number): void => {
    let bits = v >= 0 ? v * 2 : -v * 2 - 1;
    do {
      let b = bits % 128;
      bits = Math.floor(bits / 128);
      if (bits > 0) b |= 0x80;
      bytes.push(b);
    } while (bits > 0);
  };
  let code = 0;
  let raw = 0;
  for (const e of entries) {
    const d = e.codeOffset - code;
    writeInt(e.isStatement ? d : -d - 1);
    const r = (e.scriptOffset + 1) * 2;
    writeInt(r - raw);
    code = e.codeOffset;
    raw = r;
  }
  return Buffer.from(bytes);
}
