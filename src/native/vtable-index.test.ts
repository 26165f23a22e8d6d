import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ElfSymbol } from '../elf/elf-file.js';
import { Demangler } from './demangle.js';
import { VtableIndex } from './vtable-index.js';

test('a primary vptr (vtable symbol + 16, plus the load bias) names its class; other words do not', () => {
  const symbol = (name: string, value: number): ElfSymbol => ({ name, value, size: 0x200, type: 1, bind: 1, shndx: 1 });
  const index = new VtableIndex([symbol('_ZTVN4node7TCPWrapE', 0x1000), symbol('_ZN4node5StartEv', 0x3000)], 0x40000, new Demangler());
  assert.equal(index.classOfVptr(0x41010), 'node::TCPWrap');
  assert.equal(index.classOfVptr(0x41000), undefined);
  assert.equal(index.classOfVptr(0x43010), undefined);
  assert.equal(index.size, 1);
});
