// Unit tests of the live V8 heap resolver on a synthetic heap: a JSFunction slot is named, a
// function a GC moved is found through its forwarding map word, and a cached address is
// re-validated once per batch so that another function later placed there is named correctly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SyntheticHeap } from '../../v8/heap/testing/synthetic-heap.js';
import { V8HeapJsFrameResolver } from './v8-heap-resolver.js';

function functionNamed(h: SyntheticHeap, name: string): number {
  const sfi = h.object(h.type('SHARED_FUNCTION_INFO_TYPE'), 56);
  h.setPointer(sfi, 16, h.seqString(name));
  h.setPointer(sfi, 32, h.oddball(4));
  h.data.writeUInt16LE(0xffff, sfi - h.base + 44);
  const fn = h.object(h.type('JS_FUNCTION_TYPE'), 64);
  h.setPointer(fn, 32, sfi);
  return fn;
}
const slot = (fn: number): bigint => BigInt(fn) + 1n;
const q = (fn: number): { pid: number; ip: number; state: 'jit'; functionSlot: bigint } => ({ pid: 1, ip: 0x1000, state: 'jit', functionSlot: slot(fn) });

test('V8HeapJsFrameResolver names a JSFunction slot and declines what is not one', () => {
  const h = new SyntheticHeap();
  const fn = functionNamed(h, 'bucketize');
  const r = V8HeapJsFrameResolver.over(h.heap());
  assert.equal(r.resolve(q(fn))?.name, 'bucketize');
  assert.equal(r.resolve({ pid: 1, ip: 0, state: 'jit', functionSlot: 7n << 32n }), undefined, 'a Smi');
  assert.equal(r.resolve({ pid: 1, ip: 0, state: 'jit' }), undefined, 'no slot copied');
  assert.equal(r.resolve(q(h.seqString('not a function'))), undefined);
});

test('V8HeapJsFrameResolver follows a forwarding map word to a moved JSFunction', () => {
  const h = new SyntheticHeap();
  const from = functionNamed(h, 'moved');
  const to = h.alloc(64);
  h.data.copy(h.data, to - h.base, from - h.base, from - h.base + 64);
  h.setRaw(from, 0, to); // MapWord::FromForwardingAddress: the new address, untagged
  const r = V8HeapJsFrameResolver.over(h.heap());
  assert.equal(r.resolve(q(from))?.name, 'moved');
  assert.deepEqual(r.counts(), { resolved: 1, forwarded: 1 });
  h.setRaw(from, 0, 0x7); // not an aligned address: no hop
  r.beginBatch();
  assert.equal(r.resolve(q(from)), undefined);
});

test('V8HeapJsFrameResolver re-checks a cached address once per batch', () => {
  const h = new SyntheticHeap();
  const fn = functionNamed(h, 'first');
  const other = functionNamed(h, 'second');
  const r = V8HeapJsFrameResolver.over(h.heap());
  assert.equal(r.resolve(q(fn))?.name, 'first');
  // A GC places another function at the same address: copy `other` over `fn`.
  h.data.copy(h.data, fn - h.base, other - h.base, other - h.base + 64);
  assert.equal(r.resolve(q(fn))?.name, 'first', 'same batch: the cached name');
  r.beginBatch();
  assert.equal(r.resolve(q(fn))?.name, 'second', 'next batch: re-validated');
  let closed = false;
  V8HeapJsFrameResolver.over(h.heap(), () => { closed = true; }).close();
  assert.ok(closed);
});

test('V8HeapJsFrameResolver does not trust a description cached for an SFI address another SFI now holds', () => {
  const h = new SyntheticHeap();
  const fn = functionNamed(h, 'before');
  const heap = h.heap();
  const r = V8HeapJsFrameResolver.over(heap);
  assert.equal(r.resolve(q(fn))?.name, 'before');
  // The SFI's name changes under the same address (another SFI moved there); a new JSFunction
  // elsewhere points at it.
  const sfi = Number(h.data.readBigUInt64LE(fn - h.base + 32) - 1n);
  h.setPointer(sfi, 16, h.seqString('after'));
  const fn2 = h.alloc(64);
  h.data.copy(h.data, fn2 - h.base, fn - h.base, fn - h.base + 64);
  assert.equal(r.resolve(q(fn2))?.name, 'after');
});
