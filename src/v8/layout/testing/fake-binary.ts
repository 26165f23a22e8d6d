// A fake node binary for layout tests: `values` as int32s in a .data section at 0x1000, one
// symbol per value, and an empty .bss. Not a real ELF file.
import { SHT_NOBITS, type LayoutBinary } from '../layout-binary.js';

/** Builds a LayoutBinary whose metadata symbols hold `values`. */
export function fakeLayoutBinary(values: Readonly<Record<string, number>>): LayoutBinary {
  const names = Object.keys(values);
  const data = Buffer.alloc(names.length * 4);
  names.forEach((n, i) => data.writeInt32LE(values[n]!, i * 4));
  return {
    symbols: () => names.map((name, i) => ({ name, value: 0x1000 + i * 4, size: 4, shndx: 1 })),
    sections: () => [
      { name: '', type: 0, addr: 0, size: 0 },
      { name: '.data', type: 1, addr: 0x1000, size: data.length },
      { name: '.bss', type: SHT_NOBITS, addr: 0x8000, size: 0x100 },
    ],
    readVaddr: (vaddr, length) => data.subarray(vaddr - 0x1000, vaddr - 0x1000 + length),
  };
}
