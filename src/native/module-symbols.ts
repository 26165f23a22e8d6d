// Sorted function-symbol index of one ELF module (.symtab + .dynsym): STT_FUNC, STT_GNU_IFUNC,
// and V8's embedded `Builtins_*` whatever their type. Addresses are ELF vaddrs (unbiased); the
// caller subtracts the load bias. Built once from the raw tables (names decoded only on lookup).
import type { ElfFile, ElfSymbol } from '../elf/elf-file.js';
import { SHN_UNDEF, SHT_DYNSYM, SHT_NOBITS, SHT_SYMTAB, STT_FUNC } from '../elf/constants.js';

/** STT_GNU_IFUNC (glibc's resolver-selected functions such as memcpy). */
const STT_GNU_IFUNC = 10;
/** First reserved section index (SHN_LORESERVE); SHN_ABS and friends are not code. */
const SHN_LORESERVE = 0xff00;
const STB_GLOBAL = 1;
const STB_WEAK = 2;
/** How far past its start a size-0 symbol may claim a pc when no other symbol follows. */
const MAX_UNSIZED_SPAN = 1 << 20;
/** Longest symbol name decoded. */
const MAX_NAME = 64 * 1024;
const BUILTINS = Buffer.from('Builtins_', 'latin1');

/** Role: the symbol that covers a pc, with the pc's offset into it. */
export interface SymbolHit {
  readonly name: string;
  /** Symbol start (ELF vaddr). */
  readonly address: number;
  /** Symbol size in bytes (0 when the ELF gives none). */
  readonly size: number;
  /** pc − address. */
  readonly offset: number;
}

/** Column store of candidate symbols before sorting (typed arrays, grown by doubling). */
class Columns {
  n = 0;
  value = new Float64Array(1024);
  size = new Float64Array(1024);
  pref = new Uint16Array(1024);
  /** Which name resolver (one per string table) and its argument (the name offset). */
  table = new Uint8Array(1024);
  arg = new Float64Array(1024);
  readonly resolvers: ((arg: number) => string)[] = [];

  push(value: number, size: number, pref: number, table: number, arg: number): void {
    if (this.n === this.value.length) this.grow();
    const i = this.n++;
    this.value[i] = value;
    this.size[i] = size;
    this.pref[i] = pref;
    this.table[i] = table;
    this.arg[i] = arg;
  }

  private grow(): void {
    const cap = this.value.length * 2;
    const g = <T extends Float64Array | Uint16Array | Uint8Array>(a: T, make: new (n: number) => T): T => {
      const b = new make(cap);
      b.set(a);
      return b;
    };
    this.value = g(this.value, Float64Array);
    this.size = g(this.size, Float64Array);
    this.pref = g(this.pref, Uint16Array);
    this.table = g(this.table, Uint8Array);
    this.arg = g(this.arg, Float64Array);
  }
}

/** Role: pc → function symbol for one module. */
export class ModuleSymbols {
  /** Start of each indexed symbol, sorted; aliases at one address follow the preferred name. */
  private readonly start: Float64Array;
  private readonly size: Float64Array;
  private readonly table: Uint8Array;
  private readonly arg: Float64Array;
  private readonly resolvers: readonly ((arg: number) => string)[];

  private constructor(cols: Columns) {
    const n = cols.n;
    const order = sortOrder(cols);
    this.start = new Float64Array(n);
    this.size = new Float64Array(n);
    this.table = new Uint8Array(n);
    this.arg = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      this.start[k] = cols.value[i]!;
      this.size[k] = cols.size[i]!;
      this.table[k] = cols.table[i]!;
      this.arg[k] = cols.arg[i]!;
    }
    this.resolvers = cols.resolvers;
  }

  /** Role: indexes the code symbols of an ElfFile's .symtab and .dynsym, reading the tables raw. */
  static fromElf(elf: ElfFile): ModuleSymbols {
    return ModuleSymbols.fromElfs([elf]);
  }

  /**
   * Role: one index over several ELF files of one module at the same vaddrs (the module and its
   * separate debug file, whose .symtab names the locals a stripped file lacks).
   */
  static fromElfs(elfs: readonly ElfFile[]): ModuleSymbols {
    const cols = new Columns();
    for (const elf of elfs) {
      const secs = elf.sections();
      for (const type of [SHT_SYMTAB, SHT_DYNSYM]) {
        for (const s of secs) {
          if (s.type !== type || s.entsize !== 24 || cols.resolvers.length >= 255) continue;
          const strs = secs[s.link];
          if (strs === undefined || strs.type === SHT_NOBITS || s.type === SHT_NOBITS) continue;
          addTable(cols, elf.sectionData(s), elf.sectionData(strs));
        }
      }
    }
    return new ModuleSymbols(cols);
  }

  /** Role: indexes the code symbols among already-decoded symbols (tests, other sources). */
  static fromSymbols(symbols: readonly ElfSymbol[]): ModuleSymbols {
    const cols = new Columns();
    cols.resolvers.push((i) => symbols[i]!.name);
    symbols.forEach((s, i) => {
      if (s.name === '' || !isCode(s.type, s.shndx, s.value, s.name.startsWith('Builtins_'))) return;
      cols.push(s.value, s.size, preference(s.size, s.bind, leadingUnderscores(s.name)), 0, i);
    });
    return new ModuleSymbols(cols);
  }

  /** Number of symbols indexed (aliases counted). */
  get count(): number {
    return this.start.length;
  }

  /** Role: the function symbol covering `pc` (ELF vaddr), or undefined. */
  lookup(pc: number): SymbolHit | undefined {
    let found = this.lastAtOrBelow(pc);
    // Sized symbols must cover pc; a few distinct starts back find an enclosing one (nested locals).
    for (let tries = 0; found >= 0 && tries < 4; tries++) {
      const first = this.firstAt(found);
      const start = this.start[first]!;
      for (let i = first; i <= found; i++) {
        const size = this.size[i]!;
        if (size > 0 ? pc < start + size : tries === 0 && pc < this.unsizedEnd(found)) {
          return { name: this.nameOf(i), address: start, size, offset: pc - start };
        }
      }
      found = first - 1;
    }
    return undefined;
  }

  /** Every symbol name at exactly `address` (aliases such as `read`/`__read`), preferred first. */
  namesAt(address: number): readonly string[] {
    const last = this.lastAtOrBelow(address);
    if (last < 0 || this.start[last] !== address) return [];
    const out: string[] = [];
    for (let i = this.firstAt(last); i <= last; i++) {
      const n = this.nameOf(i);
      if (!out.includes(n)) out.push(n);
    }
    return out;
  }

  private nameOf(k: number): string {
    return this.resolvers[this.table[k]!]!(this.arg[k]!);
  }

  private lastAtOrBelow(pc: number): number {
    let lo = 0;
    let hi = this.start.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.start[mid]! <= pc) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  private firstAt(i: number): number {
    const a = this.start[i]!;
    while (i > 0 && this.start[i - 1] === a) i--;
    return i;
  }

  private unsizedEnd(i: number): number {
    const next = i + 1 < this.start.length ? this.start[i + 1]! : Infinity;
    return Math.min(next, this.start[i]! + MAX_UNSIZED_SPAN);
  }
}

