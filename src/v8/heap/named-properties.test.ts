import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ownNamedProperties, keyText } from './named-properties.js';
import { SyntheticHeap } from './testing/synthetic-heap.js';

/** Node 22.23.3's values of the constants a dictionary walk needs. */
const DICTIONARY_METADATA = {
  v8dbg_class_Map__bit_field3__int: 16,
  v8dbg_bit_field3_is_dictionary_map_shift: 21,
  v8dbg_bit_field3_number_of_own_descriptors_mask: 1047552,
  v8dbg_bit_field3_number_of_own_descriptors_shift: 10,
  v8dbg_class_JSReceiver__raw_properties_or_hash__Tagged_Object_: 8,
  v8dbg_prop_attributes_mask: 28,
  v8dbg_prop_attributes_shift: 2,
  v8dbg_prop_attributes_DONT_ENUM: 2,
  v8dbg_prop_kind_mask: 1,
  v8dbg_prop_kind_Accessor: 1,
  v8dbg_namedictionaryshape_prefix_size: 3,
  v8dbg_namedictionaryshape_entry_size: 3,
};

/**
 * A dictionary-mode JSObject whose NameDictionary holds `props` in the given slots (hash order)
 * with the given enumeration indices (PropertyDetails bits 8…).
 */
function dictionaryObject(h: SyntheticHeap, capacity: number, props: { slot: number; key: string; value: number; enumIndex: number; dontEnum?: boolean }[]): { obj: number; dict: number } {
  const undef = h.oddball(4);
  const start = 3 + 3;
  const dict = h.alloc(16 + (start + capacity * 3) * 8);
  h.setPointer(dict, 0, h.mapOf(0x7fff));
  h.setSmi(dict, 8, start + capacity * 3);
  h.setSmi(dict, 16, props.length);
  h.setSmi(dict, 16 + 2 * 8, capacity);
  for (let i = 0; i < capacity; i++) h.setPointer(dict, 16 + (start + i * 3) * 8, undef);
  for (const p of props) {
    const at = 16 + (start + p.slot * 3) * 8;
    h.setPointer(dict, at, h.seqString(p.key));
    h.setSmi(dict, at + 8, p.value);
    h.setSmi(dict, at + 16, (p.enumIndex << 8) | (p.dontEnum ? 2 << 2 : 0));
  }
  const map = h.alloc(80);
  h.setPointer(map, 0, h.metaMap);
  h.data.writeUInt16LE(h.type('JS_OBJECT_TYPE'), map - h.base + 12);
  h.data.writeUInt32LE(1 << 21, map - h.base + 16);
  const obj = h.alloc(24);
  h.setPointer(obj, 0, map);
  h.setPointer(obj, 8, dict);
  return { obj, dict };
}

test('dictionary-mode properties come in insertion (enumeration index) order, not hash order', () => {
  const h = new SyntheticHeap(DICTIONARY_METADATA);
  const { obj } = dictionaryObject(h, 8, [
    { slot: 0, key: 'third', value: 3, enumIndex: 3 },
    { slot: 2, key: 'first', value: 1, enumIndex: 1 },
    { slot: 5, key: 'hidden', value: 9, enumIndex: 4, dontEnum: true },
    { slot: 7, key: 'second', value: 2, enumIndex: 2 },
  ]);
  const heap = h.heap();
  const walk = ownNamedProperties(heap, heap.object(obj)!, 10);
  assert.equal(walk.mode, 'dictionary');
  assert.equal(walk.corrupt, undefined);
  assert.deepEqual(
    walk.entries.map((e) => [keyText(heap, e.key), e.value?.kind === 'smi' ? e.value.value : undefined, e.enumerable]),
    [['first', 1, true], ['second', 2, true], ['third', 3, true], ['hidden', 9, false]],
  );
  assert.equal(walk.total, 4);
  assert.deepEqual(ownNamedProperties(heap, heap.object(obj)!, 2).entries.map((e) => keyText(heap, e.key)), ['first', 'second']);
});

test('a dictionary whose capacity overruns its length is reported corrupt, not walked', () => {
  const h = new SyntheticHeap(DICTIONARY_METADATA);
  const { obj, dict } = dictionaryObject(h, 4, [{ slot: 1, key: 'a', value: 1, enumIndex: 1 }]);
  h.setSmi(dict, 16 + 2 * 8, 1 << 20);
  const heap = h.heap();
  const walk = ownNamedProperties(heap, heap.object(obj)!, 10);
  assert.equal(walk.entries.length, 0);
  assert.match(walk.corrupt ?? '', /capacity/);
});
