// V8's table of bytecode sizes per operand scale, read from the executable
// (`v8::internal::interpreter::Bytecodes::kBytecodeSizes[3][kBytecodeCount]`, V8
// src/interpreter/bytecodes.h), so that bytecode arrays can be walked without a bytecode list
// per V8 version. Scaling prefixes (Wide, ExtraWide, DebugBreakWide, DebugBreakExtraWide) are the
// first four bytecodes of BYTECODE_LIST.
import { isNodescopeError } from '../../util/errors.js';
import type { LayoutBinary } from './layout-binary.js';

const SYMBOL = '_ZN2v88internal11interpreter9Bytecodes14kBytecodeSizesE';
/** Operand scales: single, double (Wide), quadruple (ExtraWide). */
const SCALES = 3;

/** Role: the size in bytes of each bytecode at each operand scale. */
export class BytecodeSizes {
  private readonly count: number;
  constructor(private readonly table: Buffer) {
    this.count = table.length / SCALES;
  }

  /**
   * Size of the bytecode unit at `offset` of `code` (a scaling prefix and its bytecode count as
   * one unit, as V8's BytecodeArrayIterator steps), or undefined for an unknown bytecode.
   */
  unitSize(code: Buffer, offset: number): number | undefined {
    const b = code[offset];
    if (b === undefined || b >= this.count) return undefined;
    if (b <= 3) {
      // Wide (0) and DebugBreakWide (2) double the operands; ExtraWide (1), DebugBreakExtraWide (3) quadruple them.
      const scale = b % 2 === 0 ? 1 : 2;
      const next = code[offset + 1];
      if (next === undefined || next >= this.count) return undefined;
      const size = this.table[scale * this.count + next]!;
      return size === 0 ? undefined : 1 + size;
    }
    const size = this.table[b]!;
    return size === 0 ? undefined : size;
  }

  /** Number of bytecodes this V8 has. */
  get bytecodeCount(): number {
    return this.count;
  }
}

/** Reads the bytecode size table from the executable, or undefined when it has no such symbol. */
export function loadBytecodeSizes(binary: LayoutBinary): BytecodeSizes | undefined {
  const s = binary.symbols().find((x) => x.name === SYMBOL);
  if (s === undefined || s.size === 0 || s.size % SCALES !== 0) return undefined;
  try {
    return new BytecodeSizes(Buffer.from(binary.readVaddr(s.value, s.size)));
  } catch (e) {
    if (isNodescopeError(e)) return undefined;
    throw e;
  }
}
