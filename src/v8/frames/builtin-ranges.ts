// Address ranges of V8's embedded builtins (`Builtins_*` symbols in the node executable's .text),
// to tell an interpreted frame (pc in a bytecode handler or the interpreter trampoline) from
// code generated at run time (baseline, Maglev, TurboFan).

/** A symbol as the builtin index needs it. */
export interface BuiltinSymbol {
  readonly name: string;
  readonly value: number;
  readonly size: number;
}

/** Role: sorted, searchable ranges of embedded builtins. */
export class BuiltinRanges {
  private readonly starts: number[];
  private readonly ends: number[];
  private readonly names: string[];

  /** Builds the index from the executable's symbols; `bias` is its load bias (0 when not PIE). */
  constructor(symbols: readonly BuiltinSymbol[], bias: number) {
    const list = symbols
      .filter((s) => s.name.startsWith('Builtins_') && s.size > 0)
      .map((s) => ({ start: s.value + bias, end: s.value + bias + s.size, name: s.name.slice('Builtins_'.length) }))
      .sort((a, b) => a.start - b.start);
    this.starts = list.map((s) => s.start);
    this.ends = list.map((s) => s.end);
    this.names = list.map((s) => s.name);
  }

  /** Name of the builtin containing `pc` (`InterpreterEntryTrampoline`), or undefined. */
  find(pc: number): string | undefined {
    let lo = 0;
    let hi = this.starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! <= pc) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found >= 0 && pc < this.ends[found]! ? this.names[found] : undefined;
  }

  /** Number of builtins known. */
  get size(): number {
    return this.starts.length;
  }
}

/**
 * Whether a builtin runs bytecode: the interpreter entry/re-entry trampolines and the bytecode
 * handlers (named `<Bytecode>Handler`, `<Bytecode>WideHandler`, … in V8's embedded blob).
 */
export function isInterpreterBuiltin(name: string): boolean {
  return name.startsWith('InterpreterEntryTrampoline') || name.startsWith('InterpreterEnterAtBytecode') ||
    name.startsWith('InterpreterEnterAtNextBytecode') || name.endsWith('Handler');
}
