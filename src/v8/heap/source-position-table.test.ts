import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeSourcePosition,
  decodeSourcePositionTable,
  decodeSourcePositionTableGuess,
  encodeSourcePositionTable,
  scriptOffsetAt,
} from './source-position-table.js';

const ENTRIES = [
  { codeOffset: -1, scriptOffset: 230, isStatement: false },
  { codeOffset: 0, scriptOffset: 233, isStatement: true },
  { codeOffset: 1, scriptOffset: 258, isStatement: false },
  { codeOffset: 7, scriptOffset: 271, isStatement: true },
  { codeOffset: 30, scriptOffset: 200, isStatement: true },
  { codeOffset: 300, scriptOffset: 70000, isStatement: false },
];

for (const format of ['zigzag', 'packed'] as const) {
  test(`round trip of a ${format} table, with backwards positions and multi-byte VLQs`, () => {
    const decoded = decodeSourcePositionTable(encodeSourcePositionTable(ENTRIES, format), format);
    assert.deepEqual(
      decoded.map((e) => ({ codeOffset: e.codeOffset, scriptOffset: e.scriptOffset, isStatement: e.isStatement })),
      ENTRIES,
    );
    assert.ok(decoded.every((e) => e.inliningId === -1));
  });
}

test('bytes of a real Node 22 table decode to known offsets', () => {
  // exports.bucketize of test/v8/fixtures/chain.cjs, read from a Node 22 core.
  const bytes = Buffer.from('01a8070264041409200b1c11000aac010b30091f0a34042c0bcb0108bc02091f063c', 'hex');
  const e = decodeSourcePositionTable(bytes);
  assert.deepEqual(e.slice(0, 3).map((x) => [x.codeOffset, x.scriptOffset]), [[-1, 233], [0, 258], [2, 263]]);
  assert.equal(e[e.length - 1]!.codeOffset, 56);
  assert.equal(decodeSourcePositionTableGuess(bytes, 57)?.format, 'zigzag');
});

test('bytes of a real Node 26 table are recognised as the packed format', () => {
  const bytes = Buffer.from('02a80707640b141220161c220017ac011630121f1b340b2c16cb0113bc02121f0f3c', 'hex');
  const g = decodeSourcePositionTableGuess(bytes, 58);
  assert.equal(g?.format, 'packed');
  assert.deepEqual(g?.entries.slice(0, 3).map((x) => [x.codeOffset, x.scriptOffset]), [[-1, 233], [0, 258], [2, 263]]);
});

test('scriptOffsetAt takes the last entry at or before the offset', () => {
  assert.equal(scriptOffsetAt(ENTRIES, -1), 230);
  assert.equal(scriptOffsetAt(ENTRIES, 0), 233);
  assert.equal(scriptOffsetAt(ENTRIES, 6), 258);
  assert.equal(scriptOffsetAt(ENTRIES, 7), 271);
  assert.equal(scriptOffsetAt(ENTRIES, 1000), 70000);
  assert.equal(scriptOffsetAt([], 3), -1);
});

test('raw SourcePosition values: external and inlined positions', () => {
  assert.deepEqual(decodeSourcePosition((10 + 1) * 2), { scriptOffset: 10, inliningId: -1 });
  assert.deepEqual(decodeSourcePosition((10 + 1) * 2 + 3 * 0x8000_0000), { scriptOffset: 10, inliningId: 2 });
  assert.equal(decodeSourcePosition(5).scriptOffset, -1);
});

test('truncated tables throw LimitExceeded', () => {
  assert.throws(() => decodeSourcePositionTable(Buffer.from([0x80])), { code: 'LIMIT_EXCEEDED' });
  assert.throws(() => decodeSourcePositionTable(Buffer.from([0x02, 0xff, 0xff])), { code: 'LIMIT_EXCEEDED' });
});
