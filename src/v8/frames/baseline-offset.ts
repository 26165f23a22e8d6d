// Bytecode offset of a baseline (Sparkplug) frame from its pc: the baseline Code's bytecode offset
// table holds, as unsigned VLQs, the pc offset where the prologue ends and then the size of the
// machine code of each bytecode in order (V8 src/baseline/bytecode-offset-iterator.cc); walking
// the BytecodeArray in step gives the bytecode whose code holds pc.
import type { BytecodeSizes } from '../layout/bytecode-sizes.js';
import type { HeapObject, V8Heap } from '../heap/v8-heap.js';

/** Most bytecodes walked (large functions have tens of thousands). */
const MAX_STEPS = 1 << 20;

/**
 * The bytecode offset executing at `pc` in baseline code `code` for `bytecode`, or undefined when
 * pc is outside the code or any table is unreadable.
 */
export function baselineBytecodeOffset(heap: V8Heap, sizes: BytecodeSizes, code: HeapObject, bytecode: HeapObject, pc: number): number | undefined {
  const o = heap.layout.opt;
  if (o.Code_instruction_start === undefined || o.Code_instruction_size === undefined || o.Code_position_table === undefined) return undefined;
  if (o.BytecodeArray_data === undefined || o.BytecodeArray_length === undefined) return undefined;
  const start = heap.pointer(code.address + o.Code_instruction_start);
  const size = heap.uint(code.address + o.Code_instruction_size, 4);
  if (start === undefined || size === undefined || pc <= start || pc > start + size) return undefined;
  const table = heap.objectField(code.address, o.Code_position_table);
  const tableLength = table === undefined ? undefined : heap.fixedArrayLength(table.address);
  const length = heap.smiField(bytecode.address, o.BytecodeArray_length);
  if (table === undefined || tableLength === undefined || length === undefined || length <= 0 || length > 1 << 26) return undefined;
  const offsets = heap.space.tryRead(table.address + heap.layout.req.FixedArray_data, tableLength);
  const bytecodes = heap.space.tryRead(bytecode.address + o.BytecodeArray_data, length);
  if (offsets === undefined || bytecodes === undefined) return undefined;
  let pos = 0;
  const readVlq = (): number | undefined => {
    let v = 0;
    let scale = 1;
    for (let i = 0; i < 5; i++) {
      const b = offsets[pos++];
      if (b === undefined) return undefined;
      v += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) return v;
    }
    return undefined;
  };
  // A return address equal to the end of a bytecode's code belongs to it (V8's AdvanceToPCOffset
  // steps while the end is below the pc offset).
  const pcOffset = pc - start;
  let end = readVlq();
  if (end === undefined) return undefined;
  if (pcOffset <= end) return undefined; // still in the prologue
  let offset = 0;
  for (let steps = 0; steps < MAX_STEPS && offset < length; steps++) {
    const delta = readVlq();
    const unit = sizes.unitSize(bytecodes, offset);
    if (delta === undefined || unit === undefined) return undefined;
    end += delta;
    if (pcOffset <= end) return offset;
    offset += unit;
  }
  return undefined;
}
