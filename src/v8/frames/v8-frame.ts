// Classifies one stack frame given its frame pointer and pc: typed V8 frames by their marker,
// JavaScript frames by the JSFunction in their function slot, with receiver, arguments, tier and
// the current line where the frame allows. Garbage in any slot gives kind 'unknown' with a
// reason; nothing here throws for bad target memory. Layout: V8 src/execution/frame-constants.h.
import { isNodescopeError } from '../../util/errors.js';
import { describeFunction, functionDataSlots, jsFunctionAt, sharedOf, type FunctionInfo } from '../heap/function-info.js';
import { previewValue, type PreviewOptions, type ValuePreview } from '../heap/preview.js';
import { decodeSourcePositionTable, decodeSourcePositionTableGuess, scriptOffsetAt } from '../heap/source-position-table.js';
import { isScript, scriptLineColumn } from '../heap/script.js';
import type { HeapObject, V8Heap } from '../heap/v8-heap.js';
import type { Tagged } from '../heap/tagged.js';
import type { BytecodeSizes } from '../layout/bytecode-sizes.js';
import { baselineBytecodeOffset } from './baseline-offset.js';
import { codeAtPc, codeKindAtPc } from './code-at-pc.js';
import type { BuiltinRanges } from './builtin-ranges.js';
import { decodeFrameMarker, frameKindOf } from './frame-marker.js';

/** Role: per-session state of the frame model (heap with its caches, builtin ranges, options). */
export interface V8FrameContext {
  readonly heap: V8Heap;
  /** Embedded builtins of the node executable, to tell interpreted from compiled frames. */
  readonly builtins?: BuiltinRanges;
  readonly preview?: PreviewOptions;
  /** Most arguments previewed per frame (default 32). */
  readonly maxArgs?: number;
  /** V8's bytecode sizes (loadBytecodeSizes of the executable), for the current line of baseline frames. */
  readonly bytecodeSizes?: BytecodeSizes;
  /** Cache of decoded source position tables, by BytecodeArray address (owned by the session). */
  readonly positionTables?: Map<number, ReturnType<typeof decodeSourcePositionTable> | null>;
}

/** Role: the execution tier of a JavaScript frame ('builtin': a JS builtin such as Array.prototype.forEach running embedded code). */
export type JSTier = 'interpreted' | 'baseline' | 'maglev' | 'turbofan' | 'optimized' | 'builtin';

/** Role: one classified frame (plain data). */
export interface V8Frame {
  readonly kind: 'js' | 'entry' | 'exit' | 'stub' | 'builtin' | 'construct' | 'internal' | 'unknown';
  readonly fp: number;
  readonly pc: number;
  /** V8 frame-type name for typed frames (`EntryFrame`), or the tier's frame name for JS frames. */
  readonly typeName?: string;
  /** Why the frame is 'unknown'. */
  readonly reason?: string;
  /** For non-JS frames: the embedded builtin containing pc, when any (`CEntry_Return1…`). */
  readonly builtin?: string;
  /**
   * For JS frames: the embedded builtin pc is in, when any: the interpreter
   * (`InterpreterEntryTrampoline`, a bytecode handler) or a frameless stub called from baseline
   * or optimized code (`LoadIC`). The frame is still the JS function's.
   */
  readonly executingBuiltin?: string;
  readonly tier?: JSTier;
  /** Address of the JSFunction. */
  readonly functionAddress?: number;
  readonly function?: FunctionInfo;
  /**
   * 1-based line (and column) executing now: interpreted frames, baseline frames (from pc, when
   * bytecodeSizes is given), frames entered by on-stack replacement from the interpreter (the
   * line of the loop entered), and Maglev/TurboFan frames from their Code's position table
   * (omitted when pc is in code inlined from another function).
   */
  readonly currentLine?: number;
  readonly currentColumn?: number;
  readonly bytecodeOffset?: number;
  readonly receiver?: ValuePreview;
  /** The receiver's tagged word, for naming the call as V8's stack traces do. */
  readonly receiverWord?: Tagged;
  readonly args?: readonly ValuePreview[];
  /** Number of arguments the caller passed (from the argc slot), when readable. */
  readonly argc?: number;
}

const MAX_ARGC = 65535;

