// The trace renderers on synthetic aggregations: DTrace's distribution layout, sorted tables, stack
// keys, and printf's conversions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aggregationText, aggregationsText, distributionText } from './aggregation-text.js';
import { formatPrintf } from './printf-format.js';

test('quantize draws DTrace\'s power-of-two distribution, one empty bucket on each side', () => {
  const text = distributionText({ count: 8, sum: 100, buckets: [{ from: 4, count: 2 }, { from: 16, count: 6 }] }, 'quantize');
  assert.equal(text, [
    '           value  ------------- Distribution ------------- count',
    '               2 |                                         0',
    '               4 |@@@@@@@@@@                               2',
    '               8 |                                         0',
    '              16 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@           6',
    '              32 |                                         0',
  ].join('\n'));
  assert.match(distributionText({ count: 2, sum: -3, buckets: [{ from: -2, count: 1 }, { from: 0, count: 1 }] }, 'quantize'), /^ +value .*\n +-4 \| +0\n +-2 \|@{20} +1\n +-1 \| +0\n +0 \|@{20} +1\n +1 \| +0$/);
});

test('lquantize labels its underflow and overflow buckets', () => {
  const text = distributionText({ count: 4, sum: 0, buckets: [{ from: null, count: 1 }, { from: 10, count: 2 }, { from: 100, count: 1 }] }, 'lquantize', { lo: 0, hi: 100, step: 10 });
  const labels = text.split('\n').slice(1).map((l) => l.split('|')[0]!.trim());
  assert.deepEqual(labels, ['< 0', '0', '10', '20', '30', '40', '50', '60', '70', '80', '90', '>= 100']);
});

test('count tables sort by value, smallest first, with a column per key', () => {
  const text = aggregationText({ name: '@req', kind: 'count', entries: [{ key: ['GET', '/a'], value: 80 }, { key: ['POST', '/login'], value: 20 }, { key: ['GET', '/b'], value: 20 }] });
  const rows = text.split('\n');
  assert.equal(rows[0], '@req');
  assert.deepEqual(rows.slice(1).map((r) => r.trim().split(/\s+/)), [['GET', '/b', '20'], ['POST', '/login', '20'], ['GET', '/a', '80']]);
  assert.equal(new Set(rows.slice(1).map((r) => r.length)).size, 1, 'values right-aligned in one column');
  assert.equal(aggregationText({ name: '@', kind: 'avg', entries: [{ key: [], value: 2.5 }] }).trim(), '2.500');
  assert.equal(aggregationsText([{ name: '@', kind: 'count', entries: [] }]), '', 'empty aggregations print nothing');
});

test('stack keys print frame by frame with the value under them', () => {
  const text = aggregationText({ name: '@', kind: 'count', entries: [{ key: ['f (a.js:1:1)\ng (b.js:2:2)'], value: 3 }] });
  assert.equal(text, '              f (a.js:1:1)\n              g (b.js:2:2)\n                   3');
});

test('printf conversions, flags, widths and precision', () => {
  assert.equal(formatPrintf('%d|%5d|%-5d|%05d|%+d|%u', [3.9, 42, 42, 42, 7, -3]), '3|   42|42   |00042|+7|3');
  assert.equal(formatPrintf('%x %X %#x %c %s %.2s %10s %%', [255, 255, 255, 65, 'str', 'abc', 'r']), 'ff FF 0xff A str ab          r %');
  assert.equal(formatPrintf('%.3f %e %g', [Math.PI, 1234.5, 0.0001]), '3.142 1.234500e+3 0.0001');
  assert.equal(formatPrintf('%d %s', []), '0 ');
});
