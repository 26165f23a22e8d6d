import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AddressSpace, Mapping } from '../../target/address-space.js';
import { WordScanner } from './word-scan.js';

/** Two pages mapped with a one-page hole between them. */
function space(): AddressSpace {
  const base = 0x7f00_0000_0000;
  const a = Buffer.alloc(4096);
  const b = Buffer.alloc(4096);
  const put = (buf: Buffer, off: number, v: number): void => {
    buf.writeUInt32LE(v % 0x1_0000_0000, off);
    buf.writeUInt32LE(Math.floor(v / 0x1_0000_0000), off + 4);
  };
  put(a, 0, 0x5555_0000_1000);
  put(a, 8, 0x5555_0000_2000);
  put(a, 16, 0x5555_ffff_0000); // out of range
  put(b, 4088, 0x5555_0000_1fff);
  const at = (x: number, n: number): Buffer | undefined =>
    x >= base && x + n <= base + 4096 ? a.subarray(x - base, x - base + n) : x >= base + 8192 && x + n <= base + 12288 ? b.subarray(x - base - 8192, x - base - 8192 + n) : undefined;
  return {
    read: (x, n) => at(x, n)!,
    tryRead: at,
    isMapped: (x, n = 1) => at(x, n) !== undefined,
    readInto: (x, t, o, n) => {
      const r = at(x, n);
      if (r) t.set(r, o);
      return r !== undefined;
    },
    mappings: (): Mapping[] => [],
  };
}

test('visits in-range words with their addresses, across an unreadable hole', () => {
  const base = 0x7f00_0000_0000;
  const s = new WordScanner(space(), 0x5555_0000_0000, 0x5555_0001_0000);
  const seen: [number, number][] = [];
  s.scan(base, base + 12288, (v, at) => seen.push([v, at]));
  assert.deepEqual(seen, [
    [0x5555_0000_1000, base],
    [0x5555_0000_2000, base + 8],
    [0x5555_0000_1fff, base + 8192 + 4088],
  ]);
  assert.equal(s.unreadable, 4096);
  assert.equal(s.scanned, 8192);
});

test('an unaligned start is rounded up to a word', () => {
  const base = 0x7f00_0000_0000;
  const seen: number[] = [];
  new WordScanner(space(), 0x5555_0000_0000, 0x5555_0001_0000).scan(base + 1, base + 16, (v) => seen.push(v));
  assert.deepEqual(seen, [0x5555_0000_2000]);
});