/** Classifies the frame at `fp` whose code is executing at `pc`; never throws for bad memory. */
export function classifyV8Frame(ctx: V8FrameContext, fp: number, pc: number): V8Frame {
  try {
    return classify(ctx, fp, pc);
  } catch (e) {
    if (isNodescopeError(e)) return { kind: 'unknown', fp, pc, reason: e.message };
    throw e;
  }
}

/**
 * Role: the first step of frame classification, all a sampling profiler needs: a typed or
 * unknown frame in full, or for a JavaScript frame its JSFunction. A function slot that points at
 * an object a GC has since moved (a forwarding map word, live targets) is followed one hop.
 */
export type V8FrameHead = V8Frame | { readonly kind: 'js-function'; readonly fp: number; readonly pc: number; readonly builtin?: string; readonly fn: HeapObject };

/** Role: reads the frame marker and function slot of the frame at `fp` (offsets from the layout); never throws for bad memory. */
export function v8FrameHead(ctx: Pick<V8FrameContext, 'heap' | 'builtins'>, fp: number, pc: number): V8FrameHead {
  try {
    return head(ctx, fp, pc);
  } catch (e) {
    if (isNodescopeError(e)) return { kind: 'unknown', fp, pc, reason: e.message };
    throw e;
  }
}

function classify(ctx: V8FrameContext, fp: number, pc: number): V8Frame {
  const h = head(ctx, fp, pc);
  if (h.kind !== 'js-function') return h;
  return jsFrame(ctx, fp, pc, h.fn, h);
}

function head(ctx: Pick<V8FrameContext, 'heap' | 'builtins'>, fp: number, pc: number): V8FrameHead {
  const heap = ctx.heap;
  const L = heap.layout;
  const builtin = ctx.builtins?.find(pc);
  const base = { fp, pc, ...(builtin !== undefined ? { builtin } : {}) };
  if (fp === 0 || fp % 8 !== 0) return { kind: 'unknown', ...base, reason: 'frame pointer is not aligned' };
  const markerWord = heap.space.tryRead(fp + L.req.off_fp_context_or_frame_type, 8);
  if (markerWord === undefined) return { kind: 'unknown', ...base, reason: 'frame marker slot is unreadable' };
  const marker = decodeFrameMarker(markerWord.readUInt32LE(0), markerWord.readUInt32LE(4), L.frameTypes);
  if (marker.kind === 'garbage') return { kind: 'unknown', ...base, reason: 'frame marker is neither a frame type nor a context' };
  if (marker.kind === 'typed') {
    const kind = frameKindOf(marker.name);
    if (kind !== 'js') return { kind, ...base, typeName: marker.name ?? `frame type ${marker.type}` };
  }
  const fnWord = heap.word(fp + L.req.off_fp_function);
  const fn = fnWord?.kind === 'heap' ? (jsFunctionAt(heap, fnWord.address) ?? movedJsFunction(heap, fnWord.address)) : undefined;
  if (fn === undefined) {
    return { kind: 'unknown', ...base, reason: 'function slot does not hold a JSFunction' };
  }
  return { kind: 'js-function', ...base, fn };
}

/**
 * The JSFunction a GC moved away from `address`, through the forwarding address its old map
 * word holds (V8 src/objects/map-word.h, MapWord::FromForwardingAddress: without pointer
 * compression, the new address untagged), or undefined.
 */
function movedJsFunction(heap: V8Heap, address: number): HeapObject | undefined {
  const w = heap.space.tryRead(address, 8);
  if (w === undefined) return undefined;
  const lo = w.readUInt32LE(0);
  const hi = w.readUInt32LE(4);
  if ((lo & 7) !== 0 || hi === 0 || hi >= 0x8000) return undefined;
  const to = hi * 0x1_0000_0000 + lo;
  return to === address ? undefined : jsFunctionAt(heap, to);
}

