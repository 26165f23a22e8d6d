// Size formulas against sizes measured on real cores (the distance from an object to the next
// one): FeedbackMetadata (six slot kinds to a word; V8 13 adds a uint16 per closure), FreeSpace
// (bytes before V8 13, tagged words since), InstructionStream, NativeContext and tagged arrays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeLayoutBinary } from '../layout/testing/fake-binary.js';
import { loadV8Layout } from '../layout/v8-layout.js';
import { FAKE_METADATA } from '../heap/testing/synthetic-heap.js';
import { SizeRules } from './size-rules.js';

function rules(major: number, minor: number): SizeRules {
  const layout = loadV8Layout(
    fakeLayoutBinary({
      ...FAKE_METADATA,
      _ZN2v88internal7Version6major_E: major,
      _ZN2v88internal7Version6minor_E: minor,
      v8dbg_type_FeedbackVector__FEEDBACK_VECTOR_TYPE: 258,
      v8dbg_type_ByteArray__BYTE_ARRAY_TYPE: 186,
      v8dbg_type_InstructionStream__INSTRUCTION_STREAM_TYPE: 210,
      v8dbg_class_InstructionStream__instruction_start__uintptr_t: 32,
      v8dbg_FirstContextType: 190,
      v8dbg_LastContextType: 199,
    }),
    undefined,
    0,
  );
  return new SizeRules(layout);
}

/** A header buffer with int32s at byte offsets. */
function header(words: Record<number, number>): Buffer {
  const b = Buffer.alloc(64);
  for (const [off, v] of Object.entries(words)) b.writeInt32LE(v, Number(off));
  return b;
}

const none = (): number | undefined => undefined;

test('FeedbackMetadata: 5-bit kinds six to a word, then (V8 ≥ 13) a uint16 per closure', () => {
  const v11 = rules(11, 3);
  const v13 = rules(13, 6);
  const FM = 257;
  // Measured on Node 20 (V8 11.3): 86 slots, 2 closures → 80 bytes; 61 slots → 64.
  assert.equal(v11.size(header({ 8: 86, 12: 2 }), 0, FM, 0, none, 0), 80);
  assert.equal(v11.size(header({ 8: 61, 12: 0 }), 0, FM, 0, none, 0), 64);
  // Measured on Node 24 (V8 13.6): 192 slots, 3 closures → 152; 37 slots → 48.
  assert.equal(v13.size(header({ 8: 192, 12: 3 }), 0, FM, 0, none, 0), 152);
  assert.equal(v13.size(header({ 8: 37, 12: 0 }), 0, FM, 0, none, 0), 48);
});

test('FreeSpace: its size field is bytes before V8 13 and tagged words since', () => {
  const FS = 260;
  assert.equal(rules(12, 4).size(header({ 12: 4096 }), 0, FS, 0, none, 0), 4096);
  assert.equal(rules(13, 6).size(header({ 12: 512 }), 0, FS, 0, none, 0), 4096);
});

test('InstructionStream (V8 ≥ 12): the header plus body_size, rounded up to 64', () => {
  // Measured on Node 22: body 2576 → 2624, body 596 → 640.
  const r = rules(12, 4);
  assert.equal(r.size(header({ 24: 2576 }), 0, 210, 0, none, 0), 2624);
  assert.equal(r.size(header({ 24: 596 }), 0, 210, 0, none, 0), 640);
});

test('contexts and tagged arrays: 16 + 8·length; a NativeContext adds its raw tail', () => {
  const r = rules(12, 4);
  // Measured on Node 22: the native context of length 287 spans 2320 bytes.
  assert.equal(r.size(header({ 12: 287 }), 0, 197, 0, none, 0), 2320);
  assert.equal(r.size(header({ 12: 3 }), 0, 192, 0, none, 0), 40);
  assert.equal(r.size(header({ 12: 3 }), 0, 174, 0, none, 0), 40, 'FIXED_ARRAY_TYPE');
  assert.equal(r.size(header({ 12: 5 }), 0, 186, 0, none, 0), 24, 'a ByteArray rounds to 8');
  assert.equal(r.size(header({ 12: -4 }), 0, 174, 0, none, 0), -1, 'a negative length is corrupt');
  assert.equal(r.size(header({}), 0, 174, 48, none, 0), 48, "a fixed-size map's size wins");
});
