// Decoder of V8's source position table (V8 src/codegen/source-position-table.cc): a sequence
// of entries, each a code-offset delta then a zigzag VLQ source-position delta. The code-offset
// delta is a zigzag VLQ, negative − 1 for non-statements ('zigzag', V8 ≤ 13), or in newer V8 an
// unsigned VLQ of delta << 2 | is_breakable << 1 | is_statement ('packed'). Positions are
// SourcePosition raw values (V8 src/codegen/source-position.h: bit 0 external, bits 1–30 script
// offset + 1, then the inlining id + 1).
import { LimitExceeded, isNodescopeError } from '../../util/errors.js';

/** Role: one decoded entry: code (bytecode) offset → script offset. */
export interface SourcePositionEntry {
  readonly codeOffset: number;
  /** Character offset in the script source, or -1 when unknown or external. */
  readonly scriptOffset: number;
  readonly isStatement: boolean;
  /** Inlining id (-1 when not inlined; always -1 for bytecode). */
  readonly inliningId: number;
}

/** V8 kFunctionEntryBytecodeOffset (V8 src/common/globals.h). */
const FUNCTION_ENTRY_OFFSET = -1;

/** Largest table this decoder accepts (entries), against corrupt input. */
const MAX_ENTRIES = 1 << 20;

/** Role: the two encodings of the code-offset delta. */
export type PositionTableFormat = 'zigzag' | 'packed';

/** Decodes a whole table; throws LimitExceeded on a truncated or runaway encoding. */
export function decodeSourcePositionTable(bytes: Buffer, format: PositionTableFormat = 'zigzag'): SourcePositionEntry[] {
  const out: SourcePositionEntry[] = [];
  let pos = 0;
  // The iterator starts at kFunctionEntryBytecodeOffset (-1): the first entry may be the
  // function-entry position (V8 src/codegen/source-position-table.h, PositionTableEntry()).
  let codeOffset = FUNCTION_ENTRY_OFFSET;
  let raw = 0;
  const readUInt = (): number => {
    let bits = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      if (pos >= bytes.length || i > 9) throw new LimitExceeded('source position table: truncated VLQ');
      const b = bytes[pos++]!;
      bits += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) break;
    }
    return bits;
  };
  const readInt = (): number => {
    const bits = readUInt();
    // Zigzag: even → bits / 2, odd → -(bits + 1) / 2.
    return bits % 2 === 0 ? bits / 2 : -(bits + 1) / 2;
  };
  while (pos < bytes.length) {
    if (out.length >= MAX_ENTRIES) throw new LimitExceeded('source position table: too many entries');
    let isStatement: boolean;
    if (format === 'packed') {
      const u = readUInt();
      isStatement = u % 2 === 1;
      codeOffset += Math.floor(u / 4);
    } else {
      const delta = readInt();
      isStatement = delta >= 0;
      codeOffset += isStatement ? delta : -(delta + 1);
    }
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
export function scriptOffsetAt(entries: readonly { codeOffset: number; scriptOffset: number }[], codeOffset: number): number {
  let found = -1;
  for (const e of entries) {
    if (e.codeOffset > codeOffset) break;
    if (e.scriptOffset >= 0) found = e.scriptOffset;
  }
  return found;
}

/**
 * Decodes a table whose format is unknown: keeps the decoding whose last code offset lies
 * within the bytecode (below `codeLength`) and closest to its end, since V8 records a
 * position for the final return. Returns undefined when neither fits.
 */
export function decodeSourcePositionTableGuess(
  bytes: Buffer,
  codeLength: number,
): { entries: SourcePositionEntry[]; format: PositionTableFormat } | undefined {
  let best: { entries: SourcePositionEntry[]; format: PositionTableFormat; last: number } | undefined;
  for (const format of ['zigzag', 'packed'] as const) {
    let entries: SourcePositionEntry[];
    try {
      entries = decodeSourcePositionTable(bytes, format);
    } catch (e) {
      // Not this format (the decoder rejects it with a typed error): try the next.
      if (!isNodescopeError(e)) throw e;
      continue;
    }
    const last = entries.length === 0 ? 0 : entries[entries.length - 1]!.codeOffset;
    if (last >= codeLength) continue;
    if (best === undefined || last > best.last) best = { entries, format, last };
  }
  return best === undefined ? undefined : { entries: best.entries, format: best.format };
}

/** Encodes entries as V8 does (for synthetic tests of the decoder). */
export function encodeSourcePositionTable(
  entries: readonly { codeOffset: number; scriptOffset: number; isStatement: boolean }[],
  format: PositionTableFormat = 'zigzag',
): Buffer {
  const bytes: number[] = [];
  const writeUInt = (v: number): void => {
    let bits = v;
    do {
      let b = bits % 128;
      bits = Math.floor(bits / 128);
      if (bits > 0) b |= 0x80;
      bytes.push(b);
    } while (bits > 0);
  };
  const writeInt = (v: number): void => writeUInt(v >= 0 ? v * 2 : -v * 2 - 1);
  let code = FUNCTION_ENTRY_OFFSET;
  let raw = 0;
  for (const e of entries) {
    const d = e.codeOffset - code;
    if (format === 'packed') writeUInt(d * 4 + (e.isStatement ? 1 : 0));
    else writeInt(e.isStatement ? d : -d - 1);
    const r = (e.scriptOffset + 1) * 2;
    writeInt(r - raw);
    code = e.codeOffset;
    raw = r;
  }
  return Buffer.from(bytes);
}