function jsFrame(ctx: V8FrameContext, fp: number, pc: number, fn: HeapObject, base: { fp: number; pc: number; builtin?: string }): V8Frame {
  const heap = ctx.heap;
  const L = heap.layout;
  const info = describeFunction(heap, fn);
  const sfi = sharedOf(heap, fn);
  const bytecode = frameBytecodeArray(heap, fp);
  let tier: JSTier;
  let offsetSlot: ReturnType<V8Heap['word']>;
  if (bytecode !== undefined) {
    // Baseline (Sparkplug) frames keep the interpreter's layout but hold the feedback vector in
    // the bytecode-offset slot, where interpreted frames hold a Smi (V8 src/execution/
    // frame-constants.h: BaselineFrameConstants::kFeedbackVectorFromFp == kBytecodeOffsetFromFp).
    const at = L.opt.off_fp_bytecode_offset;
    offsetSlot = at === undefined ? undefined : heap.word(fp + at);
    tier = offsetSlot?.kind === 'heap' ? 'baseline' : 'interpreted';
    // On-stack replacement keeps that frame but runs optimized code: with a pc outside every
    // embedded builtin, the kind of the Code holding pc tells the tier.
    if (ctx.builtins !== undefined && ctx.builtins.size > 0 && base.builtin === undefined) {
      const osr = optimizedTier(heap, fn, pc, false);
      if (osr !== 'optimized') tier = osr;
      else if (tier === 'interpreted') tier = 'optimized';
    }
  } else if (base.builtin !== undefined && info?.script === undefined) {
    tier = 'builtin';
  } else {
    tier = optimizedTier(heap, fn, pc);
  }
  const typeName =
    tier === 'interpreted'
      ? 'InterpretedFrame'
      : tier === 'baseline'
        ? 'BaselineFrame'
        : tier === 'maglev'
          ? 'MaglevFrame'
          : tier === 'builtin'
            ? 'BuiltinFrame'
            : 'TurbofanJSFrame';
  const out: { -readonly [K in keyof V8Frame]: V8Frame[K] } = { kind: 'js', fp: base.fp, pc: base.pc, typeName, tier, functionAddress: fn.address };
  if (base.builtin !== undefined) out.executingBuiltin = base.builtin;
  if (info !== undefined) out.function = info;

  // Arguments (V8 ≥ 9, reversed JS arguments): the receiver is at fp + kCallerSPOffset and
  // argument i at the next slots; argc (with receiver) is the raw word at kArgCOffset.
  const argsAt = fp + L.req.off_fp_args;
  const receiverWord = heap.word(argsAt);
  out.receiver = previewValue(heap, receiverWord, ctx.preview);
  if (receiverWord !== undefined) out.receiverWord = receiverWord;
  let argc: number | undefined;
  if (L.opt.off_fp_argc !== undefined) {
    const w = heap.space.tryRead(fp + L.opt.off_fp_argc, 8);
    if (w !== undefined && w.readUInt32LE(4) === 0) {
      const n = w.readUInt32LE(0);
      if (n >= 1 && n <= MAX_ARGC) argc = n - 1;
    }
  }
  if (argc !== undefined) out.argc = argc;
  const formal = info?.formalParameterCount ?? 0;
  const n = Math.min(Math.max(formal, argc ?? 0), ctx.maxArgs ?? 32);
  const args: ValuePreview[] = [];
  for (let i = 0; i < n; i++) args.push(previewValue(heap, heap.word(argsAt + 8 * (i + 1)), ctx.preview));
  out.args = args;

  if ((tier === 'maglev' || tier === 'turbofan') && !(bytecode !== undefined && offsetSlot?.kind === 'smi')) {
    const cur = optimizedPosition(ctx, pc);
    if (cur !== undefined && info?.script !== undefined) {
      const script = heap.object(info.script);
      const lc = script === undefined ? undefined : scriptLineColumn(heap, script, cur);
      if (lc !== undefined) {
        out.currentLine = lc.line;
        out.currentColumn = lc.column;
      }
    }
  } else if (bytecode !== undefined && sfi !== undefined) {
    const cur =
      tier === 'baseline' ? baselinePosition(ctx, pc, sfi, bytecode) : offsetSlot?.kind === 'smi' ? currentPosition(ctx, fp, bytecode) : undefined;
    if (cur !== undefined) {
      out.bytecodeOffset = cur.bytecodeOffset;
      const script = heap.objectField(sfi.address, L.req.SharedFunctionInfo_script);
      if (cur.scriptOffset >= 0 && isScript(heap, script)) {
        const lc = scriptLineColumn(heap, script, cur.scriptOffset);
        if (lc !== undefined) {
          out.currentLine = lc.line;
          out.currentColumn = lc.column;
        }
      }
    }
  }
  return out;
}

/**
 * The bytecode offset and script offset of a baseline frame, from pc and the baseline Code among
 * the SharedFunctionInfo's function data (undefined when pc is not in that code, e.g. in a
 * frameless builtin called from it).
 */
