// Turns a user-given address into an object of the census (tagged or not), or a clear error that
// says what lies there instead; and describes objects in one line for refs, path and instances.
import { describeFunction } from '../../v8/heap/function-info.js';
import { readString } from '../../v8/heap/strings.js';
import type { HeapObject } from '../../v8/heap/v8-heap.js';
import { UsageError } from '../../util/errors.js';
import { hex } from '../../util/hex.js';
import type { HeapCensus } from './heap-census.js';

/** The census index of the object at `address` (an odd, tagged address is untagged first). */
export function objectIndexAt(census: HeapCensus, address: number, command: string): number {
  const a = address % 8 === 1 ? address - 1 : address;
  const i = census.table.indexOf(a);
  if (i >= 0) return i;
  const inside = census.table.containing(a);
  if (inside >= 0) {
    const start = census.table.address(inside);
    throw new UsageError(`${command}: ${hex(address)} is ${a - start} bytes inside ${describeObject(census, inside)} at ${hex(start)}; give an object's start address`);
  }
  throw new UsageError(`${command}: ${hex(address)} is not the address of a heap object (nodescope print explains any address)`);
}

/** The heap handle of census object `i`. */
export function heapObjectOf(census: HeapCensus, i: number): HeapObject {
  const t = census.table;
  return { address: t.address(i), map: t.walker.maps.address(t.mapId(i)), type: t.type(i) };
}

/** One line for object `i`: its group's constructor, a function's name and place, a string's start. */
export function describeObject(census: HeapCensus, i: number): string {
  const heap = census.heap;
  const g = census.groups[census.groupOf[i]!]!;
  const o = heapObjectOf(census, i);
  if (g.kind === 'closure' && heap.isJSFunction(o.type)) {
    const f = describeFunction(heap, o);
    const name = f?.name || f?.inferredName || '(anonymous)';
    const where = f?.scriptName !== undefined ? ` (${f.scriptName}${f.line !== undefined ? `:${f.line}` : ''})` : '';
    return `function ${name}${where}`;
  }
  if (g.kind === 'string') {
    const s = readString(heap, o, { maxLength: 40 });
    return s === undefined ? g.constructor : `${g.constructor} ${JSON.stringify(s.text)}${s.truncated ? '…' : ''}`;
  }
  return g.constructor;
}
