import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineColumnOf, scriptLineEnds } from './script.js';
import { SyntheticHeap } from './testing/synthetic-heap.js';

test('lineColumnOf maps offsets to 1-based lines and columns', () => {
  const ends = [3, 7, 8];
  assert.deepEqual(lineColumnOf(ends, 0), { line: 1, column: 1 });
  assert.deepEqual(lineColumnOf(ends, 3), { line: 1, column: 4 });
  assert.deepEqual(lineColumnOf(ends, 4), { line: 2, column: 1 });
  assert.deepEqual(lineColumnOf(ends, 8), { line: 3, column: 1 });
  assert.equal(lineColumnOf(ends, 9), undefined);
});

test('line ends are computed from the source once when V8 has none, and cached', () => {
  const h = new SyntheticHeap();
  const src = h.seqString('a\nbc\r\nd\re');
  const script = h.object(h.type('SCRIPT_TYPE'), 64);
  h.setPointer(script, 8, src);
  h.setPointer(script, 56, h.oddball(4));
  const heap = h.heap();
  const s = heap.object(script)!;
  assert.deepEqual(scriptLineEnds(heap, s), [1, 5, 7, 9]);
  h.setPointer(script, 8, h.seqString('changed\n'));
  assert.deepEqual(scriptLineEnds(heap, s), [1, 5, 7, 9], 'second call uses the session cache');
});