function baselinePosition(ctx: V8FrameContext, pc: number, sfi: HeapObject, bytecode: HeapObject): { bytecodeOffset: number; scriptOffset: number } | undefined {
  const heap = ctx.heap;
  if (ctx.bytecodeSizes === undefined || heap.types.CODE === undefined) return undefined;
  for (const code of functionDataSlots(heap, sfi)) {
    if (code.type !== heap.types.CODE) continue;
    const bytecodeOffset = baselineBytecodeOffset(heap, ctx.bytecodeSizes, code, bytecode, pc);
    if (bytecodeOffset === undefined) continue;
    const table = positionTable(ctx, bytecode);
    return { bytecodeOffset, scriptOffset: table === undefined ? -1 : scriptOffsetAt(table, bytecodeOffset) };
  }
  return undefined;
}

/**
 * The script offset of an optimized frame from its Code's source position table at pc
 * (V8 src/objects/code.h position table; AbstractCode::SourcePosition looks up pc − 1, the call
 * site of a return address). Positions of inlined functions (inlining id ≥ 0) are not this
 * function's and give undefined.
 */
function optimizedPosition(ctx: V8FrameContext, pc: number): number | undefined {
  const heap = ctx.heap;
  const found = codeAtPc(heap, pc);
  const at = heap.layout.opt.Code_position_table;
  if (found === undefined || at === undefined) return undefined;
  const t = heap.objectField(found.code.address, at);
  if (t === undefined || (t.type !== heap.types.BYTE_ARRAY && t.type !== heap.types.TRUSTED_BYTE_ARRAY)) return undefined;
  const n = heap.fixedArrayLength(t.address);
  const bytes = n !== undefined && n < 1 << 24 ? heap.space.tryRead(t.address + heap.layout.req.FixedArray_data, n) : undefined;
  if (bytes === undefined) return undefined;
  let entries: ReturnType<typeof decodeSourcePositionTable> | undefined;
  try {
    entries =
      heap.positionTableFormat !== undefined
        ? decodeSourcePositionTable(bytes, heap.positionTableFormat)
        : decodeSourcePositionTableGuess(bytes, found.instructionSize)?.entries;
  } catch (e) {
    if (!isNodescopeError(e)) throw e;
  }
  if (entries === undefined) return undefined;
  const pcOffset = pc - found.instructionStart - 1;
  let last: (typeof entries)[number] | undefined;
  for (const e of entries) {
    if (e.codeOffset > pcOffset) break;
    last = e;
  }
  return last !== undefined && last.inliningId === -1 && last.scriptOffset >= 0 ? last.scriptOffset : undefined;
}

/** The BytecodeArray in the frame's bytecode-array slot (interpreted and baseline frames), or undefined. */
function frameBytecodeArray(heap: V8Heap, fp: number): HeapObject | undefined {
  const at = heap.layout.opt.off_fp_bytecode_array;
  if (at === undefined) return undefined;
  const o = heap.objectOf(heap.word(fp + at));
  return o !== undefined && o.type === heap.types.BYTECODE_ARRAY ? o : undefined;
}

/**
 * The tier of an optimized frame from the kind of the Code holding pc (V8 ≥ 12), else of the
 * function's current Code where the metadata has JSFunction::code (V8 src/objects/code-kind.h:
 * MAGLEV and TURBOFAN_JS follow BASELINE).
 */
function optimizedTier(heap: V8Heap, fn: HeapObject, pc: number, useFunctionCode = true): JSTier {
  const o = heap.layout.opt;
  if (o.Code_flags === undefined || o.CodeKindFieldMask === undefined || o.CodeKindBaseline === undefined) return 'optimized';
  let kind = codeKindAtPc(heap, pc);
  if (kind === o.CodeKindBaseline) return 'baseline';
  if (kind === undefined && useFunctionCode && o.JSFunction_code !== undefined) {
    const code = heap.objectField(fn.address, o.JSFunction_code);
    const flags = code === undefined ? undefined : heap.uint(code.address + o.Code_flags, 4);
    if (flags !== undefined) kind = (flags >>> (o.CodeKindFieldShift ?? 0)) & o.CodeKindFieldMask;
  }
  if (kind === o.CodeKindBaseline + 1) return 'maglev';
  if (kind === o.CodeKindBaseline + 2) return 'turbofan';
  return 'optimized';
}

