import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SyntheticHeap } from '../heap/testing/synthetic-heap.js';
import { BuiltinRanges, remappedBuiltinAliases } from './builtin-ranges.js';
import { decodeFrameMarker, frameKindOf } from './frame-marker.js';
import { classifyV8Frame } from './v8-frame.js';

/** A synthetic JS frame of `function bucketize(a, b)` called with (this=7, 281, "heat-map"). */
function jsFrameHeap(): { h: SyntheticHeap; fp: number } {
  const h = new SyntheticHeap();
  const sfi = h.object(h.type('SHARED_FUNCTION_INFO_TYPE'), 56);
  h.setPointer(sfi, 16, h.seqString('bucketize'));
  h.setPointer(sfi, 32, h.oddball(4));
  h.data.writeUInt16LE(3, sfi - h.base + 42);
  h.data.writeUInt16LE(0xffff, sfi - h.base + 44);
  const fn = h.object(h.type('JS_FUNCTION_TYPE'), 64);
  h.setPointer(fn, 32, sfi);
  const stack = h.alloc(256);
  const fp = stack + 128;
  h.setPointer(fp, -8, h.oddball(4)); // a heap object stands in for the context
  h.setPointer(fp, -16, fn);
  h.setRaw(fp, -24, 3); // argc with the receiver
  h.setSmi(fp, 16, 7);
  h.setSmi(fp, 24, 281);
  h.setPointer(fp, 32, h.seqString('heat-map'));
  return { h, fp };
}

test('a JS frame yields its function, receiver and arguments', () => {
  const { h, fp } = jsFrameHeap();
  const f = classifyV8Frame({ heap: h.heap() }, fp, 0x1234);
  assert.equal(f.kind, 'js');
  assert.equal(f.function?.name, 'bucketize');
  assert.equal(f.function?.formalParameterCount, 2);
  assert.equal(f.argc, 2);
  assert.equal(f.receiver?.preview, '7');
  assert.deepEqual(f.args?.map((a) => a.preview), ['281', '"heat-map"']);
  assert.equal(f.tier, 'optimized', 'no bytecode array slot: compiled code');
});

test('typed frames are classified by their marker', () => {
  const { h, fp } = jsFrameHeap();
  h.setRaw(fp, -8, 1 << 1);
  assert.deepEqual(classifyV8Frame({ heap: h.heap() }, fp, 1), { kind: 'entry', fp, pc: 1, typeName: 'EntryFrame' });
  h.setRaw(fp, -8, 17 << 1);
  assert.equal(classifyV8Frame({ heap: h.heap() }, fp, 1).kind, 'stub');
});

test('garbage in a slot gives an unknown frame with a reason, never an exception', () => {
  const { h, fp } = jsFrameHeap();
  h.setRaw(fp, -16, 0xdeadbeef1);
  const f = classifyV8Frame({ heap: h.heap() }, fp, 1);
  assert.equal(f.kind, 'unknown');
  assert.match(f.reason ?? '', /JSFunction/);
  h.setRaw(fp, -8, 0x7);
  assert.match(classifyV8Frame({ heap: h.heap() }, fp, 1).reason ?? '', /marker/);
  assert.equal(classifyV8Frame({ heap: h.heap() }, 0x10, 1).kind, 'unknown', 'unmapped fp');
  assert.equal(classifyV8Frame({ heap: h.heap() }, fp + 3, 1).kind, 'unknown', 'misaligned fp');
});

test('frame markers: type << 1, Smi-tagged markers, contexts and garbage', () => {
  const { h } = jsFrameHeap();
  const types = h.layout.frameTypes;
  assert.deepEqual(decodeFrameMarker(13 << 1, 0, types), { kind: 'typed', type: 13, name: 'InterpretedFrame' });
  assert.deepEqual(decodeFrameMarker(0, 3, types), { kind: 'typed', type: 3, name: 'ExitFrame' });
  assert.deepEqual(decodeFrameMarker(0x1001, 0x7f, types), { kind: 'context', address: 0x7f00001000 });
  assert.equal(decodeFrameMarker(0, 0, types).kind, 'garbage');
  assert.equal(decodeFrameMarker(0x1003, 0, types).kind, 'garbage');
  assert.equal(frameKindOf('BuiltinExitFrame'), 'exit');
  assert.equal(frameKindOf('ConstructEntryFrame'), 'entry');
  assert.equal(frameKindOf('FastConstructFrame'), 'construct');
  assert.equal(frameKindOf(undefined), 'internal');
});

test('builtin ranges find builtins also through a remapped copy of the code', () => {
  const syms = [
    { name: 'Builtins_InterpreterEntryTrampoline', value: 0x2000, size: 0x100 },
    { name: 'Builtins_LoadIC', value: 0x2100, size: 0x80 },
    { name: 'not_a_builtin', value: 0x3000, size: 0x10 },
  ];
  const segments = [{ type: 1, offset: 0x1000, vaddr: 0x401000, filesz: 0x10000 }];
  const mappings = [
    { start: 0x401000, end: 0x411000, path: '/node', fileOffset: 0x1000 },
    { start: 0x7f0000002000, end: 0x7f0000003000, path: '/node', fileOffset: 0x1000 + 0x1000 },
  ];
  const aliases = remappedBuiltinAliases(mappings, '/node', segments, 0);
  assert.equal(aliases.length, 1);
  const b = new BuiltinRanges(
    syms.map((s) => ({ ...s, value: s.value + 0x400000 })),
    0,
    aliases,
  );
  assert.equal(b.find(0x402050), 'InterpreterEntryTrampoline');
  assert.equal(b.find(0x7f0000002050), 'InterpreterEntryTrampoline');
  assert.equal(b.find(0x7f0000002110), 'LoadIC');
  assert.equal(b.find(0x403000), undefined);
  assert.equal(b.size, 2);
});
