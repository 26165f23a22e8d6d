// Index of a binary's v8dbg_* / nodedbg_* symbols and the reader of their values. Values of
// symbols in .data come from the file; symbols in .bss (zero-initialised or filled by static
// constructors, as Node's nodedbg_ offsets are) come from target memory at bias + value.
import type { AddressSpace } from '../../target/address-space.js';
import { isNodescopeError } from '../../util/errors.js';
import { SHT_NOBITS, type LayoutBinary, type LayoutSymbol } from './layout-binary.js';

/** Where a constant's value came from. */
export type ConstantSource = 'file' | 'memory' | 'fallback';

/** A metadata symbol's value and where it was read. */
export interface SymbolValue {
  readonly symbol: string;
  readonly value: number;
  readonly source: ConstantSource;
}

/** Role: look up metadata symbols by exact name or prefix and read their int values. */
export class MetadataSymbols {
  private readonly byName = new Map<string, LayoutSymbol>();
  private readonly sorted: string[];
  private readonly nobits: ReadonlySet<number>;

  constructor(
    private readonly binary: LayoutBinary,
    private readonly space: AddressSpace | undefined,
    private readonly bias: number,
  ) {
    for (const s of binary.symbols()) {
      if (s.shndx === 0 || s.size === 0) continue;
      if (!s.name.startsWith('v8dbg_') && !s.name.startsWith('nodedbg_')) continue;
      if (!this.byName.has(s.name)) this.byName.set(s.name, s);
    }
    this.sorted = [...this.byName.keys()].sort();
    const nb = new Set<number>();
    binary.sections().forEach((sh, i) => {
      if (sh.type === SHT_NOBITS) nb.add(i);
    });
    this.nobits = nb;
  }

  /** All metadata symbol names, sorted. */
  names(): readonly string[] {
    return this.sorted;
  }

  /** Names that start with `prefix`, sorted. */
  withPrefix(prefix: string): string[] {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < this.sorted.length && this.sorted[i]!.startsWith(prefix); i++) {
      out.push(this.sorted[i]!);
    }
    return out;
  }

  /** Reads the value of one symbol, or undefined when it is absent or unreadable. */
  read(name: string): SymbolValue | undefined {
    const s = this.byName.get(name);
    if (s === undefined) return undefined;
    const size = s.size === 8 ? 8 : s.size === 2 ? 2 : 4;
    if (this.nobits.has(s.shndx)) {
      const b = this.space?.tryRead(this.bias + s.value, size);
      if (b !== undefined) return { symbol: name, value: decode(b, size), source: 'memory' };
      // A v8dbg_ int in .bss is a constant whose initial value is 0 (the compiler put it there
      // because it is zero); nodedbg_ values are computed at start-up and need memory.
      if (name.startsWith('v8dbg_')) return { symbol: name, value: 0, source: 'file' };
      return undefined;
    }
    try {
      return { symbol: name, value: decode(this.binary.readVaddr(s.value, size), size), source: 'file' };
    } catch (e) {
      if (isNodescopeError(e)) return undefined;
      throw e;
    }
  }
}

function decode(b: Buffer, size: number): number {
  if (size === 8) {
    const lo = b.readUInt32LE(0);
    const hi = b.readInt32LE(4);
    return hi * 0x1_0000_0000 + lo;
  }
  if (size === 2) return b.readInt16LE(0);
  return b.readInt32LE(0);
}
