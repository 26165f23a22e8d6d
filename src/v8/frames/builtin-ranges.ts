// Address ranges of V8's embedded builtins (`Builtins_*` symbols in the node executable's .text),
// to tell an interpreted frame (pc in a bytecode handler or the interpreter trampoline) from
// code generated at run time (baseline, Maglev, TurboFan).

/** A symbol as the builtin index needs it. */
export interface BuiltinSymbol {
  readonly name: string;
  readonly value: number;
  readonly size: number;
}

/**
 * A second mapping of the executable's code: since V8 11 (short builtin calls) the embedded
 * builtins run from a copy remapped next to the JIT code range; a pc in [start, end) corresponds
 * to pc + delta in the executable's own mapping.
 */
export interface BuiltinAlias {
  readonly start: number;
  readonly end: number;
  readonly delta: number;
}

/** Role: sorted, searchable ranges of embedded builtins. */
export class BuiltinRanges {
  private readonly starts: number[];
  private readonly ends: number[];
  private readonly names: string[];

  /**
   * Builds the index from the executable's symbols; `bias` is its load bias (0 when not PIE);
   * `aliases` are remapped copies of its code (see remappedBuiltinAliases).
   */
  constructor(symbols: readonly BuiltinSymbol[], bias: number, private readonly aliases: readonly BuiltinAlias[] = []) {
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
    for (const a of this.aliases) {
      if (pc >= a.start && pc < a.end) {
        pc += a.delta;
        break;
      }
    }
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

/** A file mapping as remappedBuiltinAliases needs it (a subset of target Mapping). */
export interface FileMappingLike {
  readonly start: number;
  readonly end: number;
  readonly path?: string;
  readonly fileOffset?: number;
}

/** A loadable segment as remappedBuiltinAliases needs it (a subset of ELF ProgramHeader). */
export interface SegmentLike {
  readonly type: number;
  readonly offset: number;
  readonly vaddr: number;
  readonly filesz: number;
}

const PT_LOAD = 1;

/**
 * Finds mappings of the executable (`path`) that are not where its segments load: V8's
 * remapped embedded builtins. Each becomes an alias onto the executable's own address.
 */
export function remappedBuiltinAliases(
  mappings: readonly FileMappingLike[],
  path: string,
  segments: readonly SegmentLike[],
  bias: number,
): BuiltinAlias[] {
  const out: BuiltinAlias[] = [];
  for (const m of mappings) {
    if (m.path !== path || m.fileOffset === undefined) continue;
    const seg = segments.find((p) => p.type === PT_LOAD && m.fileOffset! >= p.offset && m.fileOffset! < p.offset + p.filesz);
    if (seg === undefined) continue;
    const home = seg.vaddr + (m.fileOffset - seg.offset) + bias;
    if (home !== m.start) out.push({ start: m.start, end: m.end, delta: home - m.start });
  }
  return out;
}
