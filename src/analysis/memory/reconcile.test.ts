import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Mapping } from '../../target/address-space.js';
import { reconcile } from './reconcile.js';

const map = (start: number, end: number, extra: Partial<Mapping> = {}): Mapping => ({ start, end, readable: true, writable: true, executable: false, ...extra });

test('every mapped byte goes to exactly one category; claims win in order; duplicates count once', () => {
  const maps = [map(0x1000, 0x9000), map(0x1000, 0x3000), map(0x10000, 0x12000, { path: '/lib/x.so' }), map(0x20000, 0x21000, { readable: false })];
  const r = reconcile(
    maps,
    [
      { name: 'v8', ranges: [{ start: 0x1000, end: 0x2000 }] },
      { name: 'external', ranges: [{ start: 0x4000, end: 0x5000 }, { start: 0x4800, end: 0x6000 }] },
      { name: 'malloc', ranges: [{ start: 0x1800, end: 0x7000 }, { start: 0x50000, end: 0x60000 }] },
    ],
    (m) => (!m.readable ? 'reserved' : m.path ? 'files' : 'unexplained'),
    ['files', 'reserved', 'unexplained'],
  );
  const by = Object.fromEntries(r.categories.map((c) => [c.name, c.bytes]));
  assert.equal(r.total, 0x8000 + 0x2000 + 0x1000);
  assert.equal(by.v8, 0x1000);
  assert.equal(by.external, 0x2000);
  assert.equal(by.malloc, 0x7000 - 0x2000 - 0x2000);
  assert.equal(by.files, 0x2000);
  assert.equal(by.reserved, 0x1000);
  assert.equal(by.unexplained, 0x9000 - 0x7000);
  assert.equal(r.categories.reduce((a, c) => a + c.bytes, 0), r.total);
});
