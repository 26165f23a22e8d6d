import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateDumpBytes, scratchDirFor } from './scratch-space.js';

test('the dump estimate follows the readable mappings of a process', () => {
  const before = estimateDumpBytes(process.pid)!;
  const big = new Uint8Array(64 * 1024 * 1024).fill(1);
  const after = estimateDumpBytes(process.pid)!;
  assert.ok(after - before >= 60 * 1024 * 1024, `grew by ${after - before}`);
  assert.equal(big[12345], 1);
  assert.equal(estimateDumpBytes(999_999_999), undefined);
  assert.equal(scratchDirFor(999_999_999), undefined);
});