/** Appends the code symbols of one raw Elf64_Sym table (ELF gABI: name u32, info u8, other u8, shndx u16, value u64, size u64). */
function addTable(cols: Columns, data: Buffer, strtab: Buffer): void {
  const table = cols.resolvers.length;
  cols.resolvers.push((off) => {
    const end = strtab.indexOf(0, off);
    return strtab.toString('latin1', off, end < 0 ? Math.min(strtab.length, off + MAX_NAME) : Math.min(end, off + MAX_NAME));
  });
  const dv = new DataView(data.buffer, data.byteOffset, data.length);
  const n = Math.floor(data.length / 24);
  for (let i = 1; i < n; i++) {
    const o = i * 24;
    const nameOff = dv.getUint32(o, true);
    if (nameOff === 0 || nameOff >= strtab.length) continue;
    const info = dv.getUint8(o + 4);
    const shndx = dv.getUint16(o + 6, true);
    const vhi = dv.getUint32(o + 12, true);
    const shi = dv.getUint32(o + 20, true);
    if (vhi >= 0x200000 || shi >= 0x200000) continue;
    const value = vhi * 0x1_0000_0000 + dv.getUint32(o + 8, true);
    const type = info & 0xf;
    const builtin = type !== STT_FUNC && type !== STT_GNU_IFUNC && strtab[nameOff] === 0x42 && strtab.compare(BUILTINS, 0, BUILTINS.length, nameOff, nameOff + BUILTINS.length) === 0;
    if (!isCode(type, shndx, value, builtin)) continue;
    let underscores = 0;
    while (underscores < 9 && strtab[nameOff + underscores] === 0x5f) underscores++;
    const size = shi * 0x1_0000_0000 + dv.getUint32(o + 16, true);
    cols.push(value, size, preference(size, info >> 4, underscores), table, nameOff);
  }
}

/**
 * Permutation that sorts by (value, preference, original index). Fast path: pack value and index
 * into one double and use the native numeric sort, then order each run of equal values.
 */
function sortOrder(cols: Columns): Uint32Array {
  const n = cols.n;
  const order = new Uint32Array(n);
  let max = 0;
  for (let i = 0; i < n; i++) if (cols.value[i]! > max) max = cols.value[i]!;
  const scale = 2 ** Math.max(1, Math.ceil(Math.log2(n + 1)));
  const byTie = (a: number, b: number): number => cols.pref[a]! - cols.pref[b]! || a - b;
  if (max * scale + scale > Number.MAX_SAFE_INTEGER) {
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => cols.value[a]! - cols.value[b]! || byTie(a, b));
    return order;
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = cols.value[i]! * scale + i;
  keys.sort();
  for (let k = 0; k < n; k++) order[k] = keys[k]! % scale;
  for (let k = 0; k < n; ) {
    let e = k + 1;
    while (e < n && cols.value[order[e]!] === cols.value[order[k]!]) e++;
    if (e - k > 1) order.subarray(k, e).sort(byTie);
    k = e;
  }
  return order;
}

function isCode(type: number, shndx: number, value: number, builtin: boolean): boolean {
  if (value === 0 || shndx === SHN_UNDEF || shndx >= SHN_LORESERVE) return false;
  return type === STT_FUNC || type === STT_GNU_IFUNC || builtin;
}

function leadingUnderscores(name: string): number {
  let u = 0;
  while (u < 9 && name.charCodeAt(u) === 0x5f) u++;
  return u;
}

/** Lower is preferred: sized over unsized, global over weak over local, fewer leading underscores. */
function preference(size: number, bind: number, underscores: number): number {
  const b = bind === STB_GLOBAL ? 0 : bind === STB_WEAK ? 1 : 2;
  return (size > 0 ? 0 : 100) + b * 10 + underscores;
}
