// Size in bytes of one heap object, for `print`'s whatIs: the same SizeRules the page walk uses
// (a fixed size from the Map, else the class's SizeFor formula), read from the object's header.
// Classes whose size only a resynchronising walk can tell give undefined.
import type { HeapObject, V8Heap } from '../heap/v8-heap.js';
import { SizeRules } from '../pages/size-rules.js';

/** Byte size of `o`, or undefined when its class is variable-size and has no formula here. */
export function objectSize(heap: V8Heap, o: HeapObject): number | undefined {
  const rules = sizeRulesOf(heap);
  const sizeAt = heap.layout.opt.Map_instance_size_in_words;
  const words = sizeAt === undefined ? 0 : (heap.uint(o.map + sizeAt, 1) ?? 0);
  const header = heap.space.tryRead(o.address, 64) ?? heap.space.tryRead(o.address, 32);
  if (header === undefined) return undefined;
  const padded = header.length >= 64 ? header : Buffer.concat([header, Buffer.alloc(64 - header.length)]);
  const size = rules.size(padded, 0, o.type, words * 8, (a) => heap.int(a, 4), o.address);
  return size > 0 ? size : undefined;
}

/** The heap's SizeRules, made once per V8Heap. */
function sizeRulesOf(heap: V8Heap): SizeRules {
  heap.sizeRules ??= new SizeRules(heap.layout);
  return heap.sizeRules as SizeRules;
}
