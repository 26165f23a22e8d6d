// What a JS object's map says about its named properties, as V8's heap snapshot uses it
// (V8HeapExplorer::ExtractPropertyReferences): each in-object or PropertyArray field's name and
// whether it holds a double (V8 shows a double field's box as a hidden edge, not as the property),
// and the values kept in the descriptors themselves (constants, AccessorPairs). Read once per map.
import { decodeKey, type NamedKey } from '../../v8/heap/named-properties.js';
import { decodeTagged, type Tagged } from '../../v8/heap/tagged.js';
import type { V8Heap } from '../../v8/heap/v8-heap.js';

/** Role: one named field of a map's objects. */
export interface FieldName {
  readonly name: string;
  /** The field has double representation (its value is a HeapNumber box V8 does not name). */
  readonly double: boolean;
}

/** Role: the named fields of one map (in-object by byte offset, out-of-object by PropertyArray index). */
export interface MapFields {
  readonly inObject: ReadonlyMap<number, FieldName>;
  readonly outOfObject: ReadonlyMap<number, FieldName>;
  /** Values held in the descriptors (kDescriptor location): name, value, whether an accessor pair. */
  readonly constants: readonly { readonly name: string; readonly value: Tagged; readonly accessor: boolean }[];
}

const NONE: MapFields = { inObject: new Map(), outOfObject: new Map(), constants: [] };
/** V8 kMaxNumberOfDescriptors. */
const MAX_DESCRIPTORS = 1020;

/** The property name V8's snapshot shows for a key: the string, or `<symbol description>`. */
export function snapshotKeyName(key: NamedKey): string {
  if (key.kind === 'string') return key.text;
  if (key.kind === 'symbol') return key.description !== undefined ? `<symbol ${key.description}>` : '<symbol>';
  return '(corrupt key)';
}

/** Role: reads and caches the MapFields of maps, and the names of keys. */
export class MapFieldReader {
  private readonly byMap = new Map<number, MapFields>();
  private readonly keys = new Map<number, string>();

  constructor(private readonly heap: V8Heap) {}

  /** The snapshot name of the key word `t` (cached per key object). */
  keyName(t: Tagged | undefined): string {
    if (t?.kind !== 'heap') return t?.kind === 'smi' ? String(t.value) : '(corrupt key)';
    let name = this.keys.get(t.address);
    if (name === undefined) {
      name = snapshotKeyName(decodeKey(this.heap, t));
      this.keys.set(t.address, name);
    }
    return name;
  }

  /** The named fields of the fast-mode map at `map` (none for dictionary maps or unreadable ones). */
  fields(map: number): MapFields {
    let f = this.byMap.get(map);
    if (f === undefined) {
      f = this.read(map) ?? NONE;
      this.byMap.set(map, f);
    }
    return f;
  }

  private read(map: number): MapFields | undefined {
    const heap = this.heap;
    const o = heap.layout.opt;
    if (o.Map_bit_field3 === undefined || o.bit_field3_number_of_own_descriptors_mask === undefined || o.bit_field3_number_of_own_descriptors_shift === undefined) return undefined;
    if (o.Map_instance_descriptors === undefined || o.DescriptorArray_header_size === undefined || o.prop_index_mask === undefined || o.prop_index_shift === undefined) return undefined;
    const bf3 = heap.uint(map + o.Map_bit_field3, 4);
    if (bf3 === undefined) return undefined;
    if (o.bit_field3_is_dictionary_map_shift !== undefined && ((bf3 >>> o.bit_field3_is_dictionary_map_shift) & 1) === 1) return undefined;
    const total = (bf3 & o.bit_field3_number_of_own_descriptors_mask) >>> o.bit_field3_number_of_own_descriptors_shift;
    if (total === 0 || total > MAX_DESCRIPTORS) return undefined;
    const sizeWords = o.Map_instance_size_in_words !== undefined ? heap.uint(map + o.Map_instance_size_in_words, 1) : undefined;
    const startWords = o.Map_inobject_properties_start !== undefined ? heap.uint(map + o.Map_inobject_properties_start, 1) : undefined;
    const desc = heap.objectField(map, o.Map_instance_descriptors);
    if (sizeWords === undefined || startWords === undefined || desc === undefined) return undefined;
    const inobjectCount = sizeWords - startWords;
    const entry = (o.prop_desc_size ?? 3) * 8;
    const b = heap.space.tryRead(desc.address + o.DescriptorArray_header_size, total * entry);
    if (b === undefined) return undefined;
    const word = (at: number): Tagged => decodeTagged(b.readUInt32LE(at), b.readUInt32LE(at + 4));
    const inObject = new Map<number, FieldName>();
    const outOfObject = new Map<number, FieldName>();
    const constants: { name: string; value: Tagged; accessor: boolean }[] = [];
    const keyAt = (o.prop_desc_key ?? 0) * 8;
    const detailsAt = (o.prop_desc_details ?? 1) * 8;
    const valueAt = (o.prop_desc_value ?? 2) * 8;
    const fieldLocation = o.prop_location_Field ?? 0;
    for (let i = 0; i < total; i++) {
      const details = word(i * entry + detailsAt);
      if (details.kind !== 'smi') continue;
      const d = details.value;
      const name = this.keyName(word(i * entry + keyAt));
      const location = o.prop_location_mask !== undefined && o.prop_location_shift !== undefined ? (d & o.prop_location_mask) >>> o.prop_location_shift : fieldLocation;
      if (location !== fieldLocation) {
        const accessor = o.prop_kind_mask !== undefined && o.prop_kind_Accessor !== undefined && (d & o.prop_kind_mask) === o.prop_kind_Accessor;
        constants.push({ name, value: word(i * entry + valueAt), accessor });
        continue;
      }
      const rep = o.prop_representation_mask !== undefined && o.prop_representation_shift !== undefined ? (d & o.prop_representation_mask) >>> o.prop_representation_shift : -1;
      const field: FieldName = { name, double: rep === o.prop_representation_double };
      const index = (d & o.prop_index_mask) >>> o.prop_index_shift;
      if (index < inobjectCount) inObject.set((startWords + index) * 8, field);
      else outOfObject.set(index - inobjectCount, field);
    }
    return { inObject, outOfObject, constants };
  }
}
