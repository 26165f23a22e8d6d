import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cursor } from './cursor.js';
import { FormatError } from '../util/errors.js';
import { sleb, uleb } from './testing/eh-frame-builder.js';

const cur = (bytes: number[]): Cursor => new Cursor(Buffer.from(bytes), 0, bytes.length, 'test');

test('LEB128 round-trips the DWARF spec examples and large values', () => {
  assert.equal(cur([0x02]).uleb(), 2);
  assert.equal(cur([0x7f]).uleb(), 127);
  assert.equal(cur([0x80, 0x01]).uleb(), 128);
  assert.equal(cur([0xb9, 0x64]).uleb(), 12857);
  assert.equal(cur([0x7e]).sleb(), -2);
  assert.equal(cur([0xff, 0x00]).sleb(), 127);
  assert.equal(cur([0x81, 0x7f]).sleb(), -127);
  assert.equal(cur([0x80, 0x7f]).sleb(), -128);
  for (const v of [0, 1, 63, 64, -64, -65, 2 ** 40 + 3, -(2 ** 40) - 3, Number.MAX_SAFE_INTEGER]) {
    assert.equal(cur(sleb(v)).sleb(), v);
    if (v >= 0) assert.equal(cur(uleb(v)).uleb(), v);
  }
});

test('overruns and oversized values are FormatErrors', () => {
  assert.throws(() => cur([0x80, 0x80]).uleb(), FormatError);
  assert.throws(() => cur(Array(11).fill(0x80)).uleb(), FormatError);
  assert.throws(() => cur([1, 2, 3]).u32(), FormatError);
  assert.throws(() => cur([0, 0, 0, 0, 0, 0, 0, 0x80]).u64(), FormatError);
  assert.throws(() => cur([0x41, 0x42]).cstring(), FormatError);
  const c = cur([0x41, 0x42, 0, 9]);
  assert.equal(c.cstring(), 'AB');
  assert.equal(c.u8(), 9);
});