/**
 * The bytecode offset of an interpreted frame and its script offset. The frame slot holds a Smi
 * of offset + BytecodeArray::kHeaderSize − kHeapObjectTag (V8 src/execution/frames.cc,
 * InterpretedFrame::GetBytecodeOffset).
 */
function currentPosition(ctx: V8FrameContext, fp: number, bytecode: HeapObject): { bytecodeOffset: number; scriptOffset: number } | undefined {
  const heap = ctx.heap;
  const o = heap.layout.opt;
  if (o.off_fp_bytecode_offset === undefined || o.BytecodeArray_data === undefined) return undefined;
  const raw = heap.smiField(fp, o.off_fp_bytecode_offset);
  if (raw === undefined) return undefined;
  const bytecodeOffset = raw - (o.BytecodeArray_data - heap.layout.req.HeapObjectTag);
  const length = o.BytecodeArray_length !== undefined ? heap.smiField(bytecode.address, o.BytecodeArray_length) : undefined;
  if (bytecodeOffset < 0 || (length !== undefined && bytecodeOffset >= length)) return undefined;
  const table = positionTable(ctx, bytecode);
  if (table === undefined) return { bytecodeOffset, scriptOffset: -1 };
  return { bytecodeOffset, scriptOffset: scriptOffsetAt(table, bytecodeOffset) };
}

/** Role: the script offset of `bytecodeOffset` in `bytecode` from its source position table, or -1. */
export function bytecodeScriptOffset(ctx: V8FrameContext, bytecode: HeapObject, bytecodeOffset: number): number {
  const table = positionTable(ctx, bytecode);
  return table === undefined ? -1 : scriptOffsetAt(table, bytecodeOffset);
}

/** Role: the script offset at return address `pc` of optimized code (see optimizedPosition), or undefined. */
export function optimizedScriptOffset(ctx: V8FrameContext, pc: number): number | undefined {
  return optimizedPosition(ctx, pc);
}

function positionTable(ctx: V8FrameContext, bytecode: HeapObject): ReturnType<typeof decodeSourcePositionTable> | undefined {
  const cached = ctx.positionTables?.get(bytecode.address);
  if (cached !== undefined) return cached ?? undefined;
  const heap = ctx.heap;
  const at = heap.layout.opt.BytecodeArray_source_position_table;
  let table: ReturnType<typeof decodeSourcePositionTable> | undefined;
  if (at !== undefined) {
    const t = heap.objectField(bytecode.address, at);
    if (t !== undefined && (t.type === heap.types.BYTE_ARRAY || t.type === heap.types.TRUSTED_BYTE_ARRAY)) {
      const n = heap.fixedArrayLength(t.address);
      const bytes = n !== undefined && n < 1 << 24 ? heap.space.tryRead(t.address + heap.layout.req.FixedArray_data, n) : undefined;
      if (bytes !== undefined) {
        table = decodeTable(heap, bytes, bytecode);
      }
    }
  }
  ctx.positionTables?.set(bytecode.address, table ?? null);
  return table;
}

/**
 * Decodes with the session's known table format, or finds the format from this table (the
 * code-offset encoding changed in V8 14 without a metadata flag) and remembers it when the
 * evidence is unambiguous (only one decoding fits the bytecode).
 */
function decodeTable(heap: V8Heap, bytes: Buffer, bytecode: HeapObject): ReturnType<typeof decodeSourcePositionTable> | undefined {
  const o = heap.layout.opt;
  if (heap.positionTableFormat !== undefined) {
    try {
      return decodeSourcePositionTable(bytes, heap.positionTableFormat);
    } catch (e) {
      if (isNodescopeError(e)) return undefined;
      throw e;
    }
  }
  const length = o.BytecodeArray_length !== undefined ? heap.smiField(bytecode.address, o.BytecodeArray_length) : undefined;
  if (length === undefined) return undefined;
  const guess = decodeSourcePositionTableGuess(bytes, length);
  if (guess === undefined) return undefined;
  const other = guess.format === 'zigzag' ? 'packed' : 'zigzag';
  try {
    const alt = decodeSourcePositionTable(bytes, other);
    const last = alt.length === 0 ? 0 : alt[alt.length - 1]!.codeOffset;
    if (last >= length) heap.positionTableFormat = guess.format;
  } catch (e) {
    if (!isNodescopeError(e)) throw e;
    heap.positionTableFormat = guess.format;
  }
  return guess.entries;
}
