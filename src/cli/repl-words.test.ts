import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rewriteDialect, splitWords } from './repl-words.js';

test('splits words with quotes and escapes', () => {
  assert.deepEqual(splitWords(`print 0x10 "a b" 'c d' e\\ f ""`), ['print', '0x10', 'a b', 'c d', 'e f', '']);
  assert.deepEqual(splitWords('   '), []);
});

test('rewrites mdb_v8 and llnode habits', () => {
  assert.deepEqual(rewriteDialect(['::jsstack', '-v']), ['jsstack', '-v']);
  assert.deepEqual(rewriteDialect(['0x1f00c9::jsprint', 'height']), ['jsprint', '0x1f00c9', 'height']);
  assert.deepEqual(rewriteDialect(['v8', 'inspect', '0x10']), ['print', '0x10']);
  assert.deepEqual(rewriteDialect(['v8', 'bt']), ['v8', 'bt']);
});
