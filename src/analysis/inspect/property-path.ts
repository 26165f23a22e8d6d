// Resolves a property path (`height`, `conf.height`, `data.0`) from a heap object to the value it
// names, through own named properties and array elements, for `print <addr> <property>`.
import type { Tagged } from '../../v8/heap/tagged.js';
import type { V8Heap } from '../../v8/heap/v8-heap.js';
import { readElements } from '../../v8/objects/elements.js';
import { ownNamedProperties } from '../../v8/heap/named-properties.js';
import { UsageError } from '../../util/errors.js';

/** Most path segments followed. */
const MAX_SEGMENTS = 64;

/** The tagged value `path` names below the object at `address`; throws UsageError when absent. */
export function resolvePropertyPath(heap: V8Heap, address: number, path: string): Tagged {
  const segments = path.split('.').filter((s) => s !== '');
  if (segments.length === 0 || segments.length > MAX_SEGMENTS) throw new UsageError(`bad property path '${path}'`);
  let current: Tagged = { kind: 'heap', address: address % 8 === 1 ? address - 1 : address };
  let where = `0x${address.toString(16)}`;
  for (const seg of segments) {
    const o = heap.objectOf(current);
    if (o === undefined || !heap.isJSReceiver(o.type)) throw new UsageError(`${where} is not an object, so it has no property '${seg}'`);
    const next = lookup(heap, o.address, seg);
    if (next === undefined) throw new UsageError(`${where} has no own property '${seg}'`);
    current = next;
    where = `${where}.${seg}`;
  }
  return current;
}

function lookup(heap: V8Heap, address: number, name: string): Tagged | undefined {
  const o = heap.object(address)!;
  const walk = ownNamedProperties(heap, o, 4096);
  const hit = walk.entries.find((e) => (e.key.kind === 'string' && e.key.text === name) || (e.key.kind === 'symbol' && `Symbol(${e.key.description ?? ''})` === name));
  if (hit !== undefined) return hit.value;
  if (/^(0|[1-9][0-9]*)$/.test(name)) {
    const index = Number(name);
    const els = readElements(heap, o, index + 1);
    const item = els.items.find((i) => i.kind !== 'hole' && i.index === index);
    if (item?.kind === 'tagged') return item.value;
    if (item?.kind === 'double') {
      // A double element has no heap object of its own; it is returned as a Smi when exact.
      if (Number.isInteger(item.value) && Math.abs(item.value) < 2 ** 31) return { kind: 'smi', value: item.value };
      throw new UsageError(`element ${index} is the raw double ${item.value} (no heap object to print)`);
    }
  }
  return undefined;
}
