import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModuleSymbols } from './module-symbols.js';
import type { ElfSymbol } from '../elf/elf-file.js';

const sym = (name: string, value: number, size: number, type = 2, bind = 1, shndx = 13): ElfSymbol => ({ name, value, size, type, bind, shndx });

test('lookup finds the covering function and its offset; gaps and data are not functions', () => {
  const s = ModuleSymbols.fromSymbols([
    sym('b', 0x2000, 0x10),
    sym('a', 0x1000, 0x100),
    sym('data', 0x1800, 0x10, 1),
    sym('undef', 0x3000, 0x10, 2, 1, 0),
    sym('abs', 0x4000, 0x10, 2, 1, 0xfff1),
    sym('Builtins_Foo', 0x5000, 0, 0),
    sym('tail', 0x6000, 0),
  ]);
  assert.deepEqual(s.lookup(0x1000), { name: 'a', address: 0x1000, size: 0x100, offset: 0 });
  assert.equal(s.lookup(0x10ff)?.offset, 0xff);
  assert.equal(s.lookup(0x1100), undefined);
  assert.equal(s.lookup(0x1805), undefined);
  assert.equal(s.lookup(0xfff), undefined);
  assert.equal(s.lookup(0x3005), undefined);
  assert.equal(s.lookup(0x4005), undefined);
  assert.equal(s.lookup(0x5abc)?.name, 'Builtins_Foo');
  assert.equal(s.lookup(0x6004)?.name, 'tail');
  assert.equal(s.lookup(0x6000 + (1 << 20)), undefined);
  assert.equal(s.count, 4);
});

test('aliases: global beats weak beats local, and every alias is listed', () => {
  const s = ModuleSymbols.fromSymbols([
    sym('__libc_read', 0x100, 0x20, 2, 0),
    sym('read', 0x100, 0x20, 2, 2),
    sym('__read', 0x100, 0x20, 2, 1),
  ]);
  assert.equal(s.lookup(0x110)?.name, '__read');
  assert.deepEqual(s.namesAt(0x100), ['__read', 'read', '__libc_read']);
  assert.deepEqual(s.namesAt(0x101), []);
});

test('a small local symbol nested in a large one is found, then the enclosing one past it', () => {
  const s = ModuleSymbols.fromSymbols([sym('outer', 0x1000, 0x1000), sym('inner', 0x1100, 0x10, 2, 0)]);
  assert.equal(s.lookup(0x1105)?.name, 'inner');
  assert.equal(s.lookup(0x1200)?.name, 'outer');
  assert.equal(s.lookup(0x1200)?.offset, 0x200);
});
