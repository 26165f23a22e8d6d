// Decoding of the slot at fp + v8dbg_off_fp_context_or_frame_type: typed frames store
// StackFrame::TypeToMarker(type) = type << kSmiTagSize (V8 src/execution/frames.h), which reads
// as an even, small integer; JavaScript frames store their Context (a tagged pointer) there.
import type { FrameTypes } from '../layout/instance-types.js';

/** Role: what the marker slot says. */
export type FrameMarker =
  | { readonly kind: 'typed'; readonly type: number; readonly name: string | undefined }
  | { readonly kind: 'context'; readonly address: number }
  | { readonly kind: 'garbage' };

/** Largest frame-type value believed (V8 has about 40). */
const MAX_FRAME_TYPE = 128;

/** Decodes the marker word given as little-endian 32-bit halves. */
export function decodeFrameMarker(lo: number, hi: number, types: FrameTypes): FrameMarker {
  if ((lo & 1) === 0) {
    // type << 1 as a raw word; a Smi-tagged marker (value in the upper half) is accepted too.
    const type = hi === 0 ? lo >>> 1 : lo === 0 ? hi : -1;
    if (type > 0 && type < MAX_FRAME_TYPE) return { kind: 'typed', type, name: types.name(type) };
    return { kind: 'garbage' };
  }
  if ((lo & 3) === 1 && hi < 0x8000) return { kind: 'context', address: hi * 0x1_0000_0000 + ((lo & ~3) >>> 0) };
  return { kind: 'garbage' };
}

/** Role: the category a typed frame is shown as (`<entry>`, `<exit>` …). */
export type InternalFrameKind = 'entry' | 'exit' | 'stub' | 'builtin' | 'construct' | 'internal' | 'js';

/** Maps a V8 frame-type name to its display category. */
export function frameKindOf(name: string | undefined): InternalFrameKind {
  if (name === undefined) return 'internal';
  if (name === 'EntryFrame' || name === 'ConstructEntryFrame' || name === 'CWasmEntryFrame') return 'entry';
  if (name.endsWith('ExitFrame')) return 'exit';
  if (name === 'StubFrame' || name.startsWith('TurbofanStub')) return 'stub';
  if (name.startsWith('Builtin') || name.startsWith('JavaScriptBuiltinContinuation')) return 'builtin';
  if (name === 'ConstructFrame' || name === 'FastConstructFrame') return 'construct';
  if (['InterpretedFrame', 'BaselineFrame', 'MaglevFrame', 'TurbofanFrame', 'TurbofanJSFrame', 'OptimizedFrame'].includes(name)) return 'js';
  return 'internal';
}
