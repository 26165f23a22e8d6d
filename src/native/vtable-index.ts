// Names the C++ class of an object from its vptr: under the Itanium C++ ABI an object's first word
// is its vtable symbol (`_ZTV…`, "vtable for X") + 16 (offset-to-top and typeinfo come first).
// Built from one module's vtable symbols; only primary vptrs are known (a pointer to a secondary
// base inside an object with multiple inheritance names nothing).
import type { ElfSymbol } from '../elf/elf-file.js';
import type { Demangler } from './demangle.js';

/** The Itanium vtable symbol prefix. */
export const VTABLE_PREFIX = '_ZTV';
const VTABLE_FOR = 'vtable for ';

/** Role: vptr → class name for the vtables of one module. */
export class VtableIndex {
  private readonly byVptr = new Map<number, string>();

  /** `symbols` are the module's `_ZTV…` symbols (file vaddrs); `bias` its load bias in the target. */
  constructor(symbols: readonly ElfSymbol[], bias: number, private readonly demangler: Demangler) {
    for (const s of symbols) if (s.name.startsWith(VTABLE_PREFIX) && s.value !== 0) this.byVptr.set(s.value + bias + 16, s.name);
  }

  /** The demangled class name whose vtable `vptr` is, or undefined. */
  classOfVptr(vptr: number): string | undefined {
    const mangled = this.byVptr.get(vptr);
    if (mangled === undefined) return undefined;
    const d = this.demangler.demangle(mangled);
    // The demangler spells it `{vtable(X)}`; c++filt, `vtable for X`.
    const braced = /^\{vtable\((.*)\)\}$/.exec(d);
    return braced !== null ? braced[1]! : d.startsWith(VTABLE_FOR) ? d.slice(VTABLE_FOR.length) : d;
  }

  get size(): number {
    return this.byVptr.size;
  }
}
