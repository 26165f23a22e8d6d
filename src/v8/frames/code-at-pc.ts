// Finds the Code kind of the machine code holding a pc in V8's code space: instructions start at
// a kCodeAlignment boundary right after their InstructionStream header (size from
// v8dbg_class_InstructionStream__instruction_start), so candidate headers are tried at aligned
// steps below pc; a candidate counts only when one of its header slots is a Code object whose
// instruction range starts there and holds pc (V8 src/objects/instruction-stream.h, code.h).
import type { HeapObject, V8Heap } from '../heap/v8-heap.js';

/** x64 kCodeAlignment is 32 or 64 depending on the V8 version; 32 visits both. */
const STEP = 32;
/** Farthest distance from the start of the instructions to pc that is searched. */
const MAX_CODE_SIZE = 2 * 1024 * 1024;
/** Most cached pcs per session. */
const MAX_CACHED = 65536;

/** Role: the Code object holding a pc, with its kind and instruction range. */
export interface CodeAtPc {
  readonly code: HeapObject;
  readonly kind: number;
  readonly instructionStart: number;
  readonly instructionSize: number;
}

/** The CodeKind of the Code containing `pc`, or undefined (cached per session in the V8Heap). */
export function codeKindAtPc(heap: V8Heap, pc: number): number | undefined {
  return codeAtPc(heap, pc)?.kind;
}

/** The Code containing `pc`, or undefined (cached per session in the V8Heap). */
export function codeAtPc(heap: V8Heap, pc: number): CodeAtPc | undefined {
  const cached = heap.codeKindsByPc.get(pc);
  if (cached !== undefined) return (cached as CodeAtPc | null) ?? undefined;
  const found = findCode(heap, pc);
  if (heap.codeKindsByPc.size >= MAX_CACHED) heap.codeKindsByPc.clear();
  heap.codeKindsByPc.set(pc, found ?? null);
  return found;
}

function findCode(heap: V8Heap, pc: number): CodeAtPc | undefined {
  const o = heap.layout.opt;
  const header = o.InstructionStream_instruction_start;
  if (header === undefined || heap.types.INSTRUCTION_STREAM === undefined || heap.types.CODE === undefined) return undefined;
  if (o.Code_instruction_start === undefined || o.Code_instruction_size === undefined || o.Code_flags === undefined || o.CodeKindFieldMask === undefined) {
    return undefined;
  }
  for (let start = pc - (pc % STEP); start > pc - MAX_CODE_SIZE; start -= STEP) {
    const stream = start - header;
    const m = heap.word(stream);
    if (m?.kind !== 'heap') continue;
    if (heap.mapType(m.address) !== heap.types.INSTRUCTION_STREAM) continue;
    const code = codeOfStream(heap, stream, header, start);
    if (code === undefined) continue;
    const size = heap.uint(code.address + o.Code_instruction_size, 4);
    if (size === undefined || pc >= start + size) return undefined;
    const flags = heap.uint(code.address + o.Code_flags, 4);
    if (flags === undefined) return undefined;
    return { code, kind: (flags >>> (o.CodeKindFieldShift ?? 0)) & o.CodeKindFieldMask, instructionStart: start, instructionSize: size };
  }
  return undefined;
}

function codeOfStream(heap: V8Heap, stream: number, header: number, start: number): HeapObject | undefined {
  for (let off = 8; off < header; off += 8) {
    const c = heap.objectField(stream, off);
    if (c === undefined || c.type !== heap.types.CODE) continue;
    if (heap.pointer(c.address + heap.layout.opt.Code_instruction_start!) === start) return c;
  }
  return undefined;
}
