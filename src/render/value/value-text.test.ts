import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ValueNode } from '../../analysis/inspect/value-node.js';
import { quote, renderValue } from './value-text.js';
import { valueToJson } from './value-json.js';
import { renderWhatIs } from './what-is-text.js';

test('strings are quoted like util.inspect and cut with a length note', () => {
  assert.equal(quote('hello'), "'hello'");
  assert.equal(quote("it's"), '"it\'s"');
  assert.equal(quote('a\nb'), "'a\\nb'");
  assert.equal(renderValue({ type: 'string', value: 'abc', length: 10 }), "'abc'... 7 more characters");
});

test('objects, holes, cycles, depth and accessors render as util.inspect does', () => {
  const root: ValueNode = {
    address: 0x1000,
    type: 'Object',
    constructorName: 'Point',
    ref: 1,
    properties: [
      { name: 'x', value: { type: 'number', value: 3 } },
      { name: 'self', value: { type: 'Object', address: 0x1000, circular: 1 } },
      { name: 'arr', value: { type: 'Array', constructorName: 'Array', length: 4, elements: [{ type: 'number', value: 1 }, { type: 'hole', count: 2 }, { type: 'null', value: null }] } },
      { name: 'deep', value: { type: 'Object', constructorName: 'Object', truncated: true } },
      { name: 'g', value: { type: 'undefined' }, accessor: 'both' },
      { name: 'a-b', value: { type: 'number', value: '-0' } },
    ],
  };
  assert.equal(
    renderValue(root, { breakLength: Infinity }),
    "<ref *1> Point { x: 3, self: [Circular *1], arr: [ 1, <2 empty items>, null ], deep: [Object], g: [Getter/Setter], 'a-b': -0 }",
  );
  assert.match(renderValue(root, { addresses: true, breakLength: Infinity }), /^<0x1000> <ref \*1> Point/);
});

test('Buffers, Maps, functions and corrupt values', () => {
  assert.equal(renderValue({ type: 'Buffer', value: '68 65', length: 60, more: 58 }), '<Buffer 68 65 ... 58 more bytes>');
  assert.equal(
    renderValue({ type: 'Map', constructorName: 'Map', length: 1, entries: [{ key: { type: 'string', value: 'k', length: 1 }, value: { type: 'number', value: 1 } }] }),
    "Map(1) { 'k' => 1 }",
  );
  assert.equal(renderValue({ type: 'Function', name: 'f', location: { script: '/a.js', line: 3 } }), '[Function: f] /a.js:3');
  assert.equal(renderValue({ type: 'Function', name: '', functionKind: 'class' }), '[class (anonymous)]');
  assert.equal(renderValue({ type: 'Object', constructorName: null, properties: [], corrupt: 'bad map' }), '[Object: null prototype] {} <corrupt: bad map>');
});

test('the JSON shape spells constructor and addresses in hex', () => {
  const j = valueToJson({ address: 255, type: 'Object', constructorName: 'Point', properties: [{ name: 'x', value: { type: 'number', value: 1 } }] });
  assert.deepEqual(j, { address: '0xff', type: 'Object', constructor: 'Point', properties: [{ name: 'x', value: { type: 'number', value: 1 } }] });
});

test('whatIs lines name the containing object', () => {
  assert.equal(
    renderWhatIs({ kind: 'inside', address: 0x118, object: 0x100, type: 1, offset: 24, size: 32, typeName: 'JSArray' }),
    '0x118 is not the start of a heap object; it lies 24 bytes inside a JSArray at 0x100 (32 bytes)',
  );
  assert.equal(renderWhatIs({ kind: 'unmapped', address: 16 }), '0x10 is not in the core (no mapping holds it)');
});
